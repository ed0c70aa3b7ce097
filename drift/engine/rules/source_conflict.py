"""`source-conflict`: two sources of one environment set a key to different values
(merging hands them over as `conflicting-sources` facts)."""

from __future__ import annotations

from collections.abc import Iterator

from drift.engine.rule import Rule, RuleContext
from drift.model import Finding, Severity


class SourceConflict(Rule):
    slug = "source-conflict"
    severity = Severity.WARNING
    title = "Sources disagree on a key"
    explanation = """Two sources of one environment set the same key to different values; the
    later source in the list wins, which may not be the one people edit."""
    fix = "Keep the key in one source only, or make the values agree."
    scope = "environment"

    def check(self, context: RuleContext) -> Iterator[Finding]:
        assert context.snapshot is not None
        yield from self.from_facts(context.snapshot, "conflicting-sources")


RULE = SourceConflict
