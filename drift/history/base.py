"""The history store's interface and the record of one saved scan.

A saved scan holds typed records (`SavedScan`): the findings with their status, each
environment's entries as fingerprints, displays and metadata (never a secret value), and the
rendered report for `drift report`. Stores also keep a check value of the fingerprint key and refuse to compare scans
made with another key, since every secret would then look changed.
"""

from __future__ import annotations

import gzip
import json
import zlib
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from drift.errors import ConfigError, DriftError, HistoryError
from drift.model import EntryRecord, Finding, Severity
from drift.platform import jsontext


def damage() -> tuple[type[BaseException], ...]:
    """What a damaged or foreign history store raises while it is read or written (sqlite3 is
    imported here, when a history is used, not on every start-up)."""
    import sqlite3

    return (
        sqlite3.Error,
        OSError,
        zlib.error,
        EOFError,
        ValueError,
        LookupError,  # a missing key, or a list shorter than its row
        TypeError,
        AttributeError,
        RecursionError,
    )


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


#: The layout `SavedScan.pack` writes. Scans saved before it (no `format`) kept only the
#: report's JSON and the entries; `unpack` still reads them.
FORMAT = 2

_FINDING_FIELDS = (
    "rule",
    "severity",
    "env",
    "key",
    "message",
    "expected",
    "actual",
    "location",
    "discriminator",
    "status",
    "first_seen",
    "basis",
)


#: What one saved scan may inflate to (20 environments x 5,000 keys take about 10 MB).
MAX_SCAN_BYTES = 64 * 1024 * 1024


def _inflate(blob: bytes) -> bytes:
    """gzip.decompress with a cap on the output, counted as it is produced."""
    inflater = zlib.decompressobj(wbits=31)
    data = inflater.decompress(blob, MAX_SCAN_BYTES + 1)
    if len(data) > MAX_SCAN_BYTES or inflater.unconsumed_tail:
        raise ValueError("the saved scan inflates past the size limit")
    return data


@dataclass(frozen=True)
class SavedScan:
    """Everything history keeps of one scan, as typed records: the findings it counted (with
    status and first_seen), those it carried forward unverified, each environment's entries
    (fingerprints and masked displays, never values), and the rendered report (values
    already masked), kept only so that `drift report --scan` can render any format later.
    What history itself decides (new, persisting, resolved, changed) reads the records,
    never the report."""

    id: str
    scanned_at: str
    project: str
    exit_code: int
    summary: dict[str, int]
    findings: list[Finding]
    carried: list[Finding]
    entries: list[EntryRecord]
    report: dict[str, Any]

    def pack(self) -> bytes:
        """The scan as compressed JSON, for a blob or an object."""
        data = {
            "format": FORMAT,
            "id": self.id,
            "scanned_at": self.scanned_at,
            "project": self.project,
            "exit_code": self.exit_code,
            "summary": self.summary,
            "findings": [_finding_row(f) for f in self.findings],
            "carried": [_finding_row(f) for f in self.carried],
            "entries": [[e.env, e.key, e.fingerprint, e.display, dict(e.metadata)] for e in self.entries],
            "report": self.report,
        }
        return gzip.compress(json.dumps(data, separators=(",", ":")).encode("utf-8"), mtime=0)

    @classmethod
    def unpack(cls, blob: bytes, where: str) -> SavedScan:
        """A saved scan from its blob; a blob that inflates past `MAX_SCAN_BYTES` (a gzip
        bomb in a shared bucket) is damage, not a scan."""
        try:
            data = jsontext.loads(_inflate(blob))
            entries = [EntryRecord(env, key, fp, display, meta) for env, key, fp, display, meta in data["entries"]]
            if data.get("format") == FORMAT:
                findings = [_finding_from_row(row) for row in data["findings"]]
                carried = [_finding_from_row(row) for row in data["carried"]]
                report = data["report"]
            else:  # saved by drift before typed records: the findings are in the report
                report = data["document"]
                findings = [_finding_from_doc(doc) for doc in report.get("findings", [])]
                carried = [_finding_from_doc(doc) for doc in report.get("unverified", [])]
            if not isinstance(report, dict):
                raise TypeError("report")
            return cls(
                str(data["id"]),
                str(data["scanned_at"]),
                str(data["project"]),
                int(data["exit_code"]),
                {str(k): int(v) for k, v in data["summary"].items()},
                findings,
                carried,
                entries,
                report,
            )
        except damage() as exc:
            raise HistoryError(f"{where}: a saved scan cannot be read ({type(exc).__name__})") from None


def _finding_row(finding: Finding) -> list[Any]:
    return [finding.severity.label if name == "severity" else getattr(finding, name) for name in _FINDING_FIELDS]


def _finding_from_row(row: list[Any]) -> Finding:
    fields = dict(zip(_FINDING_FIELDS, row, strict=True))
    for name, value in fields.items():
        if value is not None and not isinstance(value, str):
            raise TypeError(name)
    fields["severity"] = Severity.parse(fields["severity"])
    return Finding(**fields)


def _finding_from_doc(doc: dict[str, Any]) -> Finding:
    """A finding from an old saved report; its discriminator is what its id adds to rule,
    environment and key."""
    rule, env, key = doc["rule"], doc.get("env"), doc.get("key")
    prefix = f"{rule}:{env or '*'}:{key or '*'}"
    ident = str(doc["id"])
    return Finding(
        rule,
        Severity.parse(doc["severity"]),
        env,
        key,
        str(doc.get("message", "")),
        expected=doc.get("expected"),
        actual=doc.get("actual"),
        location=doc.get("location"),
        discriminator=ident[len(prefix) + 1 :] if ident.startswith(prefix + ":") else "",
        status=doc.get("status"),
        first_seen=doc.get("first_seen"),
        basis=doc.get("basis", "declared"),
    )


@dataclass(frozen=True)
class ScanSummary:
    """A line of `drift history`."""

    id: str
    scanned_at: str
    exit_code: int
    error: int
    warning: int
    info: int


class HistoryStore(ABC):
    """Where scans are kept: SQLite (default) or S3."""

    #: What messages call this store: a path or an s3:// URL.
    where: str

    @abstractmethod
    def check_key(self, check_value: str) -> None:
        """Refuse (ConfigError) a store written under another fingerprint key."""

    @abstractmethod
    def stored_key_check(self) -> str | None:
        """The check value of the fingerprint key the history was written with (None: new):
        two histories with the same one have comparable fingerprints."""

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

    @abstractmethod
    def save_shard(self, run: str, index: int, blob: bytes, check_value: str) -> None:
        """Store shard `index` of run `run` (a packed `ShardRecord`), replacing one saved
        before (a CI job re-run)."""

    @abstractmethod
    def shard_blobs(self, run: str) -> dict[int, tuple[str, bytes]]:
        """The saved shards of run `run`: index -> (where it is, for messages; its blob)."""

    @abstractmethod
    def drop_shards(self, run: str) -> None:
        """Remove run `run`'s shards once `drift merge` saved the merged scan."""

    @abstractmethod
    def audit(self, record: dict[str, Any]) -> None:
        """Keep the record of an applied plan (who, when, which keys, old and new fingerprints;
        never a value)."""

    def key_mismatch(self) -> ConfigError:
        return ConfigError(
            f"{self.where}: this history was written with a different fingerprint key "
            "(DRIFT_FINGERPRINT_KEY or .drift/fingerprint.key), so its fingerprints cannot be compared; "
            "use the key it was made with, or point [drift] history at a new location"
        )
