"""History: saved scans, and what is new, persisting and resolved since the last one."""

from __future__ import annotations

from pathlib import Path

from drift.history.base import HistoryStore, SavedScan, ScanSummary

__all__ = ["HistoryStore", "SavedScan", "ScanSummary", "open_history"]


def open_history(location: str, shown: str) -> HistoryStore:
    """The store for `[drift] history`: an s3:// URL or a SQLite file path."""
    if location.startswith("s3://"):
        from drift.history.s3 import S3History

        return S3History(location)
    from drift.history.sqlite import SqliteHistory

    return SqliteHistory(Path(location), shown)
