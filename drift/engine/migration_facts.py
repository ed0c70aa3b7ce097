"""What the migration rules share: an environment's migration facts, if its sources read any."""

from __future__ import annotations

from drift.model import EnvSnapshot, MigrationFacts


def facts_of(snapshot: EnvSnapshot | None) -> MigrationFacts | None:
    found = snapshot.facts.get("migrations") if snapshot is not None else None
    return found if isinstance(found, MigrationFacts) else None


def applied_names(facts: MigrationFacts) -> list[str]:
    """Migrations that finished and were not rolled back, in the order they ran."""
    return [m.name for m in facts.applied if m.finished and not m.rolled_back]
