"""SQLite history (the default, `.drift/history.sqlite`): WAL mode, a busy timeout, and one
transaction per scan, so concurrent scans serialise instead of corrupting it and a scan
killed before it commits leaves the history as it was."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

from drift.errors import ConfigError, HistoryError
from drift.history.base import HistoryStore, SavedScan, ScanSummary, guarded

BUSY_TIMEOUT_MS = 30_000
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS audit (at TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS shards (run TEXT NOT NULL, idx INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (run, idx));
CREATE TABLE IF NOT EXISTS scans (
    id TEXT PRIMARY KEY,
    scanned_at TEXT NOT NULL,
    project TEXT NOT NULL,
    exit_code INTEGER NOT NULL,
    errors INTEGER NOT NULL,
    warnings INTEGER NOT NULL,
    infos INTEGER NOT NULL,
    data BLOB NOT NULL
);
"""


class SqliteHistory(HistoryStore):
    """History in one SQLite file."""

    def __init__(self, path: Path, shown: str, readonly: bool = False) -> None:
        self.path = path
        self.where = shown
        #: Opened to be read only (`drift fleet`): never created, never written.
        self.readonly = readonly

    def _connect(self) -> sqlite3.Connection:
        try:
            if self.readonly:
                uri = f"{self.path.resolve().as_uri()}?mode=ro"
                connection = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
                connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                return connection
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            connection.execute("PRAGMA journal_mode = WAL")
            connection.executescript(SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise HistoryError(
                f"{self.where}: cannot open the history ({type(exc).__name__}); move it away to start a new one"
            ) from None
        return connection

    def check_key(self, check_value: str) -> None:
        stored = self.stored_key_check()
        if stored is not None and stored != check_value:
            raise self.key_mismatch()

    def stored_key_check(self) -> str | None:
        with guarded(self.where, "reading the history"), closing(self._connect()) as db:
            row = db.execute("SELECT value FROM meta WHERE name = 'key_check'").fetchone()
        return str(row[0]) if row is not None else None

    def latest(self) -> SavedScan | None:
        with guarded(self.where, "reading the history"), closing(self._connect()) as db:
            row = db.execute("SELECT data FROM scans ORDER BY id DESC LIMIT 1").fetchone()
            return SavedScan.unpack(bytes(row[0]), self.where) if row else None

    def get(self, scan_id: str) -> SavedScan:
        with guarded(self.where, "reading the history"), closing(self._connect()) as db:
            row = db.execute("SELECT data FROM scans WHERE id = ?", (scan_id,)).fetchone()
            if row is None:
                raise ConfigError(f"{self.where}: no saved scan {scan_id!r} (`drift history` lists them)")
            return SavedScan.unpack(bytes(row[0]), self.where)

    def summaries(self, limit: int) -> list[ScanSummary]:
        with guarded(self.where, "reading the history"), closing(self._connect()) as db:
            rows = db.execute(
                "SELECT id, scanned_at, exit_code, errors, warnings, infos FROM scans ORDER BY id DESC LIMIT ?",
                (limit,),
            ).fetchall()
            return [ScanSummary(*row) for row in rows]

    def audit(self, record: dict[str, Any]) -> None:
        with guarded(self.where, "saving the audit record"), closing(self._connect()) as db:
            db.execute("INSERT INTO audit VALUES (?, ?)", (str(record.get("at", "")), json.dumps(record)))

    def save_shard(self, run: str, index: int, blob: bytes, check_value: str) -> None:
        with guarded(self.where, "saving the shard"), closing(self._connect()) as db:
            try:
                self._begin(db, check_value)
                db.execute("INSERT OR REPLACE INTO shards VALUES (?, ?, ?)", (run, index, blob))
                db.execute("COMMIT")
            except sqlite3.Error:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise

    def shard_blobs(self, run: str) -> dict[int, tuple[str, bytes]]:
        with guarded(self.where, "reading the shards"), closing(self._connect()) as db:
            rows = db.execute("SELECT idx, data FROM shards WHERE run = ?", (run,)).fetchall()
            return {int(idx): (f"{self.where} (shard {idx} of run {run})", bytes(data)) for idx, data in rows}

    def drop_shards(self, run: str) -> None:
        with guarded(self.where, "removing the merged shards"), closing(self._connect()) as db:
            db.execute("DELETE FROM shards WHERE run = ?", (run,))

    def _begin(self, db: sqlite3.Connection, check_value: str) -> None:
        """Begin a write, refusing a history written under another fingerprint key."""
        db.execute("BEGIN IMMEDIATE")
        row = db.execute("SELECT value FROM meta WHERE name = 'key_check'").fetchone()
        if row is None:
            db.execute("INSERT INTO meta (name, value) VALUES ('key_check', ?)", (check_value,))
        elif row[0] != check_value:
            db.execute("ROLLBACK")
            raise self.key_mismatch()

    def save(self, scan: SavedScan, check_value: str) -> None:
        with guarded(self.where, "saving the scan"), closing(self._connect()) as db:
            try:
                self._begin(db, check_value)
                summary = scan.summary
                db.execute(
                    "INSERT INTO scans VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        scan.id,
                        scan.scanned_at,
                        scan.project,
                        scan.exit_code,
                        summary.get("error", 0),
                        summary.get("warning", 0),
                        summary.get("info", 0),
                        scan.pack(),
                    ),
                )
                db.execute("COMMIT")
            except sqlite3.Error:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
