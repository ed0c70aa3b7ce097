"""`migration-unknown`: applied in the environment, absent from the repository."""

from __future__ import annotations

from collections.abc import Iterator

from drift.engine.migration_facts import applied_names, facts_of
from drift.engine.rule import Rule, RuleContext
from drift.model import Finding, Severity


class MigrationUnknown(Rule):
    slug = "migration-unknown"
    severity = Severity.WARNING
    title = "Applied migration the repository does not have"
    explanation = """The database records a migration the repository has no file for: it came
    from another branch, or was deleted after it ran. The schema holds changes nobody can
    reproduce from the repository."""
    fix = "Restore the migration in the repository, or reconcile the database with a new migration."
    scope = "environment"

    def check(self, context: RuleContext) -> Iterator[Finding]:
        facts = facts_of(context.snapshot)
        if facts is None or context.snapshot is None:
            return
        known = {name for name, _ in facts.repository}
        for name in applied_names(facts):
            if name not in known:
                yield self.finding(
                    context.snapshot.env,
                    name,
                    f"migration {name} is applied in {context.snapshot.env} but not in the repository",
                    discriminator="migration",
                )


RULE = MigrationUnknown
