"""`deprecated`: a key the schema marks deprecated is still set."""

from __future__ import annotations

from drift.engine.rule import EnvironmentView, Example, Rule
from drift.model import Entry, Finding, Severity
from drift.schema import KeySpec


class Deprecated(Rule):
    slug = "deprecated"
    severity = Severity.WARNING
    title = "Deprecated key is still set"
    explanation = """The schema marks this key deprecated, usually because a newer key replaced
    it. Leaving it set hides which of the two the application really reads."""
    fix = "Move the value to the replacement the message names, then remove the deprecated key."
    scope = "entry"
    example = Example(
        "# @deprecated renamed to MAIL_FROM\nEMAIL_FROM=\nMAIL_FROM=app@acme.io\n",
        bad={"production": "EMAIL_FROM=app@acme.io\nMAIL_FROM=app@acme.io\n"},
        good={"production": "MAIL_FROM=app@acme.io\n"},
    )

    def applies(self, spec: KeySpec) -> bool:
        return spec.deprecated is not None

    def check_entry(
        self, view: EnvironmentView, name: str, spec: KeySpec | None, entry: Entry | None
    ) -> Finding | None:
        assert spec is not None and entry is not None
        return self.finding(view.env, name, f"{name} is deprecated: {spec.deprecated}", location=entry.location)


RULE = Deprecated
