"""`declared-unused`: a schema key nothing in the code reads."""

from __future__ import annotations

from collections.abc import Iterator

from drift.engine.code_reads import by_key, read_by_library, scanned
from drift.engine.rule import Rule, RuleContext
from drift.model import Finding, Severity


class DeclaredUnused(Rule):
    slug = "declared-unused"
    severity = Severity.INFO
    title = "A declared key nothing reads"
    explanation = """The schema declares a key that no file under `[code] paths` reads, and that
    is not one of the keys well-known libraries read themselves (NODE_ENV, DATABASE_URL for
    Prisma, AWS_REGION for the AWS SDKs, NEXT_PUBLIC_* for Next.js, OTEL_*, SENTRY_DSN...) nor
    matched by `[code] libraries`: a setting left behind by removed code, or one read through
    a dynamic name drift cannot follow."""
    fix = """Remove the key from .env.example and the environments, or list it in `[code]
    libraries` if a library reads it (or suppress the finding by key glob)."""
    scope = "schema"

    def check(self, context: RuleContext) -> Iterator[Finding]:
        if not scanned(context):
            return
        reads = by_key(context)
        extra = context.state.libraries
        for name, spec in context.schema.specs.items():
            if name in reads or spec.deprecated is not None or read_by_library(name, extra):
                continue
            yield self.finding(None, name, f"{name} is declared but nothing under [code] paths reads it",
                               location=spec.location)  # fmt: skip


RULE = DeclaredUnused
