"""`removed`: a key the previous saved scan saw in the environment is gone."""

from __future__ import annotations

from collections.abc import Iterator

from drift.engine.history_rules import compared
from drift.engine.rule import Rule, RuleContext
from drift.model import Finding, Severity


class Removed(Rule):
    slug = "removed"
    severity = Severity.INFO
    title = "Key removed since the last scan"
    explanation = """A key the previous saved scan saw in this environment is gone. Not raised
    for keys a failed source could have provided."""
    fix = "Nothing to fix if intended; otherwise restore the key."
    scope = "history"

    def check(self, context: RuleContext) -> Iterator[Finding]:
        for snapshot, before, after in compared(context):
            for key, record in before.items():
                if key not in after and not snapshot.could_hold(key):
                    yield self.finding(
                        snapshot.env,
                        key,
                        f"{key} was removed from {snapshot.env} since the last scan",
                        expected=record.display,
                    )


RULE = Removed
