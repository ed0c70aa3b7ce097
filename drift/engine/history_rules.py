"""Rules against the previous saved scan: `changed`, `added` and `removed`, decided from the
entries history keeps (never values: fingerprints and displays)."""

from __future__ import annotations

from collections.abc import Sequence

from drift.engine import catalog
from drift.engine.per_env import could_be_unread
from drift.model import EntryRecord, EnvSnapshot, Finding


def changes(
    previous: Sequence[EntryRecord], now: Sequence[EntryRecord], snapshots: Sequence[EnvSnapshot]
) -> list[Finding]:
    """`changed`, `added` and `removed` for environments both scans read. History hands over
    the previous scan's entries (fingerprints, displays, metadata); this rule decides what
    they mean."""
    before: dict[str, dict[str, EntryRecord]] = {}
    for entry in previous:
        before.setdefault(entry.env, {})[entry.key] = entry
    after: dict[str, dict[str, EntryRecord]] = {}
    for entry in now:
        after.setdefault(entry.env, {})[entry.key] = entry
    found: list[Finding] = []
    for snapshot in snapshots:
        env = snapshot.env
        if env not in before:
            continue
        old, new = before[env], after.get(env, {})
        for key, entry in new.items():
            previous_entry = old.get(key)
            if previous_entry is None:
                found.append(
                    catalog.ADDED.finding(
                        env,
                        key,
                        f"{key} was added in {env} since the last scan",
                        actual=entry.display,
                        location=snapshot.entries[key].location,
                    )
                )
            elif entry.fingerprint and previous_entry.fingerprint and entry.fingerprint != previous_entry.fingerprint:
                found.append(_changed(env, key, previous_entry, entry, snapshot))
        for key, previous_entry in old.items():
            if key not in new and not could_be_unread(snapshot, key):
                found.append(
                    catalog.REMOVED.finding(
                        env,
                        key,
                        f"{key} was removed from {env} since the last scan",
                        expected=previous_entry.display,
                    )
                )
    return found


def _changed(env: str, key: str, before: EntryRecord, after: EntryRecord, snapshot: EnvSnapshot) -> Finding:
    who = after.metadata.get("changed_by")
    when = after.metadata.get("last_changed")
    detail = "".join([f" by {who}" if who else "", f" at {when}" if when else ""])
    return catalog.CHANGED.finding(
        env,
        key,
        f"{key} changed in {env} since the last scan{detail}",
        expected=before.display,
        actual=after.display,
        location=snapshot.entries[key].location,
    )
