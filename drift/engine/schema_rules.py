"""Rules about the schema itself (findings with no environment): credentials committed to
`.env.example`, keys assigned twice there, and secrets declared under a public prefix."""

from __future__ import annotations

from drift.engine import catalog
from drift.model import Finding
from drift.schema import Schema
from drift.secrets import is_browser_exposed, looks_like_real_credential


def check_schema(schema: Schema) -> list[Finding]:
    """Findings about the schema, independent of any environment."""
    found: list[Finding] = []
    for name, spec in schema.specs.items():
        if spec.example and spec.secret is not False and looks_like_real_credential(spec.example):
            found.append(
                Finding(
                    catalog.SECRET_IN_EXAMPLE.slug,
                    catalog.SECRET_IN_EXAMPLE.severity,
                    None,
                    name,
                    f"{name} in {schema.example_path} looks like a real credential",
                    expected="a placeholder such as <your-value-here>",
                    location=spec.location,
                )
            )
        if spec.schema_secret and is_browser_exposed(name):
            found.append(
                Finding(
                    catalog.SECRET_PUBLIC.slug,
                    catalog.SECRET_PUBLIC.severity,
                    None,
                    name,
                    f"{name} is a secret declared under a browser-exposed prefix",
                    expected="no secret under a public prefix",
                    location=spec.location,
                )
            )
    for name, first, again in schema.duplicates:
        found.append(
            Finding(
                catalog.DUPLICATE.slug,
                catalog.DUPLICATE.severity,
                None,
                name,
                f"{name} is assigned twice in {schema.example_path} (lines {first} and {again}); "
                "the first one is the declaration",
                location=f"{schema.example_path}:{again}",
                discriminator=str(again),
            )
        )
    return found
