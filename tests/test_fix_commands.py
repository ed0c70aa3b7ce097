"""Every fix command does what it says (issue #19): run as shown, it clears its finding.

A project with planted drift in a deployed dotenv environment (a key missing, a secret left at
a placeholder, a secret missing, a flag out of its declared value, a deprecated key, a number
that is not one, a URL pointing at localhost). Each finding's `command` is run exactly as the
report shows it (split at `&&`, each part through the real CLI, `apply` answered `y` at its
prompt), with VARIABLE holding a good value where the command reads one; after it, that
finding is gone and no other appeared for that key.
"""

from __future__ import annotations

import json
import shlex

import click.testing
import pytest
from click.testing import CliRunner

from drift.cli import main
from tests.conftest import Project, run

EXAMPLE = """\
# Where users reach the app
APP_URL=https://app.acme.io
# Log verbosity
LOG_LEVEL=info
# The API the front end calls
API_BASE=http://localhost:4000
# Sessions
SESSION_SECRET=
# Mail provider
MAIL_API_KEY=
# @deprecated use LOG_LEVEL
VERBOSE=
CACHE_TTL=60
"""
CONFIG = """\
[environments.production]
sources = [{ type = "dotenv", path = "prod.env" }]

[keys.LOG_LEVEL.env.production]
equals = "warn"

[keys.API_BASE]
type = "url"
"""
PRODUCTION = """\
LOG_LEVEL=debug
API_BASE=http://localhost:4000
SESSION_SECRET=change-me
VERBOSE=1
CACHE_TTL=sixty
"""
#: A good value for each key whose command reads VARIABLE.
GOOD = {
    "API_BASE": "https://api.acme.io",
    "SESSION_SECRET": "Hk3vQ9mZ2xW7pL4tR8nB6yC1dF5gJ0sA",
    "MAIL_API_KEY": "mk_9fQ2wX7zL4pV8tR3nB6yC1dG5hJ0sK",
    "CACHE_TTL": "120",
}


def findings() -> list[dict[str, str]]:
    document = json.loads(run(["check", "--format", "json", "--fail-on", "none"], expect=0).stdout)
    return [f for f in document["findings"] if f["env"] == "production"]


def run_as_shown(command: str, variable: str | None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each part of the command through the real CLI, a person at the terminal answering y."""
    monkeypatch.setattr(click.testing._NamedTextIOWrapper, "isatty", lambda self: True, raising=False)
    for part in command.split("&&"):
        words = shlex.split(part)
        assert words[0] == "drift", command  # every command of a dotenv environment is drift's own
        env = {"VARIABLE": variable} if variable is not None else {}
        result = CliRunner().invoke(main, words[1:], env=env, input="y\n")
        assert result.exit_code in (0, 1), f"{command}: exit {result.exit_code}\n{result.output}"
        assert "Traceback" not in result.output


def test_every_suggested_command_clears_its_finding(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    project.write(".env.example", EXAMPLE)
    project.write("drift.toml", CONFIG)
    project.write("prod.env", PRODUCTION)
    planted = {(f["rule"], f["key"]): f for f in findings()}
    expected = {
        ("missing", "APP_URL"),
        ("invalid", "LOG_LEVEL"),
        ("local-value", "API_BASE"),
        ("placeholder", "SESSION_SECRET"),
        ("missing", "MAIL_API_KEY"),
        ("deprecated", "VERBOSE"),
        ("invalid", "CACHE_TTL"),
    }
    assert expected <= set(planted), sorted(planted)
    for rule, key in sorted(expected):
        command = planted[(rule, key)]["command"]
        assert command, (rule, key)
        assert "sync" not in command or rule == "missing", (rule, key, command)
        run_as_shown(command, GOOD.get(key), monkeypatch)
        left = {(f["rule"], f["key"]) for f in findings()}
        assert (rule, key) not in left, (rule, key, command)
    text = (project.root / "prod.env").read_text()
    assert "LOG_LEVEL=warn" in text and "APP_URL=https://app.acme.io" in text and "VERBOSE" not in text
    assert "API_BASE=https://api.acme.io" in text and "CACHE_TTL=120" in text
    remaining = {(f["rule"], f["key"]) for f in findings() if f["severity"] == "error"}
    assert not remaining, remaining
