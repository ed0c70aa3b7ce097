"""`drift schema lint`: what is wrong with the schema itself, before any environment is read:
the rules of scope `schema` every check runs, those of scope `lint` (example values and
defaults against their own specs, glob tables that match nothing), and each assertion
compiled and type-checked against the schema."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from secrets import token_bytes

from drift.engine import catalog
from drift.engine.assertions import AssertionCompileError, compile_assertions
from drift.engine.evaluate import Inputs, context_for, run
from drift.model import Finding
from drift.schema import Schema
from drift.secrets import Fingerprinter
from drift.settings import Assertion


def lint(schema: Schema, assertions: Sequence[Assertion] = ()) -> list[Finding]:
    """Findings about the schema and the assertions (each compiled on its own, so one bad
    assertion does not hide another), ordered like any other findings."""
    fingerprint = Fingerprinter(token_bytes(32))  # nothing linted shows a value
    context = context_for(Inputs(schema, (), fingerprint, datetime.now(UTC)))
    found = run(list(catalog.RULES.values()), context, ("schema", "lint"))
    for assertion in assertions:
        try:
            compile_assertions(schema, [assertion])
        except AssertionCompileError as exc:
            found.append(
                catalog.rule("assertion").finding(
                    None, None, str(exc), location=assertion.location, discriminator=assertion.name
                )
            )
    found.sort(key=Finding.sort_key)
    return found
