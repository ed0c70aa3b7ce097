"""`used-missing`: the code reads a key without a fallback, and a deployed environment lacks it."""

from __future__ import annotations

from collections.abc import Iterator

from drift.engine.code_reads import by_key
from drift.engine.rule import Rule, RuleContext
from drift.model import Finding, Severity


class UsedMissing(Rule):
    slug = "used-missing"
    severity = Severity.ERROR
    title = "The code needs a key this environment lacks"
    explanation = """A file under `[code] paths` reads a key with no fallback (not `|| default`,
    `?? default`, `os.environ.get`, a destructuring default or a settings field with a default)
    and this deployed environment does not set it, whether or not the schema declares it: the
    code that reads it fails there. Not raised for a key a failed source could have provided."""
    fix = "Set the key in this environment before deploying the code that reads it, or give the read a fallback."
    scope = "environment"

    def check(self, context: RuleContext) -> Iterator[Finding]:
        snapshot = context.snapshot
        if snapshot is None or not snapshot.deployed:
            return
        for key, reads in by_key(context, changed_only=True).items():
            needed = [r for r in reads if r.kind == "direct"]
            if not needed or key in snapshot.entries or snapshot.could_hold(key):
                continue
            yield self.finding(
                snapshot.env,
                key,
                f"{key} is read without a fallback at {needed[0].location} but not set in {snapshot.env}",
                location=needed[0].location,
            )


RULE = UsedMissing
