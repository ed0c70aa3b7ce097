"""`invalid`: a value does not fit its key's spec; in `drift schema lint`, an example value or
default that does not fit its own spec."""

from __future__ import annotations

from collections.abc import Iterator

from drift.engine.rule import EnvironmentView, Example, Rule, RuleContext
from drift.engine.values import violation
from drift.model import Entry, Finding, Severity
from drift.schema import KeySpec
from drift.secrets import is_placeholder


class Invalid(Rule):
    slug = "invalid"
    severity = Severity.ERROR
    title = "Value does not match the schema"
    explanation = """The value does not have the key's type (int, bool, url, ...), is not one
    of its allowed values, does not match its pattern, is out of its range or length, or
    differs from the value this environment must have (`equals`). Empty values are not checked
    against types and constraints, only against `equals`."""
    fix = "Correct the value in this environment's source; the finding's `expected` says what fits."
    scope = ("entry", "lint")
    example = Example(
        "# @type int\nWORKERS=4\n",
        bad={"production": "WORKERS=four\n"},
        good={"production": "WORKERS=8\n"},
    )
    by_value = True

    def applies(self, spec: KeySpec) -> bool:
        return spec.constrained or spec.equals is not None

    def check_entry(
        self, view: EnvironmentView, name: str, spec: KeySpec | None, entry: Entry | None
    ) -> Finding | None:
        assert spec is not None and entry is not None
        if entry.value is None:
            return None
        problem = violation(spec, entry.value)
        if problem is None:
            return None
        return self.finding(
            view.env,
            name,
            problem.message,
            expected=problem.expected,
            actual=view.display(name, spec, entry),
            location=entry.location,
            basis=problem.basis,
        )

    def check(self, context: RuleContext) -> Iterator[Finding]:
        """The schema's own example values (a placeholder is fine, a secret's is not checked)
        and defaults against their specs."""
        for name, spec in context.schema.specs.items():
            for what, value in (("example value", spec.example), ("default", spec.default)):
                if not value or is_placeholder(value):
                    continue
                problem = violation(spec, value) if what == "default" or not spec.schema_secret else None
                if problem is not None:
                    yield self.finding(
                        None,
                        name,
                        f"the {what} of {name} does not fit its own schema: {problem.message}",
                        expected=problem.expected,
                        location=spec.location,
                        discriminator=what.split()[0],
                    )


RULE = Invalid
