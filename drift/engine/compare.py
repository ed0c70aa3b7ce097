"""What changed since the previous saved scan: finding statuses, resolved and unverified
findings, and the `changed` / `added` / `removed` events. Pure: no I/O (and no knowledge of
how history stores a scan).

A finding that could not be evaluated because a source failed is neither resolved nor new:
it is carried forward as `unverified` with its status, so a flaky source does not make
yesterday's drift "resolved" tonight and "new" tomorrow.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from drift.engine import catalog
from drift.engine.secrecy import SecrecyCache, display
from drift.model import EntryRecord, EnvSnapshot, Finding, MigrationFacts
from drift.schema import Schema
from drift.secrets import Fingerprinter


class Previous(Protocol):
    """What the comparison reads of the previous saved scan (history's `SavedScan`): the
    engine compares records, it does not know how history stores them."""

    @property
    def scanned_at(self) -> str: ...

    @property
    def findings(self) -> list[Finding]: ...

    @property
    def carried(self) -> list[Finding]: ...


EVENT_RULES = frozenset(r.slug for r in catalog.RULES.values() if "history" in r.scopes)


def current_entries(
    schema: Schema, snapshots: Sequence[EnvSnapshot], fingerprint: Fingerprinter, secrecy: SecrecyCache
) -> list[EntryRecord]:
    """Every entry as history keeps it: fingerprint, masked display, metadata."""
    found = []
    for snapshot in snapshots:
        migrations = snapshot.facts.get("migrations")
        if isinstance(migrations, MigrationFacts):  # a migration applied since is `changed`
            applied = [m for m in migrations.applied if m.finished and not m.rolled_back]
            state = "\n".join(f"{m.name}:{m.checksum}" for m in applied)
            shown = f"{len(applied)} applied" + (f", the last {applied[-1].name}" if applied else "")
            found.append(EntryRecord(snapshot.env, f"migrations:{migrations.tool}", fingerprint(state), shown, {}))
        specs = schema.for_env(snapshot.env)
        for key, entry in snapshot.entries.items():
            seen = secrecy.of(key, specs.get(key), entry)
            found.append(
                EntryRecord(
                    snapshot.env,
                    key,
                    fingerprint(entry.value) if entry.value is not None else None,
                    display(entry.value, seen, fingerprint),
                    {k: v for k, v in entry.metadata.items() if isinstance(v, (str, int, float, bool)) or v is None},
                )
            )
    return found


@dataclass(frozen=True)
class Annotated:
    """Findings with status and first_seen, plus what the previous scan had that is gone."""

    findings: list[Finding]
    suppressed: list[Finding]
    resolved: list[Finding]
    unverified: list[Finding]


def _unverifiable(finding: Finding, snapshots: Mapping[str, EnvSnapshot]) -> bool:
    """Whether a failed source this time could hide whether the finding still holds."""
    env, key = finding.env, finding.key
    involved = [snapshots[env]] if env is not None and env in snapshots else list(snapshots.values())
    for snapshot in involved:
        if snapshot.status == "ok":
            continue
        if key is None or snapshot.could_hold(key) or snapshot.malformed:
            return True
    return False


def annotate(
    findings: Sequence[Finding],
    suppressed: Sequence[Finding],
    previous: Previous | None,
    snapshots: Sequence[EnvSnapshot],
    all_environments: Sequence[str],
    now: str,
) -> Annotated:
    """Statuses against `previous` (all `new` when there is none)."""
    known: dict[str, Finding] = {}
    if previous is not None:
        for record in previous.findings + previous.carried:
            known[record.id] = record

    def mark(finding: Finding) -> Finding:
        record = known.get(finding.id)
        if record is None or finding.rule in EVENT_RULES:
            return finding._replace(status="new", first_seen=now)
        first = record.first_seen or (previous.scanned_at if previous else now)
        return finding._replace(status="persisting", first_seen=first)

    marked = [mark(f) for f in findings]
    quiet = [mark(f) for f in suppressed]
    if previous is None:
        return Annotated(marked, quiet, [], [])
    current_ids = {f.id for f in marked} | {f.id for f in quiet}
    by_env = {s.env: s for s in snapshots}
    selected_all = set(by_env) >= set(all_environments)
    resolved: list[Finding] = []
    unverified: list[Finding] = []
    for record in known.values():
        if record.id in current_ids or record.rule in EVENT_RULES:
            continue
        env = record.env
        if (env is None and not selected_all) or (env is not None and env not in by_env):
            continue  # not checked this time: neither resolved nor carried
        (unverified if _unverifiable(record, by_env) else resolved).append(record)
    return Annotated(marked, quiet, resolved, unverified)
