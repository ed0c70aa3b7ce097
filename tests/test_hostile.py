"""Issue #9: hostile and broken input never produces a traceback. One regression test per
case the adversarial review reproduced, named after it; every command's exit code is one of
the documented ones (`run` re-raises any real exception and rejects a traceback)."""

from __future__ import annotations

import gzip
import json
import os
import resource
import sqlite3
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from drift import cli
from drift.errors import EXIT_INTERNAL
from tests.conftest import FINGERPRINT_KEY, Project, run

ONE_ENV = '[environments.production]\nsources = [{ type = "dotenv", path = "p.env" }]\n'


def setup(project: Project, example: str, env: str, extra: str = "") -> None:
    project.write(".env.example", example)
    (project.root / "p.env").write_text(env, encoding="utf-8")
    project.write("drift.toml", extra + ONE_ENV)


def run_any(args: list[str]) -> int:
    """The exit code of a command whose outcome depends on chance damage: a documented one,
    reached without a traceback or an exception escaping."""
    result = CliRunner().invoke(cli.main, args, catch_exceptions=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.exit_code


def findings(*args: str, expect: int = 1) -> list[dict[str, Any]]:
    document: dict[str, Any] = json.loads(run(["check", "--format", "json", *args], expect=expect).stdout)
    return list(document["findings"])


# 1. One value crashed the run -------------------------------------------------------------
@pytest.mark.parametrize("type_name", ["int", "port"])
def test_5000_digit_int_or_port_is_invalid(project: Project, type_name: str) -> None:
    setup(project, f"# @type {type_name}\nN=1\n", "N=" + "9" * 5000 + "\n")
    assert [f["rule"] for f in findings()] == ["invalid"]


def test_400_digit_int_against_max_is_invalid(project: Project) -> None:
    setup(project, "# @type int @max 5\nN=1\n", "N=" + "9" * 400 + "\n")
    assert [f["rule"] for f in findings()] == ["invalid"]


def test_100_digit_int_against_max_is_compared_exactly(project: Project) -> None:
    setup(project, "# @type int @max 5\nN=1\n", "N=" + "9" * 99 + "\n")
    (finding,) = findings()
    assert "above the maximum of 5" in finding["message"]


def test_json_with_100000_nested_brackets_is_invalid(project: Project) -> None:
    setup(project, "# @type json\nJ={}\n", "J=" + "[" * 100_000 + "]" * 100_000 + "\n")
    assert [f["rule"] for f in findings()] == ["invalid"]


def test_example_value_with_a_broken_ipv6_url(project: Project) -> None:
    setup(project, "APP_URL=ht://lo[calhost:3001\n", "APP_URL=ht://lo[calhost:3001\n")
    run(["check"], expect=0)
    run(["schema", "lint"], expect=0)


# 2. Workflow-command injection in GitHub Actions -----------------------------------------
def test_values_and_keys_cannot_inject_workflow_commands(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    project.write(".env.example", "# @not-secret\nMOTD=\n")
    (project.root / "p.env").write_text('MOTD="x\\n::error file=x.py,line=1::INJECTED\\n::add-mask::info"\n')
    project.write(
        "drift.toml",
        '[environments.production]\nsources = [{ type = "dotenv", path = "p.env" }, '
        '{ type = "process", prefix = "PROCX_" }]\n',
    )
    monkeypatch.setenv("PROCX_\n::error::KEY_INJECTED", "1")
    output = run(["check"], expect=0, env={"GITHUB_ACTIONS": "true"}).stdout
    commands = [line for line in output.splitlines() if line.startswith("::")]
    assert all(line.startswith(("::warning title=drift", "::error title=drift")) for line in commands)
    assert "INJECTED" in output  # shown, but inert: escaped inside a drift line


# 3. Markdown and Slack injection ----------------------------------------------------------
HOSTILE_KEYS = ["![img](https://attacker.example/p.png)", "[click](https://attacker.example/)", "@octo-org/security"]


def test_markdown_cells_cannot_link_embed_or_mention(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    project.write(".env.example", "A=a\n")
    project.write("drift.toml", '[environments.production]\nsources = [{ type = "process", prefix = "PX_" }]\n')
    for key in HOSTILE_KEYS:
        monkeypatch.setenv(f"PX_{key}", "v")
    monkeypatch.setenv("PX_A", "a")
    text = run(["check", "--format", "markdown", "--fail-on", "none"], expect=0).stdout
    assert "](" not in text.replace("\\](", "") and "![" not in text and "@octo" not in text
    assert "attacker" in text  # the text is there, inert


def test_slack_payload_cannot_ping_the_channel(project: Project) -> None:
    from drift.report.notify import message

    document: Any = {"project": "<!channel>", "summary": {"error": 1, "warning": 0, "info": 0}}
    finding = {"severity": "error", "rule": "missing", "env": "p", "key": "<!channel>", "message": "<@U123> <!here>"}
    payload = json.dumps(message(document, [finding], "<https://attacker.example|report>"))  # type: ignore[list-item]
    assert "<!" not in payload and "<@" not in payload and "<https" not in payload


# 4. JUnit XML with control characters -----------------------------------------------------
def test_junit_is_well_formed_with_control_characters(project: Project) -> None:
    setup(project, "A=a\n", "ESC_\x1b[2J=1\nA=\x1b]0;title\x07\n")
    ET.fromstring(run(["check", "--format", "junit", "--fail-on", "warning"], expect=1).stdout)


# 5. ReDoS ---------------------------------------------------------------------------------
def test_a_catastrophic_pattern_is_an_invalid_finding_not_a_hang(project: Project) -> None:
    setup(project, "# @pattern (a|aa)+$\nA=aaaa\n", "A=" + "a" * 40 + "!\n")
    (finding,) = findings()
    assert finding["rule"] == "invalid" and "could not complete" in finding["message"]
    run(["schema", "lint"], expect=0)


# 6. The documented description field ------------------------------------------------------
@pytest.mark.parametrize("table", ["[keys.B]", '[keys."*"]'])
def test_description_in_drift_toml(project: Project, table: str) -> None:
    setup(project, "# from the example\nB=b\n", "B=b\n", "")
    project.write("drift.toml", ONE_ENV + f'{table}\ndescription = "from drift.toml"\n')
    shown = run(["schema", "show", "--format", "json"], expect=0).stdout
    assert json.loads(shown)["keys"][0]["description"] == "from drift.toml"


# 7. Write errors --------------------------------------------------------------------------
@pytest.mark.parametrize("target", ["out", "afile/x.html"])
def test_unwritable_output_targets(project: Project, target: str) -> None:
    setup(project, "A=a\n", "A=a\n")
    (project.root / "out").mkdir()
    (project.root / "afile").write_text("")
    assert "cannot write" in run(["check", "--output", f"html:{target}"], expect=2).stderr


def test_reports_dir_a_symlink_loop(project: Project) -> None:
    setup(project, "A=a\n", "A=a\n", '[drift]\nreports_dir = "loop"\n')
    (project.root / "loop").symlink_to(project.root / "loop")
    run(["scan", "--no-save"], expect=2)


def test_step_summary_that_cannot_be_written(project: Project) -> None:
    setup(project, "A=a\n", "A=a\n")
    result = run(["check"], expect=2, env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": "/proc/nope"})
    assert "GITHUB_STEP_SUMMARY" in result.stderr


def test_a_full_disk(project: Project) -> None:
    setup(project, "A=a\n", "A=a\n")

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))

    done = subprocess.run(
        [sys.executable, "-m", "drift", "scan", "--no-save"],
        cwd=project.root,
        env={**os.environ, "DRIFT_FINGERPRINT_KEY": FINGERPRINT_KEY},
        capture_output=True,
        text=True,
        preexec_fn=small_files,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "cannot write" in done.stderr or "cannot open the history" in done.stderr


# 8. Damaged history -----------------------------------------------------------------------
def damage_pages(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for offset in range(4096, len(data), 97):
        data[offset] ^= 0xA5
    path.write_bytes(bytes(data))


def scanned(project: Project) -> Path:
    setup(project, "A=a\n", "A=a\n")
    run(["scan"], expect=0)
    db = project.root / ".drift" / "history.sqlite"
    with sqlite3.connect(db) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db


@pytest.mark.parametrize("damage", ["pages", "columns", "gzip"])
def test_damaged_history(project: Project, damage: str) -> None:
    db = scanned(project)
    if damage == "pages":
        damage_pages(db)
    else:
        with sqlite3.connect(db) as connection:
            if damage == "columns":
                connection.execute("DROP TABLE scans")
                connection.execute("CREATE TABLE scans (other TEXT)")
            else:
                connection.execute("UPDATE scans SET data = ?", (b"\x1f\x8b" + b"not gzip at all",))
    if damage == "pages":  # which pages a flipped bit hits decides what still reads: no traceback either way
        for command in (["history"], ["report"], ["scan"], ["check"], ["check", "--new-only"]):
            assert run_any(command) in (0, 1, 2, 3)
        return
    if damage == "columns":
        assert "history" in run(["history"], expect=2).stderr
    else:  # the list of scans reads summary columns; only the saved document is damaged
        run(["history"], expect=0)
    for command in (["report"], ["scan"]):
        assert "history" in run(command, expect=2).stderr
    assert "checking without history" in run(["check"], expect=0).stderr
    run(["check", "--new-only"], expect=2)


def test_a_saved_scan_with_a_corrupt_gzip_member(project: Project) -> None:
    db = scanned(project)
    with sqlite3.connect(db) as connection:
        blob = gzip.compress(b'{"id": 1}')
        connection.execute("UPDATE scans SET data = ?", (blob[:-6],))
    assert "cannot be read" in run(["report"], expect=2).stderr


# 9. Special files -------------------------------------------------------------------------
def test_dev_zero_as_a_source_and_in_diff(project: Project) -> None:
    project.write(".env.example", "A=a\n")
    project.write(
        "drift.toml",
        '[drift]\nallow_outside = true\n[environments.p]\nsources = [{ type = "dotenv", path = "/dev/zero" }]\n',
    )
    assert "not a regular file" in run(["check"], expect=3).stdout
    project.write("base.env", "A=a\n")
    assert "not a regular file" in run(["diff", "base.env", "/dev/zero"], expect=2).stderr


def test_a_fifo_source_does_not_hang(project: Project) -> None:
    setup(project, "A=a\n", "A=a\n")
    (project.root / "p.env").unlink()
    os.mkfifo(project.root / "p.env")
    run(["check"], expect=3)
    run(["scan", "--no-save"], expect=3)
    project.write("base.env", "A=a\n")
    run(["diff", "base.env", "p.env"], expect=2)


@pytest.mark.parametrize("what", ["source", "schema", "dotenv-local", "history"])
def test_a_symlink_loop(project: Project, what: str) -> None:
    loop = project.root / "loop"
    loop.symlink_to(loop)
    if what == "source":
        setup(project, "A=a\n", "A=a\n")
        project.write("drift.toml", '[environments.p]\nsources = [{ type = "dotenv", path = "loop" }]\n')
        run(["check"], expect=3)
    elif what == "schema":
        setup(project, "A=a\n", "A=a\n")
        project.write("drift.toml", '[drift]\nschema = "loop"\n' + ONE_ENV)
        run(["check"], expect=2)
    elif what == "dotenv-local":
        project.write(".env.example", "A=a\n")
        (project.root / ".env").symlink_to(loop)
        run(["check"], expect=3)
    else:
        setup(project, "A=a\n", "A=a\n", '[drift]\nhistory = "loop"\n')
        run(["scan"], expect=2)


# 10. Webhook URLs -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "url", ["http://host/with space/SECRET-TOKEN", "http://host:notaport/SECRET-TOKEN", "http://[::1/SECRET-TOKEN"]
)
def test_a_malformed_webhook_url(project: Project, monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    setup(project, "A=a\n", "A=change-me\n")
    project.write("drift.toml", ONE_ENV + '[notify]\nwebhook_url = "${HOOK}"\n')
    monkeypatch.setenv("HOOK", url)
    result = run(["scan"], expect=1)
    assert "notification failed" in result.stderr and "SECRET-TOKEN" not in result.output


# 11. Numbers in configuration -------------------------------------------------------------
@pytest.mark.parametrize(
    "field",
    ["max_length = inf", "max = -inf", "max = 1e400", f"min = {'9' * 400}", "min = nan", "min_length = 1e300"],
)
def test_numbers_in_config(project: Project, field: str) -> None:
    setup(project, "# @type int\nA=1\n", "A=1\n")
    project.write("drift.toml", ONE_ENV + f"[keys.A]\n{field}\n")
    assert "finite number" in run(["check"], expect=2).stderr


def test_max_length_annotation_1e999(project: Project) -> None:
    setup(project, "# @max-length 1e999\nA=a\n", "A=a\n")
    run(["check"], expect=2)


def test_toml_nested_2000_deep(project: Project) -> None:
    setup(project, "A=a\n", "A=a\n")
    project.write("drift.toml", ONE_ENV + "[keys.A]\ndescription = " + "[" * 2000 + "]" * 2000 + "\n")
    run(["check"], expect=2)


# 12. The fingerprint key file -------------------------------------------------------------
def test_an_empty_fingerprint_key_file(project: Project) -> None:
    setup(project, "A=a\n", "A=a\n")
    (project.root / ".drift").mkdir()
    (project.root / ".drift" / "fingerprint.key").write_bytes(b"")
    assert "empty or shorter" in run(["scan"], expect=2, env={"DRIFT_FINGERPRINT_KEY": ""}).stderr


# 13. A tampered report --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("findings", 0, "severity"), "catastrophic"),
        (("findings", 0, "env"), "nowhere"),
        (("findings", 0, "message"), None),
        (("findings", 0, "key"), 7),
        (("environments", 0, "findings"), None),
        (("matrix",), {"not": "a list"}),
    ],
)
def test_render_a_tampered_report(project: Project, path: tuple[Any, ...], value: object) -> None:
    setup(project, "A=a\nB=b\n", "A=a\n")
    document = json.loads(run(["check", "--format", "json"], expect=1).stdout)
    target = document
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    project.write("report.json", json.dumps(document))
    for fmt in ("terminal", "html", "markdown", "sarif", "junit", "json"):
        assert "drift JSON report" in run(["render", "--input", "report.json", "--format", fmt], expect=2).stderr


# 14. drift diff and malformed lines -------------------------------------------------------
def test_diff_reports_lines_it_could_not_read(project: Project) -> None:
    project.write("a.env", 'A="x\n')
    project.write("b.env", "ZZ z\n")
    result = run(["diff", "a.env", "b.env"], expect=3)
    assert (
        "malformed: cannot read a.env line 1" in result.stdout
        and "malformed: cannot read b.env line 1" in result.stdout
    )


# The contract for the unexpected ----------------------------------------------------------
def test_an_unexpected_error_is_one_line_and_exit_4(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    setup(project, "A=a\n", "A=a\n")

    secret = "-".join(["CANARY", "value", "in", "an", "exception"])

    def broken(*_: object, **__: object) -> None:
        raise ZeroDivisionError(secret)

    monkeypatch.setattr("drift.api.scan", broken)
    result = run(["check"], expect=4)
    assert result.stderr.strip() == "drift: internal error (ZeroDivisionError); this is a bug in drift"
    debug = run(["--debug", "check"], expect=4).stderr
    assert "frames (values masked)" in debug and "in broken" in debug and "CANARY" not in debug
    assert EXIT_INTERNAL == 4


def test_diff_schema_show_and_lint_print_file_text_inert(project: Project) -> None:
    hostile = "ESC_\x1b[2J_KEY"
    project.write("a.env", f"{hostile}=1\nB=1\n")
    project.write("b.env", "B=2\n")
    project.write(".env.example", f"# described \x1b]0;pwned\x07 here\n{hostile}=1\n# @type int\nB=x\n")
    outputs = [
        run(["diff", "a.env", "b.env"], expect=1).stdout,
        run(["schema", "show"], expect=0, env={"GITHUB_ACTIONS": "true"}).stdout,
        run(["schema", "lint"], expect=1).stdout,
    ]
    for text in outputs:
        assert "\x1b" not in text and "\x07" not in text
    assert "ESC_\\u001b[2J_KEY" in outputs[0]
