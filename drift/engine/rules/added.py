"""`added`: a key the previous saved scan did not see in the environment."""

from __future__ import annotations

from collections.abc import Iterator

from drift.engine.history_rules import compared
from drift.engine.rule import Rule, RuleContext
from drift.model import Finding, Severity


class Added(Rule):
    slug = "added"
    severity = Severity.INFO
    title = "Key added since the last scan"
    explanation = "The environment has a key the previous saved scan did not see there."
    fix = "Nothing to fix if intended; declare the key in the schema if it is new."
    scope = "history"

    def check(self, context: RuleContext) -> Iterator[Finding]:
        for snapshot, before, after in compared(context):
            for key, record in after.items():
                if key not in before:
                    yield self.finding(
                        snapshot.env,
                        key,
                        f"{key} was added in {snapshot.env} since the last scan",
                        actual=record.display,
                        location=entry.location if (entry := snapshot.entries.get(key)) is not None else None,
                    )


RULE = Added
