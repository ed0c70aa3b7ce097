"""`changed`: a value (a secret's fingerprint) differs from the previous saved scan's."""

from __future__ import annotations

from collections.abc import Iterator

from drift.engine.history_rules import compared
from drift.engine.rule import Rule, RuleContext
from drift.model import Finding, Severity


class Changed(Rule):
    slug = "changed"
    severity = Severity.INFO
    title = "Value changed since the last scan"
    explanation = """A value (for a secret, its fingerprint) differs from the one the previous
    saved scan recorded. The finding says who changed it and when, where the store knows
    (SSM's LastModifiedUser, fetched only for parameters whose version changed)."""
    fix = "Nothing to fix if the change was intended; otherwise restore the previous value."
    scope = "history"

    def check(self, context: RuleContext) -> Iterator[Finding]:
        for snapshot, before, after in compared(context):
            for key, now in after.items():
                then = before.get(key)
                if then is None or not (now.fingerprint and then.fingerprint) or now.fingerprint == then.fingerprint:
                    continue
                who, when = now.metadata.get("changed_by"), now.metadata.get("last_changed")
                detail = "".join([f" by {who}" if who else "", f" at {when}" if when else ""])
                yield self.finding(
                    snapshot.env,
                    key,
                    f"{key} changed in {snapshot.env} since the last scan{detail}",
                    expected=then.display,
                    actual=now.display,
                    location=entry.location if (entry := snapshot.entries.get(key)) is not None else None,
                )


RULE = Changed
