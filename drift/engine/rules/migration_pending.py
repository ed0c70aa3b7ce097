"""`migration-pending`: a migration of the repository this environment's database has not applied."""

from __future__ import annotations

from collections.abc import Iterator

from drift.engine.migration_facts import applied_names, facts_of
from drift.engine.rule import Rule, RuleContext
from drift.model import Finding, Severity


class MigrationPending(Rule):
    slug = "migration-pending"
    severity = Severity.ERROR
    title = "Migration not applied"
    explanation = """The repository has a migration this environment's database has not
    applied (or applied and rolled back): code that expects the new schema will fail there,
    or readiness blocks traffic until it runs."""
    fix = "Run the migrations against this environment (`prisma migrate deploy`, `alembic upgrade head`)."
    scope = "environment"

    def check(self, context: RuleContext) -> Iterator[Finding]:
        facts = facts_of(context.snapshot)
        if facts is None or context.snapshot is None:
            return
        done = set(applied_names(facts))
        failed = {m.name for m in facts.applied if not m.finished and not m.rolled_back}
        for name, _ in facts.repository:
            if name not in done and name not in failed:
                yield self.finding(
                    context.snapshot.env,
                    name,
                    f"migration {name} is not applied in {context.snapshot.env}",
                    location=f"{facts.location}/{name}",
                    discriminator="migration",
                )


RULE = MigrationPending
