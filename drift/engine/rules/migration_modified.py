"""`migration-modified`: a migration edited after it ran (its checksum differs)."""

from __future__ import annotations

from collections.abc import Iterator

from drift.engine.migration_facts import facts_of
from drift.engine.rule import Rule, RuleContext
from drift.model import Finding, Severity


class MigrationModified(Rule):
    slug = "migration-modified"
    severity = Severity.ERROR
    title = "Migration edited after it ran"
    explanation = """The checksum the database recorded for an applied migration differs from
    the repository's file (Prisma: the SHA-256 of migration.sql): someone edited a migration
    after it ran, so this environment's schema is not what the repository says."""
    fix = "Restore the migration as it was applied and put the change in a new migration."
    scope = "environment"

    def check(self, context: RuleContext) -> Iterator[Finding]:
        facts = facts_of(context.snapshot)
        if facts is None or context.snapshot is None:
            return
        files = dict(facts.repository)
        for migration in facts.applied:
            expected = files.get(migration.name)
            if expected and migration.checksum and migration.finished and migration.checksum != expected:
                yield self.finding(
                    context.snapshot.env,
                    migration.name,
                    f"migration {migration.name} was edited after it ran in {context.snapshot.env}",
                    location=f"{facts.location}/{migration.name}",
                    discriminator="migration",
                )


RULE = MigrationModified
