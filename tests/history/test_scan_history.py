"""Two saved scans with a change between them: new / persisting / resolved / changed in
every format; --new-only; history, report and baseline commands; flaky sources; the key check."""

from __future__ import annotations

import json
import sqlite3
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Project, run


@pytest.fixture
def two_scans(project: Project) -> Project:
    project.write(".env.example", "A=1\nB=1\n# @not-secret\nLOG_LEVEL=info\n# @optional\nC=\n")
    project.write("production.env", "A=1\nLOG_LEVEL=info\nC=x\n")  # B missing
    project.write("staging.env", "A=1\nB=1\nLOG_LEVEL=info\n")
    project.write(
        "drift.toml",
        '[drift]\nname = "hist"\n'
        '[environments.staging]\nsources = [{ type = "dotenv", path = "staging.env" }]\n'
        '[environments.production]\nsources = [{ type = "dotenv", path = "production.env" }]\n',
    )
    run(["scan"], expect=1)
    project.write("production.env", "A=1\nB=1\nLOG_LEVEL=debug\nD=1\n")  # B back, LOG_LEVEL changed, C gone, D new
    project.write("staging.env", "A=1\nB=1\nLOG_LEVEL=info\nE=2\n")  # E undeclared: new warning
    return project


def report(project: Project) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((project.root / "reports" / "drift-report.json").read_text())
    return data


def test_statuses_resolved_and_events(two_scans: Project) -> None:
    first_id = report(two_scans)["scan_id"]
    run(["scan", "--fail-on", "warning"], expect=1)
    doc = report(two_scans)
    assert doc["previous_scan"] == first_id
    findings = {f["id"]: f for f in doc["findings"]}
    assert findings["undeclared:staging:E"]["status"] == "new"
    assert findings["undeclared:production:D"]["status"] == "new"
    assert findings["changed:production:LOG_LEVEL"]["severity"] == "info"
    assert findings["changed:production:LOG_LEVEL"]["expected"] == "info"
    assert findings["changed:production:LOG_LEVEL"]["actual"] == "debug"
    assert "added:production:D" in findings and "removed:production:C" in findings
    assert [f["id"] for f in doc["resolved"]] == ["missing:production:B"]
    assert "added:production:B" in findings and "added:staging:E" in findings
    assert doc["summary"]["info"] == 5
    assert len(doc["trend"]) == 2


def test_persisting_keeps_first_seen(two_scans: Project) -> None:
    run(["scan"], expect=0)
    first = {f["id"]: f for f in report(two_scans)["findings"]}
    run(["scan"], expect=0)
    second = {f["id"]: f for f in report(two_scans)["findings"]}
    assert second["undeclared:staging:E"]["status"] == "persisting"
    assert second["undeclared:staging:E"]["first_seen"] == first["undeclared:staging:E"]["first_seen"]
    assert "changed:production:LOG_LEVEL" not in second  # an event, not a state


def test_every_format_shows_the_history(two_scans: Project) -> None:
    run(["scan"], expect=0)
    terminal = run(["report"], expect=0).stdout
    assert "NEW E is set in staging" in terminal and "1 resolved" in terminal
    markdown = run(["report", "--format", "markdown"], expect=0).stdout
    assert "`undeclared` **new** | staging | E" in markdown
    assert "Since scan" in markdown and "1 resolved" in markdown
    assert "`changed` **new** | production | LOG_LEVEL" in markdown
    html = run(["report", "--format", "html"], expect=0).stdout
    assert "New since the last scan" in html and "Trend over the last 2 scans" in html
    sarif = json.loads(run(["report", "--format", "sarif"], expect=0).stdout)
    states = {r["properties"]["id"]: r["baselineState"] for r in sarif["runs"][0]["results"]}
    assert states["undeclared:staging:E"] == "new"
    junit = run(["report", "--format", "junit"], expect=0).stdout
    assert ET.fromstring(junit).find("testsuite") is not None
    assert "warning: undeclared: E is set in staging" in junit


def test_new_only(two_scans: Project) -> None:
    run(["scan"], expect=0)
    run(["check", "--new-only", "--fail-on", "warning"], expect=0)  # the warnings are persisting now
    run(["check", "--fail-on", "warning"], expect=1)
    two_scans.write("staging.env", "A=1\nB=1\nLOG_LEVEL=info\nE=2\nF=3\n")
    run(["check", "--new-only", "--fail-on", "warning"], expect=1)
    (two_scans.root / "staging.env").unlink()
    run(["check", "--new-only", "--fail-on", "none"], expect=3)  # unreadable always counts


def test_history_and_report_commands(two_scans: Project) -> None:
    run(["scan"], expect=0)
    listed = json.loads(run(["history", "--format", "json"], expect=0).stdout)
    assert len(listed) == 2 and listed[0]["id"] > listed[1]["id"]
    assert listed[1]["error"] == 1 and listed[0]["error"] == 0
    lines = run(["history", "--limit", "1"], expect=0).stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(listed[0]["id"])
    old = json.loads(run(["report", "--scan", listed[1]["id"], "--format", "json"], expect=0).stdout)
    assert [f["id"] for f in old["findings"]] == ["missing:production:B"]
    run(["report", "--scan", listed[1]["id"], "--output", "html:old/report.html"], expect=0)
    assert (two_scans.root / "old" / "report.html").exists()
    assert "no saved scan 'nope'" in run(["report", "--scan", "nope"], expect=2).stderr


def test_scans_without_a_config_keep_one_fingerprint_key(project: Project) -> None:
    project.write(".env.example", "API_TOKEN=\n")
    project.write(".env", "API_TOKEN=same-token-value-123\n")
    env = {"DRIFT_FINGERPRINT_KEY": ""}
    run(["scan"], expect=0, env=env)
    run(["scan"], expect=0, env=env)
    run(["check", "--format", "json"], expect=0, env=env)
    assert (project.root / ".drift" / "fingerprint.key").exists()
    assert len(json.loads(run(["history", "--format", "json"], expect=0, env=env).stdout)) == 2


def test_no_save(two_scans: Project) -> None:
    run(["scan", "--no-save"], expect=0)
    assert len(json.loads(run(["history", "--format", "json"], expect=0).stdout)) == 1


def test_flaky_source_neither_resolves_nor_renews(two_scans: Project) -> None:
    two_scans.write("production.env", "A=1\nLOG_LEVEL=info\n")  # B missing again
    run(["scan"], expect=1)
    first_seen = {f["id"]: f["first_seen"] for f in report(two_scans)["findings"]}["missing:production:B"]
    (two_scans.root / "production.env").rename(two_scans.root / "away.env")
    run(["scan"], expect=3)
    doc = report(two_scans)
    assert [f["id"] for f in doc["unverified"]] == ["missing:production:B"]
    assert doc["resolved"] == []
    (two_scans.root / "away.env").rename(two_scans.root / "production.env")
    run(["scan"], expect=1)
    again = {f["id"]: f for f in report(two_scans)["findings"]}["missing:production:B"]
    assert again["status"] == "persisting" and again["first_seen"] == first_seen


def test_history_refuses_another_fingerprint_key(two_scans: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DRIFT_FINGERPRINT_KEY", "another-key")
    error = run(["scan"], expect=2).stderr
    assert "different fingerprint key" in error
    assert "another-key" not in error


def test_sqlite_store_is_wal_and_holds_no_secret(project: Project) -> None:
    project.write(".env.example", "API_TOKEN=\n")
    project.write("p.env", "API_TOKEN=CANARY-history-token-123\n")
    project.write("drift.toml", '[environments.p]\nsources = [{ type = "dotenv", path = "p.env" }]\n')
    run(["scan"], expect=0)
    project.write("p.env", "API_TOKEN=CANARY-history-token-456\n")
    run(["scan"], expect=0)
    database = project.root / ".drift" / "history.sqlite"
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    raw = b"".join(p.read_bytes() for p in database.parent.iterdir() if p.name.startswith("history"))
    assert b"CANARY" not in raw
    from drift.history.sqlite import SqliteHistory

    latest = SqliteHistory(database, "h").latest()
    assert latest is not None
    assert not any("CANARY" in json.dumps(e._asdict()) for e in latest.entries)
    assert "CANARY" not in json.dumps(latest.report) and "CANARY" not in str(latest)
    assert "changed:p:API_TOKEN" in {f.id for f in latest.findings}


def test_baseline(two_scans: Project) -> None:
    two_scans.write("production.env", "A=1\nLOG_LEVEL=info\nZ=1\n")
    run(["check"], expect=1)
    out = run(["baseline"], expect=0).stdout
    assert "wrote 3 entries to drift-baseline.toml" in out
    text = (two_scans.root / "drift-baseline.toml").read_text()
    assert 'rule = "missing"' in text and 'key = "B"' in text and "expires = " in text
    run(["check", "--fail-on", "warning"], expect=0)
    doc = json.loads(run(["check", "--format", "json"], expect=0).stdout)
    assert {f["id"] for f in doc["suppressed"]} == {
        "missing:production:B",
        "undeclared:production:Z",
        "undeclared:staging:E",
    }
    assert all(f["reason"] for f in doc["suppressed"])
    two_scans.write("production.env", "A=1\nB=1\nLOG_LEVEL=info\nZ=1\n")
    doc = json.loads(run(["check", "--format", "json", "--fail-on", "warning"], expect=1).stdout)
    assert [f["rule"] for f in doc["findings"] if f["severity"] != "info"] == ["suppression-unused"]


def test_baseline_never_takes_source_unavailable(two_scans: Project) -> None:
    (two_scans.root / "staging.env").unlink()
    out = run(["baseline"], expect=0).stdout
    assert "source-unavailable findings are never baselined" in out
    assert "source-unavailable" not in (two_scans.root / "drift-baseline.toml").read_text().split("# drift")[0]
    run(["check"], expect=3)


def test_progress_on_a_terminal_or_in_ci(two_scans: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    from drift.console.progress import CiLines, Spinners, progress_for

    monkeypatch.delenv("CI", raising=False)
    assert progress_for(quiet=False) is None
    monkeypatch.setenv("CI", "true")
    assert isinstance(progress_for(quiet=False), CiLines)
    assert progress_for(quiet=True) is None
    monkeypatch.setattr("sys.stderr.isatty", lambda: True, raising=False)
    spinners = progress_for(quiet=False)
    assert isinstance(spinners, Spinners)
    spinners.stop()


def test_reports_dir_is_relative_to_the_config(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    project.write("conf/.env.example", "A=1\n")
    project.write("conf/p.env", "A=1\n")
    project.write(
        "conf/drift.toml",
        '[drift]\nreports_dir = "out/reports"\nhistory = "state/h.sqlite"\n'
        '[environments.p]\nsources = [{ type = "dotenv", path = "p.env" }]\n',
    )
    run(["scan", "--config", "conf/drift.toml"], expect=0)
    assert (project.root / "conf" / "out" / "reports" / "drift-report.html").exists()
    assert (project.root / "conf" / "state" / "h.sqlite").exists()
    assert not Path(project.root / "reports").exists()


def _as_first_format(blob: bytes) -> bytes:
    """A saved scan as drift wrote it before typed records: the report's JSON and the entries."""
    import gzip

    data = json.loads(gzip.decompress(blob))
    old = {k: data[k] for k in ("id", "scanned_at", "project", "exit_code", "summary", "entries")}
    old["document"] = data["report"]
    return gzip.compress(json.dumps(old).encode())


def test_scans_saved_before_typed_records_still_count(project: Project) -> None:
    project.write(".env.example", "A=1\nB=1\n")
    project.write("p.env", "B=1\nB=2\n")  # A missing; B assigned twice (a finding with a discriminator)
    project.write("drift.toml", '[environments.p]\nsources = [{ type = "dotenv", path = "p.env" }]\n')
    run(["scan"], expect=1)
    db = sqlite3.connect(project.root / ".drift" / "history.sqlite")
    (scan_id, blob), *_ = db.execute("SELECT id, data FROM scans").fetchall()
    with db:
        db.execute("UPDATE scans SET data = ? WHERE id = ?", (_as_first_format(bytes(blob)), scan_id))
    db.close()
    first = {f["id"]: f for f in report(project)["findings"]}
    run(["scan"], expect=1)
    again = {f["id"]: f for f in report(project)["findings"]}
    assert {i for i, f in again.items() if f["status"] == "persisting"} == set(first)
    assert all(again[i]["first_seen"] == first[i]["first_seen"] for i in first)
    assert any(i.startswith("duplicate:p:B:") for i in first)  # an id with a discriminator came back whole
    assert run(["report", "--scan", scan_id, "--format", "json"], expect=0).stdout.startswith("{")
