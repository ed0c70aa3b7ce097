"""`malformed`: a line its loader cannot read, in `.env.example` or an environment's file
(collectors hand the lines over as `unreadable-line` facts)."""

from __future__ import annotations

from collections.abc import Iterator

from drift.engine.rule import Example, Rule, RuleContext
from drift.model import Finding, Severity


class Malformed(Rule):
    slug = "malformed"
    severity = Severity.ERROR
    title = "Line cannot be parsed"
    explanation = """A line of a dotenv file is one the dialect's loader rejects or skips, so a
    key on it may be lost; the environment is marked partial. In .env.example it is a schema
    finding at its line, and the other keys still count."""
    fix = "Fix the line: KEY=value, with quotes around values that contain spaces or #."
    scope = ("schema", "environment")
    example = Example(
        "PORT=3000\n",
        bad={"production": "PORT=3000\nexport the port above\n"},
        good={"production": "PORT=3000\n"},
    )

    def check(self, context: RuleContext) -> Iterator[Finding]:
        if context.snapshot is None:
            path = context.schema.example_path
            for line, reason in context.schema.malformed:
                yield self.finding(
                    None,
                    None,
                    f"cannot read {path} line {line}: {reason}; the other keys still count",
                    location=f"{path}:{line}",
                    discriminator=f"{path}:{line}",
                )
            return
        yield from self.from_facts(context.snapshot, "unreadable-line")


RULE = Malformed
