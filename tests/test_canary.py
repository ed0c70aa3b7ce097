"""Planted canary secrets must never appear in any output, byte for byte."""

from __future__ import annotations

import pytest

from tests.conftest import Project, run

CANARIES = {
    "SESSION_SECRET": "CANARY-session-0a1b2c3d4e5f",
    "PAYMENT": "sk_live_CANARYabcdefghijklmnop",
    "DATABASE_URL": "postgres://app:CANARY-db-pw-77@db.internal/app",
    "SHORT_TOKEN": "CANARY-short",
    "NEXT_PUBLIC_LEAKED_TOKEN": "CANARY-public-leak-9999",
    "STRAY_PASSWORD": "CANARY-undeclared-pw",
    "SHARED_SECRET": "CANARY-shared-between-envs",
}
NEEDLES = ["CANARY", "0a1b2c3d4e5f", "CANARY-db-pw-77"]


@pytest.fixture
def planted(project: Project) -> Project:
    project.write(
        ".env.example",
        """
        # @min-length 64
        SESSION_SECRET=
        PAYMENT=
        # @type url(mysql)
        DATABASE_URL=
        # @type int
        SHORT_TOKEN=
        NEXT_PUBLIC_LEAKED_TOKEN=
        # @same
        SHARED_SECRET=
        """,
    )
    production = "".join(f"{k}={v}\n" for k, v in CANARIES.items())
    project.write("production.env", production + "broken line with CANARY-in-malformed\n")
    project.write(
        "staging.env", f"SHARED_SECRET={CANARIES['SHARED_SECRET']}x\nSESSION_SECRET={CANARIES['SESSION_SECRET']}\n"
    )
    project.write(
        "drift.toml",
        '[environments.staging]\nsources = [{ type = "dotenv", path = "staging.env" }]\n'
        '[environments.production]\nsources = [{ type = "dotenv", path = "production.env" },'
        ' { type = "process", prefix = "PROCX_" }]\n',
    )
    return project


def assert_clean(text: str) -> None:
    for needle in NEEDLES:
        assert needle not in text, f"{needle!r} leaked"


def test_terminal_and_json_never_show_a_secret(planted: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROCX_API_KEY", "CANARY-from-process")
    for fmt in ("terminal", "json"):
        result = run(["check", "--format", fmt], expect=1)
        assert_clean(result.stdout + result.stderr)
    document = run(["check", "--format", "json"], expect=1).stdout
    for rule in ("invalid", "secret-public", "secret-reuse", "parity", "malformed", "undeclared"):
        assert f'"rule": "{rule}"' in document, rule
    assert "db.internal" in document  # the URL is shown, only its password is masked


def test_diff_masks_secrets(planted: Project) -> None:
    result = run(["diff", "production.env", "staging.env"], expect=1)
    assert_clean(result.stdout + result.stderr)
    rows = {line.split()[0]: line.split() for line in result.stdout.splitlines()[1:8]}
    # the comparison is still made, through fingerprints: equal secrets look equal, others not
    assert rows["SESSION_SECRET"][-1] == "same" and rows["SESSION_SECRET"][2] == rows["SESSION_SECRET"][4]
    assert rows["SHARED_SECRET"][-1] == "differs" and rows["SHARED_SECRET"][2] != rows["SHARED_SECRET"][4]
    assert rows["PAYMENT"][-1] == "missing"
    assert "7 keys: 1 differ, 5 missing somewhere, 1 same" in result.stdout


def test_errors_never_echo_values(project: Project) -> None:
    project.write(".env.example", "A=1\n")
    project.write("drift.toml", "[drift]\nfail_on = 'CANARY-in-config'\n[environments.p]\nsources=[{type='process'}]\n")
    result = run(["check"], expect=2)
    assert "fail_on must be one of" in result.stderr
    project.write(".env.example", "# @type int\nA=CANARY-example-value\nthis CANARY line is broken\n")
    project.write("drift.toml", "[environments.p]\nsources=[{type='process'}]\n")
    result = run(["schema", "lint"], expect=1)
    assert ".env.example:3" in result.stdout
    assert_clean(result.stdout + result.stderr)
