"""`unused-glob`: a `[keys."PATTERN"]` table of drift.toml that matches no declared key
(reported by `drift schema lint`)."""

from __future__ import annotations

from collections.abc import Iterator

from drift.engine.rule import Rule, RuleContext
from drift.model import Finding, Severity


class UnusedGlob(Rule):
    slug = "unused-glob"
    severity = Severity.WARNING
    title = "Schema glob matches no key"
    explanation = """A `[keys."PATTERN"]` table in drift.toml matches no declared key, so its
    fields apply to nothing: usually a typo in the pattern or a key that was renamed. Reported
    by `drift schema lint`."""
    fix = "Fix the pattern or remove the table."
    scope = "lint"

    def check(self, context: RuleContext) -> Iterator[Finding]:
        for pattern in context.schema.unused_globs:
            yield self.finding(None, pattern, f'[keys."{pattern}"] matches no declared key')


RULE = UnusedGlob
