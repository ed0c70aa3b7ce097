"""`source-unavailable`: a configured source could not be read. Never suppressed."""

from __future__ import annotations

from collections.abc import Iterator

from drift.engine.rule import Rule, RuleContext
from drift.model import Finding, Severity


class SourceUnavailable(Rule):
    slug = "source-unavailable"
    severity = Severity.ERROR
    title = "Source could not be read"
    explanation = """A configured source could not be read (missing file, permission denied, AWS
    error). The environment is partial or failed; no `missing` finding is raised for keys the
    source could have provided, and the exit code is 3 unless other drift makes it 1. It can
    never be suppressed or baselined."""
    fix = "Fix access to the source (path, permissions, credentials, region) and run again."
    scope = "environment"

    def check(self, context: RuleContext) -> Iterator[Finding]:
        snapshot = context.snapshot
        assert snapshot is not None
        for source in snapshot.sources:
            if source.status == "failed":
                yield self.finding(
                    snapshot.env,
                    None,
                    f"could not read {source.type} source {source.name} for {snapshot.env}: {source.error}",
                    location=source.name,
                    discriminator=f"{source.type}:{source.name}",
                )


RULE = SourceUnavailable
