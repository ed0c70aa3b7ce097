"""`dangling-reference`: a reference to a parameter or secret that does not exist
(collectors hand them over as `unresolved-reference` facts)."""

from __future__ import annotations

from collections.abc import Iterator

from drift.engine.rule import Rule, RuleContext
from drift.model import Finding, Severity


class DanglingReference(Rule):
    slug = "dangling-reference"
    severity = Severity.ERROR
    title = "Reference to something that does not exist"
    explanation = """A reference (an ECS `secrets` valueFrom) names an SSM parameter, a secret or
    a JSON key in a secret that does not exist: the task will fail to start."""
    fix = "Create the parameter or secret, or fix the reference."
    scope = "environment"

    def check(self, context: RuleContext) -> Iterator[Finding]:
        assert context.snapshot is not None
        yield from self.from_facts(context.snapshot, "unresolved-reference")


RULE = DanglingReference
