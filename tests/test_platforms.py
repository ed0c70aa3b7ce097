"""The `command` source: the README's platform recipes run against stand-ins that print what
the real CLIs print (tests/fixtures/platforms/bin); names-only entries; failures of a program
(exit status, stderr masked, timeout, output cap, not installed); canaries."""

from __future__ import annotations

import json
import os
import re
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from drift.collectors.base import CollectContext, CollectorError
from drift.collectors.command import CommandCollector
from drift.settings import SourceConfig
from tests.conftest import Project, run
from tests.helpers import ended, every_output

ROOT = Path(__file__).resolve().parent.parent
STAND_INS = ROOT / "tests" / "fixtures" / "platforms" / "bin"

#: What each recipe's environment must hold: key -> value (None: set, value not readable).
EXPECTED: dict[str, dict[str, str | None]] = {
    "heroku": {"NODE_ENV": "production", "WEB_CONCURRENCY": "2", "SESSION_SECRET": "CANARY-heroku-7Hq2mZ9xW4pLk8Rt"},
    "vercel": {"NEXT_PUBLIC_APP_URL": "https://mre.vercel.app", "VERCEL_ENV": "production"},
    "fly": {"DATABASE_URL": None, "SESSION_SECRET": None},
    "github": {"DATABASE_URL": None, "SESSION_SECRET": None},
    "doppler": {"NODE_ENV": "production", "DOPPLER_CONFIG": "prd"},
    "cluster": {"LOG_LEVEL": "info", "WEB_CONCURRENCY": "2"},
}


def recipes() -> dict[str, dict[str, Any]]:
    """The README's platform recipes, by environment name."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("#### Platform recipes", 1)[1].split("\n### ", 1)[0]
    found: dict[str, dict[str, Any]] = {}
    for block in re.findall(r"```toml\n(.*?)```", section, re.S):
        found.update(tomllib.loads(block)["environments"])
    return found


@pytest.fixture(autouse=True)
def _commands_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """These sources run programs: the user allows it from outside drift.toml (issue #20)."""
    monkeypatch.setenv("DRIFT_ALLOW_COMMANDS", "1")


@pytest.fixture
def platforms(project: Project, monkeypatch: pytest.MonkeyPatch) -> Project:
    monkeypatch.setenv("PATH", f"{STAND_INS}{os.pathsep}{os.environ['PATH']}")
    project.write(".env.example", "# @optional\nNODE_ENV=production\n")
    return project


def test_the_readme_has_a_recipe_per_platform() -> None:
    assert set(recipes()) == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_recipe_reads_what_the_platform_prints(platforms: Project, name: str) -> None:
    recipe = recipes()[name]
    source = dict(recipe["sources"][0])
    data = CommandCollector(SourceConfig("command", source), CollectContext(platforms.root, name)).collect()
    values = {e.key: e.value for e in data.entries}
    assert {k: values.get(k, "absent") for k in EXPECTED[name]} == EXPECTED[name]
    assert not data.problems


def test_names_only_entries_satisfy_missing_and_are_never_passed(platforms: Project) -> None:
    """A key whose value the store never gives: not `missing`, shown as set but unreadable,
    and an assertion over it could not be evaluated (never holds by default)."""
    platforms.write(
        ".env.example", "# @type url\nDATABASE_URL=postgres://localhost/db\nSESSION_SECRET=\nAPI_URL=http://localhost\n"
    )
    fly = json.dumps(recipes()["fly"]["sources"][0]["argv"])
    platforms.write(
        "drift.toml",
        f'[environments.fly]\nsources = [{{ type = "command", argv = {fly}, format = "json" }}]\n'
        '[[assert]]\nname = "db-is-postgres"\ncheck = "url_scheme(DATABASE_URL) == \'postgres\'"\n'
        'message = "DATABASE_URL must be PostgreSQL"\n',
    )
    document = json.loads(run(["check", "--format", "json"], expect=1).stdout)
    found = {(f["rule"], f["key"]): f for f in document["findings"]}
    assert ("missing", "DATABASE_URL") not in found and ("missing", "SESSION_SECRET") not in found
    assert ("missing", "API_URL") in found
    assertion = found[("assertion", None)]
    assert "could not be evaluated: the value of DATABASE_URL is not readable" in assertion["message"]
    cells = {row["key"]: row["cells"]["fly"] for row in document["matrix"]}
    assert cells["DATABASE_URL"] == {"state": "unreadable", "display": None, "group": None}
    html = run(["check", "--format", "html", "--fail-on", "none"], expect=0).stdout
    assert "set, value not readable" in html


EXPIRED = "import sys; print('Error: token CANARY-stderr-9f8e7d6c5b4a39281 expired', file=sys.stderr); sys.exit(2)"


@pytest.mark.parametrize(
    ("argv", "options", "cause"),
    [
        (["no-such-platform-cli"], {}, "no-such-platform-cli: program not found"),
        ([sys.executable, "-c", EXPIRED], {}, "exited with status 2: Error: token •••••• expired"),
        ([sys.executable, "-c", "import time; time.sleep(30)"], {"timeout": 0.5}, "did not finish within 0.5 s"),
        ([sys.executable, "-c", "print('x' * 5000)"], {"max_bytes": 1000}, "printed more than 1,000 bytes"),
        ([sys.executable, "-c", "import sys; sys.stdout.buffer.write(b'A=\\xff')"], {}, "not UTF-8 text"),
        ([sys.executable, "-c", "print('{not json')"], {"format": "json"}, "did not print JSON (line 1"),
        ([sys.executable, "-c", "print(42)"], {"format": "json"}, "neither an object nor a list"),
    ],
)  # fmt: skip
def test_what_stops_a_command(project: Project, argv: list[str], options: dict[str, Any], cause: str) -> None:
    source = SourceConfig("command", {"argv": argv, **options})
    with pytest.raises(CollectorError) as raised:
        CommandCollector(source, CollectContext(project.root, "p")).collect()
    assert cause in str(raised.value)
    assert "CANARY" not in str(raised.value)


def test_a_timed_out_command_leaves_no_process(project: Project) -> None:
    pid_file = project.root / "child.pid"
    parent = (
        "import pathlib, subprocess, sys, time; "
        "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(300)']); "
        f"pathlib.Path({str(pid_file)!r}).write_text(str(child.pid)); time.sleep(30)"
    )
    source = SourceConfig("command", {"argv": [sys.executable, "-c", parent], "timeout": 5})
    with pytest.raises(CollectorError, match="did not finish"):
        CommandCollector(source, CollectContext(project.root, "p")).collect()
    assert ended(int(pid_file.read_text()))  # it went with the process group


@pytest.mark.parametrize(
    ("text", "fmt", "expected", "problems"),
    [
        ('{"A": "1", "B": true, "C": 2.5, "D": null}', "json", {"A": "1", "B": "true", "C": "2.5"}, 1),
        ('[{"name": "A", "value": "x"}, {"Name": "B"}, {"value": "orphan"}]', "json", {"A": "x", "B": None}, 1),
        ("A\n# comment\n\nB_2\nnot a key!\n", "names", {"A": None, "B_2": None}, 1),
        ('{"apiVersion": "v1", "kind": "Secret", "data": {"T": "dG9r", "BAD": "%%%"}}', "json", {"T": "tok"}, 1),
    ],
)
def test_output_formats(project: Project, text: str, fmt: str, expected: dict[str, Any], problems: int) -> None:
    argv = [sys.executable, "-c", f"import sys; sys.stdout.write({text!r})"]
    data = CommandCollector(
        SourceConfig("command", {"argv": argv, "format": fmt}), CollectContext(project.root, "p")
    ).collect()
    assert {e.key: e.value for e in data.entries} == expected
    assert len(data.problems) == problems and data.malformed


def test_platform_canaries_never_reach_an_output(platforms: Project) -> None:
    platforms.write(".env.example", "NODE_ENV=production\nSESSION_SECRET=\nDATABASE_URL=\n")
    lines = []
    for name in ("heroku", "doppler", "vercel"):
        argv = json.dumps(recipes()[name]["sources"][0]["argv"])
        fmt = recipes()[name]["sources"][0]["format"]
        lines.append(f'[environments.{name}]\nsources = [{{ type = "command", argv = {argv}, format = "{fmt}" }}]')
    platforms.write("drift.toml", "\n".join(lines) + "\n")
    assert "CANARY" not in every_output(run, 0)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ('{ type = "command", argv = [] }', "`argv` must be a non-empty list"),
        ('{ type = "command", argv = "heroku config" }', "`argv` must be of type list"),
        ('{ type = "command", argv = ["x"], format = "yaml" }', "`format` must be one of dotenv, json, names"),
        ('{ type = "command", argv = ["x"], timeout = 0 }', "`timeout` must be a number of seconds"),
    ],
)
def test_command_options_are_checked(project: Project, source: str, message: str) -> None:
    project.write(".env.example", "A=1\n")
    project.write("drift.toml", f"[environments.p]\nsources = [{source}]\n")
    assert message in run(["check"], expect=2).stderr
