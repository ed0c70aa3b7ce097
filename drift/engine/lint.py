"""`drift schema lint`: what is wrong with the schema itself, before any environment is read.

Besides the schema rules every check runs, it checks each example value and default against
its own spec (a placeholder example is fine) and reports glob tables that match nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from drift.engine import catalog
from drift.engine.assertions import Assertion, AssertionCompileError, compile_assertions
from drift.engine.schema_rules import check_schema
from drift.engine.values import violation
from drift.model import Finding
from drift.schema import Schema
from drift.secrets import is_placeholder


def lint(schema: Schema, assertions: Sequence[Assertion] = ()) -> list[Finding]:
    """Findings about the schema and the assertions (each compiled and type-checked against
    the schema on its own, so one bad assertion does not hide another), ordered like any
    other findings."""
    found = check_schema(schema)
    for assertion in assertions:
        try:
            compile_assertions(schema, [assertion])
        except AssertionCompileError as exc:
            found.append(
                catalog.ASSERTION.finding(
                    None,
                    None,
                    str(exc),
                    location=assertion.location,
                    discriminator=assertion.name,
                )
            )
    for name, spec in schema.specs.items():
        for what, value in (("example value", spec.example), ("default", spec.default)):
            if not value or is_placeholder(value):
                continue
            problem = violation(spec, value) if what == "default" or not spec.schema_secret else None
            if problem is not None:
                found.append(
                    catalog.INVALID.finding(
                        None,
                        name,
                        f"the {what} of {name} does not fit its own schema: {problem.message}",
                        expected=problem.expected,
                        location=spec.location,
                        discriminator=what.split()[0],
                    )
                )
    for pattern in schema.unused_globs:
        found.append(
            catalog.UNUSED_GLOB.finding(
                None,
                pattern,
                f'[keys."{pattern}"] matches no declared key',
            )
        )
    found.sort(key=Finding.sort_key)
    return found
