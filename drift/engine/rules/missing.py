"""`missing`: a key the schema requires is not set."""

from __future__ import annotations

from drift.engine.rule import EnvironmentView, Example, Rule
from drift.engine.secrecy import INFERRED
from drift.model import Entry, Finding, Severity
from drift.schema import KeySpec


class Missing(Rule):
    slug = "missing"
    severity = Severity.ERROR
    title = "Required key is missing"
    explanation = """A key the schema requires is not set in this environment. A key with a
    non-empty value in .env.example is required everywhere; one with an empty example value is
    optional unless it is a secret or marked @required / required = true / nonempty;
    `required_if` makes a key required when its condition holds. The application will start
    without it, or fail at the first request that needs it."""
    fix = """Set the key in this environment's source, or mark it @optional (required = false) in
    the schema if the application really does without it."""
    scope = "entry"
    example = Example(
        "LOG_LEVEL=info\nDATABASE_URL=postgres://db.internal/app\n",
        bad={"production": "LOG_LEVEL=info\n"},
        good={"production": "LOG_LEVEL=info\nDATABASE_URL=postgres://db.prod.internal/app\n"},
    )
    keys = ("absent",)

    def check_entry(
        self, view: EnvironmentView, name: str, spec: KeySpec | None, entry: Entry | None
    ) -> Finding | None:
        assert spec is not None
        holds = view.holds(spec)
        required, guessed = spec.requirement(view.env)
        if not (holds or required) or view.snapshot.could_hold(name):
            return None
        why = f" (required because {spec.required_if})" if holds else ""
        guessed = guessed and not holds
        if guessed:
            why = " (inferred: empty example value and a secret-like name; add @required or @optional)"
        return self.finding(
            view.env,
            name,
            f"{name} is required but not set in {view.env}{why}",
            location=spec.location,
            basis=INFERRED if guessed else "declared",
        )


RULE = Missing
