"""Hostile input for what issues #19 and #20 added: the php, ruby and go dialects, the URL
display and the scrubber, plans, YAML merge keys and migrations folders. Whatever the text, each ends in values,
`malformed` lines or a named refusal, never another exception, and nothing it masks comes
back."""

from __future__ import annotations

import contextlib
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drift import dialects
from drift.actions.plan import _NotAPlan, _typed_plan
from drift.collectors.base import CollectContext, CollectorError
from drift.collectors.migrations import MigrationsCollector
from drift.platform.yamlfile import YamlError, load_all
from drift.secrets import MASK, redact_urls
from drift.secrets.scrub import scrub
from drift.settings import SourceConfig
from tests.fuzz.profile import FUZZ

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=6),
    max_leaves=20,
)
_TEXT = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=300)


@FUZZ
@pytest.mark.parametrize("dialect", ["php", "ruby", "go"])
@given(text=_TEXT)
def test_any_text_in_the_new_dialects(dialect: str, text: str) -> None:
    read = dialects.read(text, dialect, False, "f")
    assert all(isinstance(a.value, str) for a in read.values.values())


@FUZZ
@given(
    secret=st.from_regex(r"[A-Za-z0-9]{24,40}", fullmatch=True),
    host=st.from_regex(r"[a-z]{1,10}\.[a-z]{2,5}", fullmatch=True),
)
def test_a_token_in_any_part_of_a_url_never_survives(secret: str, host: str) -> None:
    for url in (f"https://{secret}@{host}/", f"https://{host}/hooks/{secret}", f"https://{host}/?x={secret}",
                f"https://{host}/#t={secret}"):  # fmt: skip
        assert secret not in redact_urls(url) and MASK in redact_urls(url)


@FUZZ
@given(text=_TEXT)
def test_the_scrubber_never_raises(text: str) -> None:
    assert isinstance(scrub(text), str)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=6),
    max_leaves=20,
)


@FUZZ
@given(data=_JSON)
def test_any_json_is_a_plan_or_not_a_plan(data: object) -> None:
    items = data if isinstance(data, list) else [data]
    document = {"drift_plan": 1, "project": "p", "config": None, "items": items}
    with contextlib.suppress(_NotAPlan):
        _typed_plan(json.loads(json.dumps(document)))


@FUZZ
@given(count=st.integers(1, 12), width=st.integers(1, 8))
def test_nested_merge_keys_stay_bounded(count: int, width: int) -> None:
    text = "a0: &a0 {k: 1}\n" + "".join(
        f"a{i}: &a{i}\n  <<: [{', '.join([f'*a{i - 1}'] * width)}]\n  n{i}: v\n" for i in range(1, count + 1)
    )
    with contextlib.suppress(YamlError):
        load_all(text, "f.yaml")


_FILE_NAME = st.text(
    alphabet=st.characters(exclude_characters="/\x00", exclude_categories=["Cs"]), min_size=1, max_size=20
)
_REVISION_LINE = st.sampled_from(["revision = 'a'", "revision = 'b'", "down_revision = 'a'", "down_revision = None"])


@FUZZ
@pytest.mark.parametrize("tool", ["sql", "prisma", "alembic"])
@given(
    files=st.dictionaries(
        _FILE_NAME.filter(lambda name: name not in {".", ".."}),
        st.lists(_REVISION_LINE | st.text(max_size=30), max_size=4).map("\n".join),
        max_size=6,
    ),
    nested=st.booleans(),
)
def test_any_migrations_folder(
    tmp_path_factory: pytest.TempPathFactory, tool: str, files: dict[str, str], nested: bool
) -> None:
    """Whatever a migrations folder holds (odd names, cycles of revisions, folders where files
    are expected), the repository side is a list of names or a named refusal."""
    root = tmp_path_factory.mktemp("migrations")
    folder = root / "migrations"
    folder.mkdir()
    for name, text in files.items():
        path = folder / name / "migration.sql" if nested else folder / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
    source = SourceConfig("migrations", {"tool": tool, "dir": "migrations"})
    collector = MigrationsCollector(source, CollectContext(root, "p"))
    with contextlib.suppress(CollectorError):
        names = [name for name, _ in collector._repository()]
        assert len(names) == len(set(names)) or tool == "sql"
