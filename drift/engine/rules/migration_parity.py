"""`migration-parity`: deployed environments at different migrations."""

from __future__ import annotations

from collections.abc import Iterator

from drift.engine.migration_facts import applied_names, facts_of
from drift.engine.rule import Rule, RuleContext
from drift.model import Finding, Severity


class MigrationParity(Rule):
    slug = "migration-parity"
    severity = Severity.WARNING
    title = "Environments at different migrations"
    explanation = """Two deployed environments have applied different migrations: one is ahead
    of the other, so what passes in staging is not what production runs. The finding names
    the migrations one has and the other lacks."""
    fix = "Apply the missing migrations where they lack (or hold the deploy back until they are)."
    scope = "across"

    def check(self, context: RuleContext) -> Iterator[Finding]:
        states = [(s.env, f) for s in context.snapshots if s.deployed and (f := facts_of(s)) is not None]
        for index, (env, facts) in enumerate(states):
            for other, other_facts in states[index + 1 :]:
                if (facts.tool, facts.location) != (other_facts.tool, other_facts.location):
                    continue  # two different migration histories: nothing to compare
                names, other_names = applied_names(facts), applied_names(other_facts)
                for ahead, behind, lead, lag in ((env, other, names, other_names), (other, env, other_names, names)):
                    extra = [n for n in lead if n not in set(lag)]
                    if extra:
                        yield self.finding(
                            None,
                            None,
                            f"{ahead} is {len(extra)} migration(s) ahead of {behind}: {', '.join(extra)}",
                            discriminator=f"{ahead}>{behind}",
                        )


RULE = MigrationParity
