"""Two scans at once do not corrupt the history; a scan killed at any point leaves the previous
reports and history intact (reports written atomically, history committed last)."""

from __future__ import annotations

import errno
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from drift.errors import OutputError
from drift.platform.files import write_atomic
from tests.conftest import FINGERPRINT_KEY, Project, run


@pytest.fixture
def scanned(project: Project) -> Project:
    project.write(".env.example", "A=1\nB=2\n")
    project.write("p.env", "A=1\n")
    project.write("drift.toml", '[environments.p]\nsources = [{ type = "dotenv", path = "p.env" }]\n')
    run(["scan"], expect=1)
    return project


def drift_process(root: Path, *args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DRIFT_FINGERPRINT_KEY": FINGERPRINT_KEY}
    return subprocess.Popen(
        [sys.executable, "-m", "drift", *args], cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


def scans_in(root: Path) -> int:
    with sqlite3.connect(root / ".drift" / "history.sqlite") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return int(db.execute("SELECT count(*) FROM scans").fetchone()[0])


def test_concurrent_scans_both_land(scanned: Project) -> None:
    processes = [drift_process(scanned.root, "scan") for _ in range(4)]
    codes = [p.wait(timeout=120) for p in processes]
    errors = [p.stderr.read().decode() for p in processes if p.stderr]
    assert codes == [1, 1, 1, 1], errors
    assert all("saved as scan" in text for text in errors), errors  # ran drift, not "No module named drift"
    assert scans_in(scanned.root) == 5
    json.loads((scanned.root / "reports" / "drift-report.json").read_text())


def test_a_killed_scan_leaves_reports_and_history_intact(scanned: Project) -> None:
    before_report = (scanned.root / "reports" / "drift-report.json").read_bytes()
    before_html = (scanned.root / "reports" / "drift-report.html").read_bytes()
    fifo = scanned.root / "slow.env"
    os.mkfifo(fifo)  # reading it blocks until a writer comes: the scan hangs mid-collection
    scanned.write(
        "drift.toml",
        '[environments.p]\nsources = [{ type = "dotenv", path = "p.env" },'
        ' { type = "dotenv", path = "slow.env", allow_special = true }]\n',
    )
    process = drift_process(scanned.root, "scan")
    try:
        with pytest.raises(subprocess.TimeoutExpired):
            process.wait(timeout=2)  # still blocked on the pipe: nothing has been written yet
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    assert (scanned.root / "reports" / "drift-report.json").read_bytes() == before_report
    assert (scanned.root / "reports" / "drift-report.html").read_bytes() == before_html
    assert scans_in(scanned.root) == 1
    assert not [p for p in (scanned.root / "reports").iterdir() if p.name.endswith(".tmp")]


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out" / "report.json"
    write_atomic(target, "old")

    def broken(_: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken)
    with pytest.raises(OutputError, match="No space left on device"):
        write_atomic(target, "new")
    assert target.read_text() == "old"
    assert list(target.parent.iterdir()) == [target]


def test_atomic_write_of_pieces_keeps_the_old_file_when_making_them_fails(tmp_path: Path) -> None:
    """A streamed report is written piece by piece as it is made: pieces in order, and a
    renderer that fails after some pieces leaves the old file and no temporary one."""
    target = tmp_path / "report.json"
    write_atomic(target, iter(["{", '"a": "é"', "}"]))
    assert target.read_text(encoding="utf-8") == '{"a": "é"}'

    def failing() -> Iterator[str]:
        yield "half a report"
        raise RuntimeError("renderer failed")

    with pytest.raises(RuntimeError, match="renderer failed"):
        write_atomic(target, failing())
    assert target.read_text(encoding="utf-8") == '{"a": "é"}'
    assert list(tmp_path.iterdir()) == [target]


def test_a_scan_killed_during_the_history_commit(scanned: Project) -> None:
    """Another writer holds the database, so the scan waits inside its commit; killed there,
    it leaves the history as it was and complete reports (checked by content)."""
    database = scanned.root / ".drift" / "history.sqlite"
    scanned.write("p.env", "A=1\nB=2\n")  # the new scan's report differs: no error left
    holder = sqlite3.connect(database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # the write lock, until this test lets go
    try:
        process = drift_process(scanned.root, "scan")
        deadline = time.monotonic() + 60
        report = scanned.root / "reports" / "drift-report.json"
        while time.monotonic() < deadline:  # the reports are written before the commit
            if report.exists() and json.loads(report.read_text())["summary"]["error"] == 0:
                break
            try:
                process.wait(timeout=0.05)  # waiting on the process, not a timing assertion
            except subprocess.TimeoutExpired:
                continue
            raise AssertionError("the scan ended instead of waiting for the lock")
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    document = json.loads((scanned.root / "reports" / "drift-report.json").read_text())
    assert document["summary"]["error"] == 0 and document["exit_code"] == 0
    assert "</html>" in (scanned.root / "reports" / "drift-report.html").read_text()
    assert scans_in(scanned.root) == 1  # the killed scan's commit never happened


#: Runs drift with os.fsync made to hang once it has synced a report's temporary file, after
#: touching a marker: the test then kills the process in the middle of the report write.
HANG_IN_REPORT_WRITE = """
import os, pathlib, runpy, sys, time
real, marker = os.fsync, pathlib.Path(sys.argv[1])
def hang(fd):
    real(fd)
    if os.readlink(f"/proc/self/fd/{fd}").endswith(".tmp"):
        marker.touch()
        time.sleep(600)
os.fsync = hang
sys.argv = ["drift", *sys.argv[2:]]
runpy.run_module("drift", run_name="__main__")
"""


def test_a_scan_killed_during_the_report_write(scanned: Project) -> None:
    """Killed with the new report written to its temporary file but not yet renamed: the old
    reports stay whole, by content; the history is untouched; the next run sweeps the
    killed writer's temporary file."""
    reports = scanned.root / "reports"
    before = {p.name: p.read_bytes() for p in reports.iterdir()}
    scanned.write("p.env", "A=1\nB=2\n")  # the new report would differ
    marker = scanned.root / "writing"
    env = {**os.environ, "DRIFT_FINGERPRINT_KEY": FINGERPRINT_KEY}
    process = subprocess.Popen(
        [sys.executable, "-c", HANG_IN_REPORT_WRITE, str(marker), "scan"], cwd=scanned.root, env=env
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists() and time.monotonic() < deadline:
            try:
                process.wait(timeout=0.05)  # waiting on the process, not a timing assertion
            except subprocess.TimeoutExpired:
                continue
            raise AssertionError("the scan ended before it wrote a report")
        assert marker.exists(), "the scan never reached the report write"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    left = [p.name for p in reports.iterdir() if p.name.endswith(".tmp")]
    assert left, "the kill came before the temporary file: the test proves nothing"
    assert {p.name: p.read_bytes() for p in reports.iterdir() if p.name in before} == before
    assert scans_in(scanned.root) == 1
    run(["scan"], expect=0)
    assert not [p for p in reports.iterdir() if p.name.endswith(".tmp")]
    assert json.loads((reports / "drift-report.json").read_text())["summary"]["error"] == 0
