"""[[ignore]] entries: what they silence, when they expire, and what they may never touch."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import Project, run


@pytest.fixture
def drifting(project: Project) -> Project:
    project.write(".env.example", "A=1\n")
    project.write("development.env", "A=1\nDEBUG_SQL=1\nDEBUG_HTTP=1\n")
    project.write("production.env", "A=1\nDEBUG_SQL=1\n")
    return project


def configure(project: Project, ignores: str) -> None:
    project.write(
        "drift.toml",
        '[environments.development]\nsources = [{ type = "dotenv", path = "development.env" }]\n'
        '[environments.production]\nsources = [{ type = "dotenv", path = "production.env" }]\n' + ignores,
    )


def check(args: list[str] | None = None, expect: int = 0) -> Any:
    data: Any = json.loads(run(["check", "--format", "json", *(args or [])], expect=expect).stdout)
    return data


def test_env_and_key_globs(drifting: Project) -> None:
    configure(drifting, '[[ignore]]\nrule = "undeclared"\nenv = "dev*"\nkey = "DEBUG_*"\nreason = "local flags"\n')
    doc = check(["--fail-on", "warning"], expect=1)
    assert [f["id"] for f in doc["findings"]] == ["undeclared:production:DEBUG_SQL"]
    suppressed = doc["suppressed"]
    assert [f["id"] for f in suppressed] == ["undeclared:development:DEBUG_HTTP", "undeclared:development:DEBUG_SQL"]
    assert suppressed[0]["reason"] == "local flags"


def test_expired_entry_no_longer_suppresses(drifting: Project) -> None:
    configure(drifting, '[[ignore]]\nrule = "undeclared"\nreason = "old"\nexpires = 2020-01-01\n')
    doc = check(["--fail-on", "warning"], expect=1)
    rules = [f["rule"] for f in doc["findings"]]
    assert rules.count("undeclared") == 3 and "suppression-expired" in rules
    expired = next(f for f in doc["findings"] if f["rule"] == "suppression-expired")
    assert expired["location"] == "drift.toml:5" and expired["severity"] == "warning"


def test_unused_entry_is_reported(drifting: Project) -> None:
    configure(drifting, '[[ignore]]\nrule = "missing"\nkey = "NOPE"\nreason = "gone"\nexpires = "2999-01-01"\n')
    doc = check()
    assert "suppression-unused" in [f["rule"] for f in doc["findings"]]


def test_entries_for_environments_not_checked_are_not_unused(drifting: Project) -> None:
    configure(drifting, '[[ignore]]\nrule = "undeclared"\nenv = "development"\nreason = "local"\n')
    doc = check(["--env", "production"])
    assert "suppression-unused" not in [f["rule"] for f in doc["findings"]]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('rule = "source-unavailable"\nreason = "flaky"\n', "source-unavailable can never be suppressed"),
        ('rule = "undeclared"\n', "reason is required"),
        ('rule = "undeclard"\nreason = "x"\n', "did you mean 'undeclared'?"),
        ('rule = "undeclared"\nreason = "x"\nexpires = "soon"\n', "expires must be a date"),
        ('rule = "undeclared"\nreason = "x"\nkeys = "A"\n', "unknown field 'keys' (did you mean 'key'?)"),
    ],
)
def test_bad_entries_are_configuration_errors(drifting: Project, entry: str, message: str) -> None:
    configure(drifting, "[[ignore]]\n" + entry)
    assert message in run(["check"], expect=2).stderr


def test_source_unavailable_is_never_suppressed_even_by_a_broad_entry(drifting: Project) -> None:
    configure(drifting, '[[ignore]]\nrule = "undeclared"\nreason = "x"\n')
    (drifting.root / "production.env").unlink()
    doc = check(expect=3)
    assert [f["rule"] for f in doc["findings"]] == ["source-unavailable"]


def test_pyproject_ignore_entries(project: Project) -> None:
    project.write(".env.example", "A=1\n")
    project.write("p.env", "A=1\nX=1\n")
    project.write(
        "pyproject.toml",
        '[tool.drift.environments.p]\nsources = [{ type = "dotenv", path = "p.env" }]\n'
        '[[tool.drift.ignore]]\nrule = "undeclared"\nkey = "X"\nreason = "known"\nexpires = 2020-01-01\n',
    )
    doc = check(["--fail-on", "error"])
    expired = next(f for f in doc["findings"] if f["rule"] == "suppression-expired")
    assert expired["location"] == "pyproject.toml:3"


def test_suppressed_findings_are_listed_apart_in_every_format(drifting: Project) -> None:
    configure(drifting, '[[ignore]]\nrule = "undeclared"\nkey = "DEBUG_*"\nreason = "local flags"\n')
    markdown = run(["check", "--format", "markdown"], expect=0).stdout
    assert "3 suppressed" in markdown and "local flags" in markdown
    assert "3 suppressed by [[ignore]]" in run(["check"], expect=0).stdout
    html = run(["check", "--format", "html"], expect=0).stdout
    assert "Suppressed (3)" in html
    sarif = json.loads(run(["check", "--format", "sarif"], expect=0).stdout)
    assert not [r for r in sarif["runs"][0]["results"] if r.get("suppressions")]  # code scanning would open them
    sarif = json.loads(run(["check", "--format", "sarif", "--sarif-include-suppressed"], expect=0).stdout)
    quiet = [r for r in sarif["runs"][0]["results"] if r.get("suppressions")]
    assert len(quiet) == 3 and quiet[0]["suppressions"][0]["justification"] == "local flags"
    assert "suppressed undeclared" in run(["check", "--format", "junit"], expect=0).stdout
