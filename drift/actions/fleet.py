"""`drift fleet`: the latest saved scan of every project under one or more history locations,
summed up for the platform team that runs them (which services drift, since when, whether it
is getting better, which nightly jobs stopped).

A location is one project's history (a SQLite file, `s3://bucket/prefix`) or a folder / an S3
prefix ending in `/` under which every history file / sub-prefix is a project. Histories are
read concurrently, each reduced to a small `ProjectView` as soon as its latest scan is
loaded, so memory holds a few scans at a time plus the summary, however many projects there
are. Nothing is written: SQLite files are opened read-only. No value is read: saved scans
hold fingerprints and masked displays only.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from drift.errors import ConfigError, DriftError
from drift.history.base import HistoryStore, SavedScan, damage
from drift.model import Severity

#: Histories read at once: each is a few requests (S3) or a file; a thread each overlaps them
#: (`DRIFT_FLEET_READERS` sets another number: 1 reads them one at a time, for comparison).
READERS = 16
#: History files found under a folder location, by name.
HISTORY_SUFFIXES = (".sqlite", ".sqlite3", ".db")
#: How deep a folder location is searched, and what is never searched.
MAX_DEPTH = 6
SKIPPED = {".git", "node_modules", ".venv", "__pycache__"}
SQLITE_HEADER = b"SQLite format 3\x00"


class Oldest(NamedTuple):
    """A project's oldest unresolved finding: since when, and what (names, never values)."""

    first_seen: str
    rule: str
    env: str | None
    key: str | None


class ProjectView(NamedTuple):
    """What the fleet report shows of one project, from its latest saved scan."""

    name: str
    location: str
    scanned_at: str | None = None
    scan_id: str | None = None
    exit_code: int | None = None
    environments: tuple[str, ...] = ()
    #: Findings by environment ("*" for those across environments) and severity label.
    counts: Mapping[str, Mapping[str, int]] = MappingProxyType({})
    new: int = 0
    resolved: int = 0
    oldest: Oldest | None = None
    #: (scanned_at, errors, warnings) of the last saved scans, oldest first.
    trend: tuple[tuple[str, int, int], ...] = ()
    rules: Mapping[str, int] = MappingProxyType({})
    #: Why the history could not be read (None: it was).
    error: str | None = None
    age_days: float | None = None
    stale: bool = False
    key_check: str | None = None
    #: Fingerprints of masked (secret) values by (environment, key), compared across projects
    #: only where their histories share a fingerprint key.
    secrets: tuple[tuple[str, str, str], ...] = ()

    def total(self, severity: str) -> int:
        return sum(by.get(severity, 0) for by in self.counts.values())


class SharedSecret(NamedTuple):
    """One secret value held by more than one project (by keyed fingerprint)."""

    fingerprint_prefix: str
    holders: tuple[tuple[str, str, str], ...]  # (project, environment, key)


class Fleet(NamedTuple):
    """Every project's view, and what is read across them."""

    generated_at: str
    stale_days: int
    projects: tuple[ProjectView, ...]
    rules: dict[str, int]
    shared_secrets: tuple[SharedSecret, ...]
    #: Whether any two projects' fingerprints could be compared (a shared fingerprint key).
    comparable: bool

    @staticmethod
    def worst_of(document: dict[str, Any]) -> Severity | None:
        """The most severe finding in any project's latest scan (of the fleet's document); a
        stale project is an error (a nightly job that stopped running is itself drift)."""
        summary = document["summary"]
        if summary["stale"] or summary["error"]:
            return Severity.ERROR
        return Severity.WARNING if summary["warning"] else (Severity.INFO if summary["info"] else None)


def histories(locations: Sequence[str], s3_client: Callable[[], Any]) -> list[tuple[str, HistoryStore]]:
    """Each location's projects as (shown location, store); a location that names nothing
    is a ConfigError naming it."""
    from drift.history.s3 import S3History
    from drift.history.sqlite import SqliteHistory

    found: list[tuple[str, HistoryStore]] = []
    for location in locations:
        if location.startswith("s3://"):
            if location.endswith("/"):
                for prefix in _sub_prefixes(location, s3_client()):
                    found.append((prefix, S3History(prefix, s3_client())))
            else:
                found.append((location, S3History(location, s3_client())))
            continue
        path = Path(location)
        if path.is_dir():
            files = sorted(_history_files(path))
            if not files:
                raise ConfigError(f"{location}: no history file ({', '.join(HISTORY_SUFFIXES)}) under this folder")
            found += [(str(f), SqliteHistory(f, str(f), readonly=True)) for f in files]
        elif path.is_file():
            found.append((location, SqliteHistory(path, location, readonly=True)))
        else:
            raise ConfigError(f"{location}: no such history file or folder")
    return found


def _sub_prefixes(url: str, client: Any) -> list[str]:
    """The sub-prefixes one level under an S3 prefix (one project's history each)."""
    from drift.errors import CollectorError
    from drift.platform.aws import aws_errors

    bucket, _, prefix = url.removeprefix("s3://").partition("/")
    found: list[str] = []
    token: str | None = None
    try:
        with aws_errors(f"{url}: listing projects"):
            while True:
                extra = {"ContinuationToken": token} if token else {}
                page = client.list_objects_v2(Bucket=bucket, Prefix=prefix, Delimiter="/", **extra)
                found += [f"s3://{bucket}/{p['Prefix'].rstrip('/')}" for p in page.get("CommonPrefixes", [])]
                token = page.get("NextContinuationToken")
                if not token:
                    break
    except CollectorError as exc:
        raise ConfigError(exc.reason) from None
    if not found:
        raise ConfigError(f"{url}: no project histories under this prefix")
    return sorted(found)


def _history_files(root: Path) -> Iterator[Path]:
    """SQLite files with a history's name under `root` (bounded depth, no symlinks)."""
    for folder, dirs, files in os.walk(root):
        depth = len(Path(folder).relative_to(root).parts)
        dirs[:] = [] if depth >= MAX_DEPTH else [d for d in dirs if d not in SKIPPED]
        for name in files:
            path = Path(folder) / name
            # a regular file only: a FIFO named `x.db` would block the read below
            if name.endswith(HISTORY_SUFFIXES) and not path.is_symlink() and path.is_file() and _is_sqlite(path):
                yield path


def _is_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def view(location: str, store: HistoryStore, now: datetime, stale_days: int) -> ProjectView:
    """One project's view from its latest saved scan (the scan itself is dropped here)."""
    name = location.rstrip("/").rsplit("/", 1)[-1]
    try:
        key_check = store.stored_key_check()
        scan = store.latest()
        if scan is None:
            return ProjectView(name, location, error=None, stale=True, key_check=key_check)
        return _from_scan(scan, location, now, stale_days, key_check)
    except DriftError as exc:
        return ProjectView(name, location, error=str(exc))
    except damage() as exc:  # a report inside the scan of the wrong shape: this project only
        return ProjectView(name, location, error=f"{location}: a saved scan cannot be read ({type(exc).__name__})")


def _from_scan(scan: SavedScan, location: str, now: datetime, stale_days: int, key_check: str | None) -> ProjectView:
    counts: dict[str, dict[str, int]] = {}
    rules: dict[str, int] = {}
    oldest: Oldest | None = None
    for finding in scan.findings:
        by = counts.setdefault(finding.env or "*", {})
        by[finding.severity.label] = by.get(finding.severity.label, 0) + 1
        rules[finding.rule] = rules.get(finding.rule, 0) + 1
        seen = finding.first_seen or scan.scanned_at
        if oldest is None or seen < oldest.first_seen:
            oldest = Oldest(seen, finding.rule, finding.env, finding.key)
    report = scan.report
    trend = tuple(
        (str(p.get("scanned_at", "")), int(p.get("error", 0)), int(p.get("warning", 0)))
        for p in report.get("trend", [])
        if isinstance(p, dict)
    )
    environments = tuple(str(e.get("name")) for e in report.get("environments", []) if isinstance(e, dict))
    try:
        age = (now - datetime.fromisoformat(scan.scanned_at)).total_seconds() / 86400
    except (ValueError, TypeError):
        age = None
    secrets = tuple(
        (e.env, e.key, e.fingerprint)
        for e in scan.entries
        if e.fingerprint and _a_secret(e.key, e.fingerprint, e.display)
    )
    return ProjectView(
        name=scan.project or location,
        location=location,
        scanned_at=scan.scanned_at,
        scan_id=scan.id,
        exit_code=scan.exit_code,
        environments=environments,
        counts=counts,
        new=sum(1 for f in scan.findings if f.status == "new"),
        resolved=len(report.get("resolved", []) or []),
        oldest=oldest,
        trend=trend,
        rules=rules,
        age_days=age,
        stale=age is None or age > stale_days,
        key_check=key_check,
        secrets=secrets,
    )


def _a_secret(key: str, fingerprint: str | None, display: str | None) -> bool:
    """Whether a saved entry counts for secrets shared across projects: masked by the scan
    that saved it, and named as a secret (a saved scan keeps no value, so a masked `info` of
    an undeclared LOG_LEVEL cannot be told from a credential by its value: the name does)."""
    from drift.secrets import name_verdict
    from drift.secrets.names import STRONG, WEAK
    from drift.secrets.urls import MASK

    masked = fingerprint is not None and display is not None and display.startswith(MASK)
    return masked and name_verdict(key) in (STRONG, WEAK)


def gather(stores: Sequence[tuple[str, HistoryStore]], stale_days: int, now: datetime | None = None) -> Fleet:
    """Every project's view, read concurrently, and what is read across them."""
    moment = now or datetime.now(UTC).replace(microsecond=0)
    readers = int(os.environ.get("DRIFT_FLEET_READERS", "") or READERS)
    with ThreadPoolExecutor(max_workers=max(1, min(readers, len(stores))), thread_name_prefix="drift-fleet") as pool:
        views = list(pool.map(lambda item: view(item[0], item[1], moment, stale_days), stores))
    rules: dict[str, int] = {}
    for project in views:
        for rule, count in project.rules.items():
            rules[rule] = rules.get(rule, 0) + count
    shared, comparable = _shared_secrets(views)
    return Fleet(
        moment.isoformat(),
        stale_days,
        tuple(sorted((_lean(v) for v in views), key=lambda v: v.name)),
        dict(sorted(rules.items(), key=lambda item: (-item[1], item[0]))),
        shared,
        comparable,
    )


def _lean(project: ProjectView) -> ProjectView:
    """The view without its fingerprints, once they have been compared."""
    return project._replace(secrets=())


def _shared_secrets(views: Sequence[ProjectView]) -> tuple[tuple[SharedSecret, ...], bool]:
    """Secret values held by two or more projects whose histories share a fingerprint key
    (fingerprints under different keys compare nothing, so none is claimed)."""
    by_key: dict[str, list[ProjectView]] = {}
    for project in views:
        if project.key_check and project.error is None:
            by_key.setdefault(project.key_check, []).append(project)
    comparable = any(len(group) > 1 for group in by_key.values())
    shared: list[SharedSecret] = []
    for group in by_key.values():
        if len(group) < 2:
            continue
        holders: dict[str, list[tuple[str, str, str]]] = {}
        for project in group:
            for env, key, fingerprint in project.secrets:
                holders.setdefault(fingerprint, []).append((project.name, env, key))
        for fingerprint, held in holders.items():
            if len({project for project, _, _ in held}) > 1:
                shared.append(SharedSecret(fingerprint[:8], tuple(sorted(held))))
    return tuple(sorted(shared, key=lambda s: s.holders)), comparable


def to_document(fleet: Fleet) -> dict[str, Any]:
    """The fleet report as JSON-ready data (`--format json`), which every other format renders."""
    projects: list[dict[str, Any]] = []
    for p in fleet.projects:
        totals = {level: p.total(level) for level in ("error", "warning", "info")}
        projects.append(
            {
                "name": p.name,
                "location": p.location,
                "scanned_at": p.scanned_at,
                "scan_id": p.scan_id,
                "exit_code": p.exit_code,
                "age_days": round(p.age_days, 2) if p.age_days is not None else None,
                "stale": p.stale,
                "error": p.error,
                "environments": {
                    env: {level: p.counts.get(env, {}).get(level, 0) for level in totals}
                    for env in [*p.environments, *sorted(set(p.counts) - set(p.environments))]
                },
                "totals": totals,
                "new": p.new,
                "resolved": p.resolved,
                "oldest": p.oldest._asdict() if p.oldest is not None else None,
                "trend": [{"scanned_at": s, "error": e, "warning": w} for s, e, w in p.trend],
                "rules": dict(sorted(p.rules.items())),
            }
        )
    raised = {rule: sum(1 for p in fleet.projects if rule in p.rules) for rule in fleet.rules}
    return {
        "fleet_version": 1,
        "generated_at": fleet.generated_at,
        "stale_days": fleet.stale_days,
        "summary": {
            "projects": len(projects),
            "with_errors": sum(1 for p in projects if p["totals"]["error"]),
            "with_new": sum(1 for p in projects if p["new"]),
            "stale": sum(1 for p in projects if p["stale"] and p["error"] is None),
            "unreadable": sum(1 for p in projects if p["error"] is not None),
            **{level: sum(p["totals"][level] for p in projects) for level in ("error", "warning", "info")},
        },
        "projects": projects,
        "rules": [{"rule": r, "findings": n, "projects": raised[r]} for r, n in fleet.rules.items()],
        "secrets_comparable": fleet.comparable,
        "shared_secrets": [
            {
                "fingerprint_prefix": s.fingerprint_prefix,
                "holders": [{"project": p, "environment": e, "key": k} for p, e, k in s.holders],
            }
            for s in fleet.shared_secrets
        ],
    }
