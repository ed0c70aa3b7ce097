"""`empty`: a key that must have a value is set to the empty string."""

from __future__ import annotations

from drift.engine.rule import EnvironmentView, Example, Rule
from drift.model import Entry, Finding, Severity
from drift.schema import KeySpec


class Empty(Rule):
    slug = "empty"
    severity = Severity.ERROR
    title = "Key must not be empty"
    explanation = """The key is present but its value is empty, and the schema says it must
    have a value (`nonempty`, or a `required_if` condition that holds). Most applications treat
    an empty value like a missing one."""
    fix = "Give the key a value in this environment, or drop `nonempty` from the schema."
    scope = "entry"
    example = Example(
        "# @nonempty\nSMTP_HOST=\n",
        bad={"production": "SMTP_HOST=\n"},
        good={"production": "SMTP_HOST=smtp.acme.io\n"},
    )

    def applies(self, spec: KeySpec) -> bool:
        return spec.nonempty or spec.required_if is not None

    def check_entry(
        self, view: EnvironmentView, name: str, spec: KeySpec | None, entry: Entry | None
    ) -> Finding | None:
        assert spec is not None and entry is not None
        if entry.value != "":
            return None
        holds = view.holds(spec)
        if not (spec.nonempty or holds):
            return None
        why = f" (required because {spec.required_if})" if holds else ""
        return self.finding(
            view.env,
            name,
            f"{name} is empty in {view.env}{why}",
            expected="a non-empty value",
            actual="",
            location=entry.location,
        )


RULE = Empty
