"""What the history rules (`changed`, `added`, `removed`) share: the previous saved scan's
entries and this scan's, by environment, for the environments both scans read."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from drift.engine.rule import RuleContext
from drift.model import EntryRecord, EnvSnapshot


def by_env(records: Sequence[EntryRecord]) -> dict[str, dict[str, EntryRecord]]:
    """Entry records grouped by environment and key."""
    grouped: dict[str, dict[str, EntryRecord]] = {}
    for record in records:
        grouped.setdefault(record.env, {})[record.key] = record
    return grouped


def compared(
    context: RuleContext,
) -> Iterator[tuple[EnvSnapshot, dict[str, EntryRecord], dict[str, EntryRecord]]]:
    """(snapshot, previous entries, current entries) for each environment the previous scan
    also read; nothing without a previous scan."""
    if context.previous is None:
        return
    before, after = by_env(context.previous), by_env(context.current)
    for snapshot in context.snapshots:
        if snapshot.env in before:
            yield snapshot, before[snapshot.env], after.get(snapshot.env, {})
