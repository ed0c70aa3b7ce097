"""Fuzzing as part of the suite (issue #9): whatever the input, drift ends with a documented
exit code and no traceback. Bounded for `make test` (the `default` profile); `make fuzz`
runs the `nightly` profile, and every case it finds goes into corpus/, which the tests at the
bottom replay on every run."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from drift import cli
from tests.fuzz.profile import FUZZ

CORPUS = Path(__file__).parent / "corpus"
DOCUMENTED = {0, 1, 2, 3}


def invoke(root: Path, args: list[str]) -> int:
    """Run drift in `root`; the exit code, after checking nothing escaped."""
    cwd = Path.cwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(cli.main, args, catch_exceptions=True)
    finally:
        os.chdir(cwd)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert result.exit_code in DOCUMENTED, result.output
    return result.exit_code


# drift.toml ---------------------------------------------------------------------------
_SCALAR = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.text(max_size=12),
    st.sampled_from(["p.env", "../x", "/etc/hostname", ".git/config", "error", "node", "shell", "A=1", "*", "["]),
)
_FIELDS = st.sampled_from(
    ["type", "values", "min", "max", "min_length", "max_length", "pattern", "required", "required_if", "secret",
     "parity", "max_age", "description", "deprecated", "nonempty", "default", "schemes", "bogus"]
)  # fmt: skip
_KEYS = st.dictionaries(
    st.sampled_from(["A", "B", "*", "A*", "[", "env"]),
    st.dictionaries(_FIELDS, st.one_of(_SCALAR, st.lists(_SCALAR, max_size=3)), max_size=4),
    max_size=3,
)


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return (
            "nan"
            if value != value
            else ("inf" if value == float("inf") else "-inf" if value == float("-inf") else repr(value))
        )
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(value)


@FUZZ
@given(
    keys=_KEYS,
    drift=st.dictionaries(
        st.sampled_from(["fail_on", "dialect", "expand", "inferred", "schema", "reports_dir", "allow_outside"]),
        _SCALAR,
        max_size=3,
    ),
    source=st.dictionaries(st.sampled_from(["dialect", "expand", "max_bytes", "allow_special", "path"]), _SCALAR),
)
def test_any_drift_toml(tmp_path_factory: pytest.TempPathFactory, keys: Any, drift: Any, source: Any) -> None:
    root = tmp_path_factory.mktemp("toml")
    (root / ".env.example").write_text("# @type int\nA=1\nB=b\n")
    (root / "p.env").write_text("A=2\nB=c\n")
    lines = ["[drift]", *(f"{k} = {_toml_value(v)}" for k, v in drift.items())]
    options = ", ".join(f"{k} = {_toml_value(v)}" for k, v in {"path": "p.env", **source}.items())
    lines += ["[environments.production]", f'sources = [{{ type = "dotenv", {options} }}]']
    for name, table in keys.items():
        lines.append(f"[keys.{json.dumps(name)}]")
        lines += [f"{k} = {_toml_value(v)}" for k, v in table.items()]
    (root / "drift.toml").write_text("\n".join(lines) + "\n")
    invoke(root, ["check", "--format", "json"])
    invoke(root, ["schema", "lint"])


# .env.example and env files -------------------------------------------------------------
_LINE = st.one_of(
    st.text(max_size=40),
    st.tuples(st.sampled_from(["# @type ", "# @pattern ", "# @min ", "# @max-length ", "# @required-if ", "#"]),
              st.text(max_size=20)).map("".join),
    st.tuples(st.from_regex(r"[A-Z]{1,3}", fullmatch=True), st.just("="), st.text(max_size=30)).map("".join),
)  # fmt: skip


@FUZZ
@given(example=st.lists(_LINE, max_size=8).map("\n".join), env=st.lists(_LINE, max_size=8).map("\n".join),
       dialect=st.sampled_from(["node", "python", "compose", "shell", "php", "ruby", "go"]))  # fmt: skip
def test_any_example_and_env_file(
    tmp_path_factory: pytest.TempPathFactory, example: str, env: str, dialect: str
) -> None:
    root = tmp_path_factory.mktemp("dotenv")
    (root / ".env.example").write_text(example, encoding="utf-8", errors="surrogatepass")
    (root / "p.env").write_text(env, encoding="utf-8", errors="surrogatepass")
    (root / "drift.toml").write_text(
        f'[drift]\ndialect = "{dialect}"\n'
        '[environments.production]\nsources = [{ type = "dotenv", path = "p.env" }]\n'
    )
    for fmt in ("terminal", "json", "junit", "markdown"):
        invoke(root, ["check", "--format", fmt])
    invoke(root, ["schema", "lint"])
    invoke(root, ["diff", ".env.example", "p.env"])


# a tampered JSON report -------------------------------------------------------------------
@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("report")
    (root / ".env.example").write_text("# @type int\nA=1\nB=b\n")
    (root / "p.env").write_text("A=x\n")
    (root / "drift.toml").write_text('[environments.production]\nsources = [{ type = "dotenv", path = "p.env" }]\n')
    cwd = Path.cwd()
    os.chdir(root)
    try:
        document: dict[str, Any] = json.loads(CliRunner().invoke(cli.main, ["check", "--format", "json"]).stdout)
    finally:
        os.chdir(cwd)
    return document


_JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=10)),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)),
    max_leaves=8,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, inner in value.items():
            found += _paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += _paths(inner, (*prefix, index))
    return found


@FUZZ
@given(
    data=st.data(), replacement=_JSON, fmt=st.sampled_from(["terminal", "html", "markdown", "sarif", "junit", "json"])
)
def test_rendering_a_tampered_report(
    tmp_path_factory: pytest.TempPathFactory, report: dict[str, Any], data: st.DataObject, replacement: Any, fmt: str
) -> None:
    document = json.loads(json.dumps(report))
    path = data.draw(st.sampled_from(_paths(document)))
    target = document
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = replacement
    root = tmp_path_factory.mktemp("render")
    (root / "report.json").write_text(json.dumps(document))
    invoke(root, ["render", "--input", "report.json", "--format", fmt])


# a damaged history ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    root = tmp_path_factory.mktemp("history")
    (root / ".env.example").write_text("A=a\n")
    (root / "p.env").write_text("A=a\n")
    (root / "drift.toml").write_text('[environments.production]\nsources = [{ type = "dotenv", path = "p.env" }]\n')
    invoke(root, ["scan"])
    database = root / ".drift" / "history.sqlite"
    with sqlite3.connect(database) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return database.read_bytes()


@FUZZ
@given(data=st.data(), command=st.sampled_from([["history"], ["report"], ["check"], ["scan", "--no-save"]]))
def test_reading_a_damaged_history(
    tmp_path_factory: pytest.TempPathFactory, history: bytes, data: st.DataObject, command: list[str]
) -> None:
    damaged = bytearray(history)
    for _ in range(data.draw(st.integers(min_value=1, max_value=20))):
        offset = data.draw(st.integers(min_value=0, max_value=len(damaged) - 1))
        damaged[offset] = data.draw(st.integers(min_value=0, max_value=255))
    root = tmp_path_factory.mktemp("damaged")
    (root / ".env.example").write_text("A=a\n")
    (root / "p.env").write_text("A=a\n")
    (root / "drift.toml").write_text('[environments.production]\nsources = [{ type = "dotenv", path = "p.env" }]\n')
    (root / ".drift").mkdir()
    (root / ".drift" / "history.sqlite").write_bytes(bytes(damaged))
    invoke(root, command)


# the corpus: every case found so far, replayed ---------------------------------------------
@pytest.mark.parametrize("case", sorted((CORPUS / "toml").glob("*.toml")), ids=lambda p: p.stem)
def test_toml_corpus(tmp_path: Path, case: Path) -> None:
    (tmp_path / ".env.example").write_text("# @type int\nA=1\n")
    (tmp_path / "p.env").write_text("A=1\n")
    (tmp_path / "drift.toml").write_text(case.read_text())
    invoke(tmp_path, ["check"])
    invoke(tmp_path, ["schema", "lint"])


@pytest.mark.parametrize("case", sorted((CORPUS / "report").glob("*.json")), ids=lambda p: p.stem)
def test_report_corpus(tmp_path: Path, report: dict[str, Any], case: Path) -> None:
    tamper = json.loads(case.read_text())
    document = json.loads(json.dumps(report))
    target = document
    for step in tamper["path"][:-1]:
        target = target[step]
    target[tamper["path"][-1]] = tamper["value"]
    (tmp_path / "report.json").write_text(json.dumps(document))
    for fmt in ("terminal", "html", "markdown", "sarif", "junit", "json"):
        invoke(tmp_path, ["render", "--input", "report.json", "--format", fmt])


@pytest.mark.parametrize("case", sorted((CORPUS / "atheris").glob("*-*")), ids=lambda p: p.name)
def test_atheris_corpus(case: Path) -> None:
    from devtools.fuzz_atheris import TARGETS

    target, _, _ = case.name.partition("-")
    TARGETS[target](case.read_bytes())


@pytest.mark.parametrize("case", sorted((CORPUS / "dotenv").glob("*.env")), ids=lambda p: p.stem)
def test_dotenv_corpus(tmp_path: Path, case: Path) -> None:
    (tmp_path / ".env.example").write_text(case.read_text())
    (tmp_path / ".env").write_text(case.read_text() + "\nA=" + "a" * 40 + "!\n")
    invoke(tmp_path, ["check"])
    invoke(tmp_path, ["schema", "lint"])
    invoke(tmp_path, ["schema", "show"])
