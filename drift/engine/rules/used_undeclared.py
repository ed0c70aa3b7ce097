"""`used-undeclared`: the code reads a key the schema does not declare."""

from __future__ import annotations

from collections.abc import Iterator

from drift.engine.code_reads import by_key
from drift.engine.rule import Rule, RuleContext
from drift.model import Finding, Severity
from drift.platform.suggest import NearMisses


class UsedUndeclared(Rule):
    slug = "used-undeclared"
    severity = Severity.ERROR
    title = "The code reads a key the schema does not declare"
    explanation = """A file under `[code] paths` reads a setting (`process.env.X`,
    `os.environ["X"]`, a pydantic-settings field...) that neither .env.example nor drift.toml
    declares: no environment is checked for it, so a deploy can ship code that needs a setting
    nobody set. drift suggests the declared key it most resembles."""
    fix = "Declare the key in .env.example (with a comment saying what it is for), or fix the name in the code."
    scope = "schema"

    def check(self, context: RuleContext) -> Iterator[Finding]:
        declared = context.schema.specs
        near = None
        for key, reads in by_key(context, changed_only=True).items():
            if key in declared:
                continue
            near = near or NearMisses(list(declared))
            suggestion = near.closest(key)
            hint = f" (did you mean {suggestion}?)" if suggestion else ""
            also = f" and {len(reads) - 1} more place(s)" if len(reads) > 1 else ""
            yield self.finding(
                None,
                key,
                f"{key} is read at {reads[0].location}{also} but not declared in the schema{hint}",
                expected=suggestion,
                location=reads[0].location,
            )


RULE = UsedUndeclared
