"""`drift fleet` over local histories written by real scans: every format, staleness, an
unreadable history, exit codes, secrets shared across projects only under one fingerprint
key, and no value in any output."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from drift import api
from drift.actions import fleet
from drift.secrets import Fingerprinter
from tests.conftest import run

CANARY = "CANARY-fleet-Zx81qLm2Wv93nBt4Yc65"


def scanned(root: Path, name: str, env_text: str, history: Path, key: bytes = b"fleet-key") -> None:
    """A project scanned twice into `history` (the second scan is the latest, with statuses)."""
    project_root = root / name
    project_root.mkdir(parents=True, exist_ok=True)
    (project_root / ".env.example").write_text("# @type int\nWORKERS=4\nLOG_LEVEL=info\nSESSION_SECRET=\n")
    (project_root / "drift.toml").write_text(
        f'[drift]\nname = "{name}"\nhistory = "{history}"\nallow_outside = true\n'
        '[environments.production]\nsources = [{ type = "dotenv", path = "production.env" }]\n'
        '[environments.staging]\nsources = [{ type = "dotenv", path = "staging.env" }]\n'
    )
    (project_root / "staging.env").write_text(f"WORKERS=2\nLOG_LEVEL=debug\nSESSION_SECRET={CANARY}-{name}\n")
    for text in ("WORKERS=4\nLOG_LEVEL=info\nSESSION_SECRET=x\n", env_text):
        (project_root / "production.env").write_text(text)
        project = api.load_project(project_root / "drift.toml", project_root)
        store = api.history_for(project)
        assert store is not None
        fingerprint = Fingerprinter(key)
        result = api.scan(project, history=store, fingerprinter=fingerprint)
        api.save_scan(result, store, fingerprint)


@pytest.fixture
def histories(tmp_path: Path) -> Path:
    folder = tmp_path / "histories"
    folder.mkdir()
    scanned(
        tmp_path, "billing", "WORKERS=4\nLOG_LEVEL=info\nSESSION_SECRET=s3cret-billing-prod\n", folder / "billing.db"
    )
    scanned(tmp_path, "checkout", "WORKERS=many\nLOG_LEVEL=info\n", folder / "checkout.db")
    scanned(tmp_path, "search", f"WORKERS=4\nLOG_LEVEL=info\nSESSION_SECRET={CANARY}-search\n", folder / "search.db")
    return folder


def test_one_report_over_every_project(histories: Path, tmp_path: Path) -> None:
    done = run(["fleet", f"{histories}/", "--format", "json", "--output", f"markdown:{tmp_path}/fleet.md"], expect=1)
    document = json.loads(done.stdout)
    projects = {p["name"]: p for p in document["projects"]}
    assert set(projects) == {"billing", "checkout", "search"}
    checkout = projects["checkout"]
    assert checkout["totals"]["error"] == 1 and checkout["totals"]["warning"] >= 1  # WORKERS invalid; a secret gone
    assert checkout["new"] >= 2 and checkout["environments"]["production"]["error"] == 1
    assert checkout["oldest"]["rule"] and checkout["oldest"]["first_seen"]
    assert len(checkout["trend"]) == 2 and checkout["trend"][-1]["error"] == checkout["totals"]["error"]
    assert document["summary"]["projects"] == 3 and document["summary"]["unreadable"] == 0
    rules = {r["rule"]: r for r in document["rules"]}
    assert rules["invalid"]["projects"] >= 1
    # staging's SESSION_SECRET is each project's own; search's production shares staging's
    # value inside search only: nothing is shared across projects
    assert document["secrets_comparable"] is True and document["shared_secrets"] == []
    markdown = (tmp_path / "fleet.md").read_text()
    assert "| checkout |" in markdown and "### Most frequent rules" in markdown
    for fmt in ("terminal", "json", "markdown", "html", "openmetrics"):
        text = run(["fleet", f"{histories}/", "--format", fmt], expect=1).stdout
        assert CANARY not in text and "s3cret-billing" not in text, fmt
        assert "checkout" in text, fmt
    metrics = run(["fleet", f"{histories}/", "--format", "openmetrics"], expect=1).stdout
    families = {f.name: f for f in text_string_to_metric_families(metrics)}
    up = {s.labels["project"]: s.value for s in families["drift_fleet_history_up"].samples}
    assert up == {"billing": 1.0, "checkout": 1.0, "search": 1.0}
    html = run(["fleet", f"{histories}/", "--format", "html"], expect=1).stdout
    assert "Content-Security-Policy" in html and "<script" not in html


def test_a_secret_shared_between_services_is_reported_under_one_key(tmp_path: Path) -> None:
    folder = tmp_path / "histories"
    folder.mkdir()
    shared = "SESSION_SECRET=Hp42rTs8Uq17jLw9Xe30Ma56shared\n"
    scanned(tmp_path, "api", "WORKERS=4\nLOG_LEVEL=info\n" + shared, folder / "api.db")
    scanned(tmp_path, "worker", "WORKERS=4\nLOG_LEVEL=info\n" + shared, folder / "worker.db")
    scanned(tmp_path, "other-key", "WORKERS=4\nLOG_LEVEL=info\n" + shared, folder / "other.db", key=b"another-key")
    document = json.loads(run(["fleet", f"{folder}/", "--format", "json"], expect=0).stdout)
    holders = [{(h["project"], h["environment"], h["key"]) for h in s["holders"]} for s in document["shared_secrets"]]
    assert {("api", "production", "SESSION_SECRET"), ("worker", "production", "SESSION_SECRET")} in holders
    assert not any(p == "other-key" for group in holders for p, _, _ in group)  # another key: not comparable
    assert "Hp42rTs8" not in json.dumps(document)


def test_stale_and_unreadable_projects(histories: Path, tmp_path: Path) -> None:
    later = datetime.now(UTC) + timedelta(days=5)
    stores = fleet.histories([f"{histories}/"], lambda: None)
    document = fleet.to_document(fleet.gather(stores, stale_days=2, now=later))
    assert document["summary"]["stale"] == 3 and all(p["stale"] for p in document["projects"])
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "ok.db").write_bytes((histories / "billing.db").read_bytes())
    (broken / "damaged.db").write_bytes(b"SQLite format 3\x00" + os.urandom(4000))
    done = run(["fleet", f"{broken}/", "--format", "json"], expect=3)  # billing is clean; one cannot be read
    projects = {p["location"].rsplit("/", 1)[-1]: p for p in json.loads(done.stdout)["projects"]}
    assert projects["damaged.db"]["error"] and projects["ok.db"]["error"] is None
    assert "cannot" in projects["damaged.db"]["error"] or "read" in projects["damaged.db"]["error"]
    # the history files are only read (SQLite's own -wal / -shm beside a WAL file aside)
    assert (broken / "ok.db").read_bytes() == (histories / "billing.db").read_bytes()
    assert {p.name for p in broken.iterdir()} <= {"damaged.db", "ok.db", "ok.db-wal", "ok.db-shm"}


def test_bad_locations_are_named(tmp_path: Path) -> None:
    assert "no such history file or folder" in run(["fleet", str(tmp_path / "none")], expect=2).stderr
    (tmp_path / "empty").mkdir()
    assert "no history file" in run(["fleet", str(tmp_path / "empty")], expect=2).stderr
    assert "FORMAT:PATH" in run(["fleet", str(tmp_path), "--output", "pdf:x"], expect=2).stderr


def test_a_hostile_history_is_inert_text_or_an_unreadable_project(tmp_path: Path) -> None:
    """Saved scans come from a shared bucket: names with escapes and workflow commands are
    inert in every format, and a report of the wrong shape is that project's error, not a crash."""
    from drift.history.base import SavedScan
    from drift.history.sqlite import SqliteHistory
    from drift.model import Finding, Severity

    folder = tmp_path / "histories"
    folder.mkdir()
    hostile = "svc\n::error::pwned\x1b[31m"
    finding = Finding("rule\n::warning::x", Severity.ERROR, "prod\x07", "KEY\n::error::k", "m", first_seen="2026-01-01")
    stamp = datetime.now(UTC).replace(microsecond=0).isoformat()
    good = SavedScan("1", stamp, hostile, 1, {"error": 1}, [finding], [], [], {"trend": [], "environments": []})
    SqliteHistory(folder / "hostile.db", "hostile.db").save(good, "k")
    bad = good.__class__(**{**good.__dict__, "report": {"trend": [{"error": "many"}]}})
    SqliteHistory(folder / "bad-shape.db", "bad-shape.db").save(bad, "k")
    for fmt in ("terminal", "markdown", "html", "openmetrics", "json"):
        text = run(["fleet", f"{folder}/", "--format", fmt], expect=1, env={"GITHUB_ACTIONS": "true"}).stdout
        assert "\x1b" not in text and "\x07" not in text, fmt
        assert not any(line.lstrip().startswith("::") for line in text.splitlines()), fmt
    document = json.loads(run(["fleet", f"{folder}/", "--format", "json"], expect=1).stdout)
    errors = {p["location"].rsplit("/", 1)[-1]: p["error"] for p in document["projects"]}
    assert errors["hostile.db"] is None and "cannot be read (ValueError)" in errors["bad-shape.db"]
