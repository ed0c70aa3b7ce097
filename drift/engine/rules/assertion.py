"""`assertion`: a project's `[[assert]]` (a CEL expression over one environment's typed keys)
does not hold, or could not be evaluated. The CEL machinery is `drift.engine.assertions`."""

from __future__ import annotations

from collections.abc import Iterator

from drift.engine.rule import Rule, RuleContext
from drift.model import Finding, Severity


class Assertion(Rule):
    slug = "assertion"
    severity = Severity.ERROR
    title = "A cross-key assertion does not hold"
    explanation = """An `[[assert]]` in drift.toml, a CEL expression over the environment's typed
    keys (such as `url_origin(APP_URL) in csv(ALLOWED_ORIGINS)`), is false in this environment,
    or could not be evaluated (a key it uses is absent: guard it with `has(KEY)` in `when`).
    The message is the assertion's own; the severity is the assertion's `severity`. `drift
    schema lint` reports an assertion that does not compile or type-check the same way."""
    fix = "Make the keys agree as the assertion says, or correct the assertion in drift.toml."
    scope = "environment"

    def check(self, context: RuleContext) -> Iterator[Finding]:
        compiled = context.state.assertions
        if compiled is None or context.snapshot is None:
            return
        for assertion, problem in compiled.failures(context.snapshot):
            yield self.finding(
                context.snapshot.env,
                None,
                assertion.message if problem is None else f"{assertion.message} (assertion {problem})",
                severity=assertion.severity,
                expected=f"assertion {assertion.name}: {assertion.check}",
                location=assertion.location,
                discriminator=assertion.name,
            )


RULE = Assertion
