"""`migration-failed`: a migration that started and neither finished nor was rolled back."""

from __future__ import annotations

from collections.abc import Iterator

from drift.engine.migration_facts import facts_of
from drift.engine.rule import Rule, RuleContext
from drift.model import Finding, Severity


class MigrationFailed(Rule):
    slug = "migration-failed"
    severity = Severity.ERROR
    title = "Migration failed"
    explanation = """The database records a migration that started but neither finished nor
    was rolled back: the schema is half-changed, and Prisma refuses to apply anything more
    until it is resolved."""
    fix = "Fix the cause, then `prisma migrate resolve --rolled-back NAME` (or `--applied NAME`) and deploy again."
    scope = "environment"

    def check(self, context: RuleContext) -> Iterator[Finding]:
        facts = facts_of(context.snapshot)
        if facts is None or context.snapshot is None:
            return
        for migration in facts.applied:
            if not migration.finished and not migration.rolled_back:
                yield self.finding(
                    context.snapshot.env,
                    migration.name,
                    f"migration {migration.name} started in {context.snapshot.env} and never finished",
                    location=f"{facts.location}/{migration.name}",
                    discriminator="migration",
                )


RULE = MigrationFailed
