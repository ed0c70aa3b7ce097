"""`undeclared`: an environment sets a key the schema does not declare."""

from __future__ import annotations

from drift.engine.rule import EnvironmentView, Example, Rule
from drift.model import Entry, Finding, Severity
from drift.schema import KeySpec


class Undeclared(Rule):
    slug = "undeclared"
    severity = Severity.WARNING
    title = "Key is not in the schema"
    explanation = """The environment sets a key that .env.example (and drift.toml) do not
    declare: a typo of a declared key, a leftover of a removed feature, or a new setting nobody
    documented. drift suggests the declared key it most resembles."""
    fix = "Rename it to the declared key, remove it, or declare it in .env.example with a comment."
    scope = "entry"
    example = Example(
        "LOG_LEVEL=info\n",
        bad={"production": "LOG_LEVEL=info\nLOG_LEVL=debug\n"},
        good={"production": "LOG_LEVEL=debug\n"},
    )
    keys = ("undeclared",)

    def check_entry(
        self, view: EnvironmentView, name: str, spec: KeySpec | None, entry: Entry | None
    ) -> Finding | None:
        assert entry is not None
        suggestion = view.state.near_misses().closest(name)
        hint = f" (did you mean {suggestion}?)" if suggestion else ""
        return self.finding(
            view.env,
            name,
            f"{name} is set in {view.env} but not declared in the schema{hint}",
            expected=suggestion,
            location=entry.location,
        )


RULE = Undeclared
