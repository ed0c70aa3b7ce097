"""The column-wise paths of the matrix and of `shared` (parity, secret-reuse) against the
entry-by-entry paths they stand in for: generated environments (values absent, unreadable,
empty, typed-equal, secret, placeholder, URL with a password, random-looking) must give the
same rows and the same answer, cell by cell."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drift.engine import cross_env, matrix
from drift.engine.evaluate import secrecy_for
from drift.engine.secrecy import Secrecy
from drift.model import Entry, EnvSnapshot, SourceStatus
from drift.schema import KeySpec, Schema, load_schema, types
from drift.secrets import Fingerprinter

EXAMPLE = """\
# @type float
RATIO=1.0
# @secret
SIGNING_KEY=
APP_NAME=shop
# @type bool
FEATURE_X=true
DATABASE_URL=postgres://app:app@localhost:5432/app
API_TOKEN=
# @type enum(debug,info)
LOG_LEVEL=info
"""
KEYS = ("RATIO", "SIGNING_KEY", "APP_NAME", "FEATURE_X", "DATABASE_URL", "API_TOKEN", "LOG_LEVEL", "EXTRA_KEY")
#: What a cell may hold: absent, set without a value (None), or one of these texts.
ABSENT = "absent"
VALUES = (
    ABSENT,
    None,
    "",
    "1",
    "1.0",
    "01",
    "true",
    "info",
    "shop",
    "change-me",
    "9f2c4a7e1b3d5f60a8c9e2d4b6f8a1c3",
    "postgres://app:s3cr3t-pw@db.internal:5432/app",
    "http://localhost:3000",
)
FAILED = SourceStatus("dotenv", "gone.env", "failed", "unreadable")


#: Texts that some type reads as one value.
TYPED_ALIKE = (
    *("1", "1.0", "01", "+1", "true", "True", "TRUE", "yes", "on", "1s", "1000ms", "60s", "1m"),
    *("a,b", "a, b", '{"a":1}', '{"a": 1}', "http://x/", "HTTP://x/", "a@b.io", "A@b.io", "80", "080"),
)


def _schema(root: Path, envs: list[str]) -> Schema:
    (root / ".env.example").write_text(EXAMPLE, encoding="utf-8")
    return load_schema(root / ".env.example", ".env.example", {}, envs, "drift.toml")


environments = st.lists(
    st.tuples(
        st.fixed_dictionaries({key: st.sampled_from(VALUES) for key in KEYS}),
        st.booleans(),  # deployed
        st.booleans(),  # a source failed, so an absent key is unknown rather than missing
    ),
    min_size=1,
    max_size=6,
)


def _snapshots(drawn: list[tuple[dict[str, str | None], bool, bool]]) -> list[EnvSnapshot]:
    snapshots = []
    for index, (cells, deployed, failed) in enumerate(drawn):
        env = f"env{index}"
        entries = {
            key: Entry(key, value, f"dotenv:{env}.env", f"{env}.env:{line}")
            for line, (key, value) in enumerate(cells.items(), 1)
            if value != ABSENT
        }
        sources = (FAILED,) if failed else (SourceStatus("dotenv", f"{env}.env", "ok", None, len(entries)),)
        patterns = ((("*",), ()),) if failed else ()
        snapshots.append(EnvSnapshot(env, deployed, entries, sources, unreadable_patterns=patterns))
    return snapshots


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(drawn=environments)
def test_a_row_from_its_column_of_values_is_the_row_cell_by_cell(
    tmp_path: Path, drawn: list[tuple[dict[str, str | None], bool, bool]]
) -> None:
    snapshots = _snapshots(drawn)
    names = [s.env for s in snapshots]
    schema = _schema(tmp_path, names)
    envs = cross_env.environments(schema, snapshots)
    specs = cross_env.one_specs(envs)
    columns = cross_env.value_columns(snapshots, KEYS)
    assert specs is not None and columns is not None
    fingerprint = Fingerprinter(b"k" * 32)
    for key in KEYS:
        values = columns[key]
        by_column = matrix._column(
            key, snapshots, names, values, specs.get(key), fingerprint, secrecy_for(schema), finding_count=2
        )
        by_cell = matrix._row(key, schema, envs, matrix._sealer(key, fingerprint, secrecy_for(schema)), 2, set())
        assert by_column == by_cell, key
        by_value = cross_env._any_shareable_value(key, specs.get(key), snapshots, values, secrecy_for(schema))
        assert by_value == cross_env._any_shareable(key, envs, secrecy_for(schema)), key


def test_a_store_flag_sends_the_matrix_entry_by_entry(tmp_path: Path) -> None:
    """A value's text does not say how a store-marked value is treated: with a flag
    anywhere, there are no value columns, and the matrix masks what the store marks."""
    plain = EnvSnapshot("dev", False, {"APP_NAME": Entry("APP_NAME", "shop", "dotenv:dev.env")}, ())
    marked = EnvSnapshot(
        "prod", True, {"APP_NAME": Entry("APP_NAME", "shop-prod-1234567890", "ssm:/a", store_secret=True)}, ()
    )
    assert cross_env.value_columns([plain], ["APP_NAME"]) == {"APP_NAME": ("shop",)}
    assert cross_env.value_columns([plain, marked], ["APP_NAME"]) is None
    assert cross_env.value_columns([], ["APP_NAME"]) == {"APP_NAME": ()}
    schema = _schema(tmp_path, ["dev", "prod"])
    fingerprint = Fingerprinter(b"k" * 32)
    rows = matrix.build_matrix(
        schema, cross_env.checked_keys(schema, [plain, marked]), [plain, marked], [], fingerprint, secrecy_for(schema)
    )
    row = next(r for r in rows if r.key == "APP_NAME")
    dev, prod = row.cells  # in the snapshots' order
    assert prod.display is not None and "shop-prod" not in prod.display
    assert row.status == "differs" and row.secret and dev.group != prod.group


@pytest.mark.parametrize("type_name", types.TYPES)
def test_grouping_by_value_is_grouping_by_token_where_the_matrix_does(type_name: str) -> None:
    """`matrix._column` groups by the value itself where `distinct_tokens` says distinct values
    have distinct tokens: a type that reads two texts as one value (`1` and `1.0` for a
    float, `true` and `yes` for a bool) must not be among them."""
    spec = KeySpec(name="KEY", type=type_name)
    if not cross_env.distinct_tokens(spec):
        return
    fingerprint = Fingerprinter(b"k" * 32)
    for secrecy in (Secrecy(False, False, False), Secrecy(False, True, False), Secrecy(True, True, True)):
        tokens = {cross_env.token(value, secrecy, spec, fingerprint) for value in TYPED_ALIKE}
        assert len(tokens) == len(TYPED_ALIKE), secrecy


def test_grouping_by_value_covers_the_text_types() -> None:
    assert [name for name in types.TYPES if cross_env.distinct_tokens(KeySpec(name="KEY", type=name))] == [
        "str",
        "enum",
    ]
    assert cross_env.distinct_tokens(None)
