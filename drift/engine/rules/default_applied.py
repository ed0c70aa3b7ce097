"""`default-applied`: an absent key whose declared default the application falls back to."""

from __future__ import annotations

from drift.engine.rule import EnvironmentView, Rule
from drift.model import Entry, Finding, Severity
from drift.schema import KeySpec
from drift.schema.showable import shown


class DefaultApplied(Rule):
    slug = "default-applied"
    severity = Severity.INFO
    title = "Absent key: the application applies its default"
    explanation = """A key the schema gives a `default` (@default) is not set in this
    environment, so the application falls back to that default, as its own configuration
    check would warn. The value is named only when drift knows it is no secret."""
    fix = "Nothing to fix if the default is what this environment should run with; otherwise set the key."
    scope = "entry"
    keys = ("absent",)

    def applies(self, spec: KeySpec) -> bool:
        return spec.default is not None

    def check_entry(
        self, view: EnvironmentView, name: str, spec: KeySpec | None, entry: Entry | None
    ) -> Finding | None:
        assert spec is not None
        if view.holds(spec) or spec.requirement(view.env)[0] or view.snapshot.could_hold(name):
            return None  # required here: `missing`, not a default
        default = str(spec.default)
        text = shown(spec, default)
        return self.finding(
            view.env,
            name,
            f"{name} is not set in {view.env}: the application uses its default"
            + (f" ({text})" if text is not None else ""),
            expected=text,
            location=spec.location,
        )


RULE = DefaultApplied
