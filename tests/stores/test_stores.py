"""The stores as units (issue #21): where a key of an environment is written (the one order
`plan` and the fix commands share), which targets a source owns, the registry, and the dotenv
rewrite that changes one line and reads the file back."""

from __future__ import annotations

import pytest

from drift import stores
from drift.errors import CollectorError
from drift.model import Entry
from drift.settings import EnvironmentConfig, SourceConfig
from drift.stores.dotenv import rewritten

DOTENV = SourceConfig("dotenv", {"path": "prod.env"})
SSM = SourceConfig("ssm", {"path": "/app/prod/"})
SM = SourceConfig("secretsmanager", {"secret_id": "app/prod"})
COMPOSE = SourceConfig("compose", {"file": "compose.yaml", "service": "web"})


def env(*sources: SourceConfig) -> EnvironmentConfig:
    return EnvironmentConfig("prod", True, sources)


@pytest.mark.parametrize(
    ("sources", "source", "secret", "expected"),
    [
        ((DOTENV, SSM), None, False, ("dotenv", "prod.env", False)),  # the first source that may hold it
        ((DOTENV, SSM), None, True, ("ssm", "/app/prod/KEY", True)),  # a secret skips the plaintext file
        ((SM, SSM), None, True, ("secretsmanager", "app/prod#KEY", True)),
        ((SM, SSM), None, False, ("ssm", "/app/prod/KEY", False)),  # only secrets go to Secrets Manager
        ((DOTENV, SSM), "ssm:/app/prod/KEY", False, ("ssm", "/app/prod/KEY", False)),  # where it is now
        ((DOTENV, SSM), "dotenv:prod.env", True, None),  # a secret is never written to plaintext
        ((COMPOSE,), None, False, None),  # no writable store
        ((COMPOSE,), "compose:compose.yaml", False, None),
    ],
)
def test_where_a_key_is_written(
    sources: tuple[SourceConfig, ...], source: str | None, secret: bool, expected: tuple[str, str, bool] | None
) -> None:
    entry = Entry("KEY", "v", source) if source is not None else None
    assert stores.locate(env(*sources), entry, "KEY", secret) == (stores.Target(*expected) if expected else None)


def test_plaintext_is_allowed_only_where_the_file_is_the_store() -> None:
    assert stores.plaintext_allowed(env(DOTENV, SSM), Entry("KEY", "v", "dotenv:prod.env"))
    assert not stores.plaintext_allowed(env(DOTENV, SSM), Entry("KEY", "v", "ssm:/app/prod/KEY"))
    assert not stores.plaintext_allowed(env(DOTENV, SSM), None)
    assert stores.plaintext_allowed(env(DOTENV), None)


@pytest.mark.parametrize(
    ("source", "name", "owned"),
    [
        (SSM, "/app/prod/KEY", True),
        (SSM, "/app/staging/KEY", False),
        (SSM, "/app/prod/OTHER", False),
        (SM, "app/prod#KEY", True),
        (SM, "app/other#KEY", False),
        (DOTENV, "prod.env", True),
        (DOTENV, "../prod.env", False),
    ],
)
def test_which_targets_a_source_owns(source: SourceConfig, name: str, owned: bool) -> None:
    store = stores.lookup(source.type)
    assert store is not None and store.owns(source, name, "KEY") is owned


def test_every_writable_source_type_has_a_store() -> None:
    assert {kind for kind in ("ssm", "secretsmanager", "dotenv") if stores.lookup(kind)} == {
        "ssm",
        "secretsmanager",
        "dotenv",
    }
    assert stores.lookup("compose") is None
    for kind in stores.STORES:  # each registered under the source type it says it writes
        store = stores.lookup(kind)
        assert store is not None and store.kind == kind


@pytest.mark.parametrize(
    ("original", "key", "value", "expected"),
    [
        ("A=1\nB=2\n", "B", "3", "A=1\nB=3\n"),
        ("A=1\r\nB=2\r\n", "B", None, "A=1\r\n"),
        ("A=1", "C", "x y", 'A=1\nC="x y"\n'),
        ("# a\fcomment\nA=1\n", "A", "2", "# a\fcomment\nA=2\n"),  # lines end at newlines only
        ("# a\u2028b\nA=1\nB=2\n", "B", "3", "# a\u2028b\nA=1\nB=3\n"),
    ],
)
def test_a_dotenv_key_is_rewritten_alone(original: str, key: str, value: str | None, expected: str) -> None:
    assert rewritten(original, "prod.env", key, value, "python") == expected


def test_a_multi_line_value_is_not_rewritten() -> None:
    with pytest.raises(CollectorError, match="spans several lines"):
        rewritten('A="one\ntwo"\n', "prod.env", "A", "x", "python")
