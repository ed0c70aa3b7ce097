"""`duplicate`: a key assigned twice in one file (`.env.example`, or an environment's file,
whose collector hands the assignments over as `repeated-assignment` facts)."""

from __future__ import annotations

from collections.abc import Iterator

from drift.engine.rule import Example, Rule, RuleContext
from drift.model import Finding, Severity


class Duplicate(Rule):
    slug = "duplicate"
    severity = Severity.WARNING
    title = "Key assigned twice"
    explanation = """The same key is assigned twice in one file; the last assignment wins, which
    is rarely what the person editing the first one expects."""
    fix = "Remove one of the assignments."
    scope = ("schema", "environment")
    example = Example(
        "PORT=3000\n",
        bad={"production": "PORT=3000\nPORT=8080\n"},
        good={"production": "PORT=8080\n"},
    )

    def check(self, context: RuleContext) -> Iterator[Finding]:
        if context.snapshot is None:
            path = context.schema.example_path
            for name, first, again in context.schema.duplicates:
                yield self.finding(
                    None,
                    name,
                    f"{name} is assigned twice in {path} (lines {first} and {again}); the first one is the declaration",
                    location=f"{path}:{again}",
                    discriminator=str(again),
                )
            return
        yield from self.from_facts(context.snapshot, "repeated-assignment")


RULE = Duplicate
