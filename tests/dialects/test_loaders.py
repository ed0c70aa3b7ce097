"""Differential tests for the php, ruby and go dialects: each reads exactly what its real
loader reads (Debian's packages, tests/dialects/oracles/), on hypothesis files and on a table
of awkward lines real projects hold. A file the loader refuses (so the application does not
start) must give drift a `malformed` line saying so; a file it accepts must give the same keys
and values and no such line.

Two things drift does not reproduce, on purpose, are left out of the comparison: a command the
ruby gem would run (`$(...)`: drift never runs it and reports the line; the oracle answers it
with a marker) and godotenv's value with an empty name.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from drift import dialects
from drift.dialects import Malformed
from tests.dialects.conftest import LineOracle
from tests.dialects.test_oracles import _FILE, AWKWARD

RUN_MARKER = "\u0000RUN\u0000"

#: Lines of PHP, Ruby and Go projects' example files that their loaders read in their own way.
LOADER_AWKWARD = [
    *AWKWARD,
    "APP_NAME=Laravel",
    'APP_NAME="My App"',
    "APP_KEY=",
    "MAIL_PASSWORD=null",
    "MAIL_ENCRYPTION=(null)",
    "DB_PASSWORD=empty",
    "DEBUG=(true)",
    'VITE_APP_NAME="${APP_NAME}"',
    "APP_URL=http://localhost",
    "SPACED=two words",
    "QUOTED_NAME_EXPORT=1",
    'ESCAPES="\\t\\v\\f"',
    'BAD_ESCAPE="\\q"',
    "DATABASE_URL=postgres://u:p@db:5432/app?sslmode=disable",
    "REDIS_URL=redis://localhost:6379/1 # local cache",
    "export RAILS_ENV=production",
    "SECRET_KEY_BASE=$(rails secret)",
    "ESCAPED_COMMAND=\\$(not run)",
    "DOLLAR_NAME=$FIRST and ${FIRST}",
    "LOWER=${first}",
    "COLON: value",
    "KEY WITH SPACE=1",
    "A='it''s'",
    'MULTI="first\nsecond"',
    '# COMMENTED="open quote',
    "UNICODE_VALUE=héllo wörld",
]


def drift_values(text: str, dialect: str) -> dict[str, str]:
    return {key: a.value for key, a in dialects.read(text, dialect, False, "f.env").values.items()}


def refused(text: str, dialect: str) -> bool:
    return any(isinstance(line, Malformed) and "refuse" in line.reason for line in dialects.parse(text, dialect))


def assert_same(oracle: LineOracle, text: str, dialect: str) -> None:
    expected = oracle.parse(text)
    if expected is None:
        assert refused(text, dialect), f"the {dialect} loader refuses this text, drift does not say so"
        return
    assert not refused(text, dialect), f"drift says the {dialect} loader refuses a text it reads"
    values = drift_values(text, dialect)
    skipped = {k for k, v in expected.items() if v is not None and RUN_MARKER in v} | {""}
    wanted = {k: v for k, v in expected.items() if v is not None and k not in skipped}
    assert {k: v for k, v in values.items() if k not in skipped} == wanted


SLOW = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SLOW
@given(text=_FILE)
def test_php_reads_what_phpdotenv_and_laravel_read(php_oracle: LineOracle, text: str) -> None:
    assert_same(php_oracle, text, "php")


@SLOW
@given(text=_FILE)
def test_ruby_reads_what_the_dotenv_gem_reads(ruby_oracle: LineOracle, text: str) -> None:
    assert_same(ruby_oracle, text, "ruby")


@SLOW
@given(text=_FILE)
def test_go_reads_what_godotenv_reads(go_oracle: LineOracle, text: str) -> None:
    assert_same(go_oracle, text, "go")


@pytest.mark.parametrize("line", LOADER_AWKWARD)
@pytest.mark.parametrize("dialect", ["php", "ruby", "go"])
def test_awkward_lines(
    php_oracle: LineOracle, ruby_oracle: LineOracle, go_oracle: LineOracle, dialect: str, line: str
) -> None:
    oracle = {"php": php_oracle, "ruby": ruby_oracle, "go": go_oracle}[dialect]
    assert_same(oracle, f"FIRST=1\n{line}\nLAST=2\n", dialect)


def test_what_each_loader_refuses_is_named() -> None:
    """The loaders' own refusals, pinned (the differential tests hold the rest)."""
    assert refused("SPACED=two words\n", "php")  # phpdotenv: unexpected whitespace
    assert refused('BAD="\\q"\n', "php")  # phpdotenv: an unexpected escape sequence
    assert refused("export NEVER_SET\n", "ruby")  # the gem: an unset variable
    assert refused("KEY WITH-DASH=1\n", "go")  # godotenv: an unexpected character
    assert refused("export ", "go")  # godotenv: a zero-length name
    assert drift_values("MAIL_PASSWORD=null\nDEBUG=(true)\n", "php") == {"MAIL_PASSWORD": "", "DEBUG": "true"}
    ruby = dialects.parse("SECRET_KEY_BASE=$(rails secret)\n", "ruby")
    assert any(isinstance(line, Malformed) and "never runs" in line.reason for line in ruby)
