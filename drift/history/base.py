"""The history store's interface and the record of one saved scan.

A saved scan holds the JSON document (values already masked), each environment's entries as
fingerprints, displays and metadata (never a secret value), and the findings with their
status. Stores also keep a check value of the fingerprint key and refuse to compare scans
made with another key, since every secret would then look changed.
"""

from __future__ import annotations

import gzip
import json
import secrets
import zlib
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from drift.errors import ConfigError, DriftError, HistoryError
from drift.model import EntryRecord


def damage() -> tuple[type[BaseException], ...]:
    """What a damaged or foreign history store raises while it is read or written (sqlite3 is
    imported here, when a history is used, not on every start-up)."""
    import sqlite3

    return (sqlite3.Error, OSError, zlib.error, EOFError, ValueError, KeyError, TypeError, RecursionError)


@contextmanager
def guarded(where: str, doing: str) -> Iterator[None]:
    """Turn a damaged store's errors into one HistoryError naming the store (never the
    exception's text, which may quote stored data)."""
    try:
        yield
    except DriftError:
        raise
    except damage() as exc:
        raise HistoryError(
            f"{where}: {doing} failed ({type(exc).__name__}); the history looks damaged or was written by "
            "something else: move it away to start a new one"
        ) from None


#: How many past scans the trend chart shows.
TREND_LENGTH = 30


@dataclass(frozen=True)
class SavedScan:
    """Everything history keeps of one scan."""

    id: str
    scanned_at: str
    project: str
    exit_code: int
    summary: dict[str, int]
    document: dict[str, Any]
    entries: list[EntryRecord]

    def findings(self) -> list[dict[str, Any]]:
        """The scan's counted findings (as JSON), with status and first_seen."""
        return list(self.document.get("findings", []))

    def carried(self) -> list[dict[str, Any]]:
        """Findings the scan could not re-check and carried forward with their status."""
        return list(self.document.get("unverified", []))

    def pack(self) -> bytes:
        """The scan as compressed JSON, for a blob or an object."""
        data = {
            "id": self.id,
            "scanned_at": self.scanned_at,
            "project": self.project,
            "exit_code": self.exit_code,
            "summary": self.summary,
            "document": self.document,
            "entries": [[e.env, e.key, e.fingerprint, e.display, e.metadata] for e in self.entries],
        }
        return gzip.compress(json.dumps(data, separators=(",", ":")).encode("utf-8"), mtime=0)

    @classmethod
    def unpack(cls, blob: bytes, where: str) -> SavedScan:
        try:
            data = json.loads(gzip.decompress(blob))
            entries = [EntryRecord(env, key, fp, display, meta) for env, key, fp, display, meta in data["entries"]]
            return cls(
                data["id"],
                data["scanned_at"],
                data["project"],
                int(data["exit_code"]),
                data["summary"],
                data["document"],
                entries,
            )
        except damage() as exc:
            raise HistoryError(f"{where}: a saved scan cannot be read ({type(exc).__name__})") from None


@dataclass(frozen=True)
class ScanSummary:
    """A line of `drift history`."""

    id: str
    scanned_at: str
    exit_code: int
    error: int
    warning: int
    info: int


def new_scan_id() -> str:
    """Sortable by time to the microsecond, unique across concurrent scans:
    `20261129T120000.123456Z-1a2b3c`."""
    return f"{datetime.now(UTC):%Y%m%dT%H%M%S.%fZ}-{secrets.token_hex(3)}"


class HistoryStore(ABC):
    """Where scans are kept: SQLite (default) or S3."""

    #: What messages call this store: a path or an s3:// URL.
    where: str

    @abstractmethod
    def check_key(self, check_value: str) -> None:
        """Refuse (ConfigError) a store written under another fingerprint key."""

    @abstractmethod
    def latest(self) -> SavedScan | None:
        """The most recent saved scan, or None."""

    @abstractmethod
    def get(self, scan_id: str) -> SavedScan:
        """A scan by id (ConfigError when there is none)."""

    @abstractmethod
    def summaries(self, limit: int) -> list[ScanSummary]:
        """The newest `limit` scans, newest first."""

    @abstractmethod
    def save(self, scan: SavedScan, check_value: str) -> None:
        """Store a scan in one transaction; the last thing a scan does."""

    def key_mismatch(self) -> ConfigError:
        return ConfigError(
            f"{self.where}: this history was written with a different fingerprint key "
            "(DRIFT_FINGERPRINT_KEY or .drift/fingerprint.key), so its fingerprints cannot be compared; "
            "use the key it was made with, or point [drift] history at a new location"
        )
