"""Local collectors: dotenv failure modes (never an empty environment) and process."""

from __future__ import annotations

from pathlib import Path

import pytest

from drift import api
from drift.secrets import Fingerprinter
from tests.conftest import Project, run

Scanned = tuple[str, list[tuple[str, str | None, str]], dict[str, str | None]]


def scan_one(project: Project, source: str) -> Scanned:
    project.write(".env.example", "# @optional\nA=1\n")
    project.write("drift.toml", f"[environments.production]\nsources = [{source}]\n")
    result = api.scan(api.load_project(None, project.root), fingerprinter=Fingerprinter(b"k"))
    env = result.environments[0]
    return (
        env.status,
        [(f.rule, f.env, f.message) for f in result.findings],
        {k: e.value for k, e in env.entries.items()},
    )


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "file not found"),
        (b"A=1\x00\n", "binary file"),
        (b"A=\xff\xfe\n", "not valid UTF-8 (line 1)"),
        (b"A=" + b"x" * 200 + b"\n", "over the 100-byte limit"),
    ],
)
def test_unreadable_files_are_source_unavailable(project: Project, content: bytes | None, reason: str) -> None:
    if content is not None:
        (project.root / "prod.env").write_bytes(content)
    status, findings, entries = scan_one(project, '{ type = "dotenv", path = "prod.env", max_bytes = 100 }')
    assert status == "failed"
    assert entries == {}
    assert len(findings) == 1
    rule, env, message = findings[0]
    assert (rule, env) == ("source-unavailable", "production")
    assert "prod.env" in message and reason in message


def test_a_directory_is_not_an_env_file(project: Project) -> None:
    (project.root / "prod.env").mkdir()
    status, findings, _ = scan_one(project, '{ type = "dotenv", path = "prod.env" }')
    assert status == "failed" and "is a directory" in findings[0][2]


def test_missing_file_exits_3(project: Project) -> None:
    project.write(".env.example", "A=1\n")
    project.write("drift.toml", '[environments.production]\nsources = [{ type = "dotenv", path = "nope.env" }]\n')
    result = run(["check"], expect=3)
    assert "nope.env" in result.stdout and "file not found" in result.stdout


def test_values_are_never_interpolated(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOST_SECRET_FROM_CI", "leaked")
    project.write("prod.env", "A=${HOST_SECRET_FROM_CI}\nB=$A\n")
    _, _, entries = scan_one(project, '{ type = "dotenv", path = "prod.env" }')
    assert entries == {"A": "${HOST_SECRET_FROM_CI}", "B": "$A"}


def test_quotes_exports_multiline_and_comments(project: Project) -> None:
    project.write("prod.env", "export A='single'\nB=\"two\nlines\"\nC=plain # trailing comment\nD=\n")
    _, _, entries = scan_one(project, '{ type = "dotenv", path = "prod.env" }')
    assert entries == {"A": "single", "B": "two\nlines", "C": "plain", "D": ""}


def test_include_and_exclude(project: Project) -> None:
    project.write("prod.env", "APP_A=1\nAPP_B=2\nOTHER=3\n")
    _, _, entries = scan_one(project, '{ type = "dotenv", path = "prod.env", include = ["APP_*"], exclude = ["*_B"] }')
    assert entries == {"APP_A": "1"}


def test_a_filtered_source_holding_nothing_is_empty_not_failed(project: Project) -> None:
    project.write("prod.env", "OTHER=3\n")
    status, findings, _ = scan_one(project, '{ type = "dotenv", path = "prod.env", include = ["APP_*"] }')
    assert status == "ok" and findings == []
    result = api.scan(api.load_project(None, project.root), fingerprinter=Fingerprinter(b"k"))
    assert result.environments[0].sources[0].status == "empty"


def test_process_source_with_prefix(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MRE_A", "1")
    monkeypatch.setenv("MRE_B", "2")
    _, _, entries = scan_one(project, '{ type = "process", prefix = "MRE_", strip_prefix = true }')
    assert entries == {"A": "1", "B": "2"}
    _, _, entries = scan_one(project, '{ type = "process", prefix = "MRE_" }')
    assert entries == {"MRE_A": "1", "MRE_B": "2"}


def test_other_environments_are_still_reported_when_one_fails(project: Project, tmp_path: Path) -> None:
    project.write(".env.example", "A=1\n")
    project.write("ok.env", "A=1\nB=1\n")
    project.write(
        "drift.toml",
        '[environments.staging]\nsources = [{ type = "dotenv", path = "ok.env" }]\n'
        '[environments.production]\nsources = [{ type = "dotenv", path = "gone.env" }]\n',
    )
    result = run(["check", "--format", "json"], expect=3)
    assert '"rule": "undeclared"' in result.stdout and '"rule": "source-unavailable"' in result.stdout
