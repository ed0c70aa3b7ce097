"""`placeholder`: a deployed environment holds a value never meant to be used."""

from __future__ import annotations

from drift.engine.rule import EnvironmentView, Example, Rule
from drift.model import Entry, Finding, Severity
from drift.schema import KeySpec
from drift.secrets import has_reserved_host, is_placeholder


class Placeholder(Rule):
    slug = "placeholder"
    severity = Severity.ERROR
    title = "Placeholder value in a deployed environment"
    explanation = """A deployed environment holds a value that was never meant to be used:
    change-me, TODO, FIXME, <...>, your-...-here, `your-` / `your_` anywhere, runs of xxx,
    fake / dummy / sample / placeholder words, replace-with-..., a host reserved for
    documentation (example.com, *.example, *.test, *.invalid: RFC 2606, RFC 6761), a URL
    whose password is such a word, or a secret still equal to its .env.example value."""
    fix = "Replace it with the real value (for a secret, generate a new one; never reuse the example)."
    scope = "entry"
    example = Example(
        "# @type url\nAPI_URL=\n",
        bad={"production": "API_URL=change-me\n"},
        good={"production": "API_URL=https://api.acme.io\n"},
    )
    by_value = True
    keys = ("present", "undeclared")

    def applies_to(self, view: EnvironmentView) -> bool:
        return view.snapshot.deployed

    def check_entry(
        self, view: EnvironmentView, name: str, spec: KeySpec | None, entry: Entry | None
    ) -> Finding | None:
        assert entry is not None
        value = entry.value
        if not value or not view.snapshot.deployed:
            return None
        if is_placeholder(value) or has_reserved_host(value):
            basis = "declared"
        elif spec is not None and spec.example and value == spec.example:
            secrecy = view.secrecy(name, spec, entry)
            if not secrecy.for_rules:
                return None
            basis = secrecy.basis  # a secret left at its example value
        else:
            return None
        return self.finding(
            view.env,
            name,
            f"{name} holds a placeholder value in deployed environment {view.env}",
            expected="a real value",
            actual=view.display(name, spec, entry),
            location=entry.location,
            basis=basis,
        )


RULE = Placeholder
