"""Rules about the schema itself (findings with no environment): credentials committed to
`.env.example`, lines there its loader cannot read, keys assigned twice there, and secrets
declared under a public prefix."""

from __future__ import annotations

from drift.engine import catalog
from drift.model import Finding
from drift.schema import Schema
from drift.schema.keyspec import KeySpec
from drift.secrets import STRONG, is_browser_exposed, looks_like_real_credential, name_verdict


def check_schema(schema: Schema) -> list[Finding]:
    """Findings about the schema, independent of any environment."""
    found: list[Finding] = []
    for name, spec in schema.specs.items():
        if spec.example and spec.secret is not False and looks_like_real_credential(spec.example):
            found.append(
                catalog.SECRET_IN_EXAMPLE.finding(
                    None,
                    name,
                    f"{name} in {schema.example_path} looks like a real credential",
                    expected="a placeholder such as <your-value-here>",
                    location=spec.location,
                )
            )
        public = _secret_public(name, spec)
        if public is not None:
            found.append(public)
    for line, reason in schema.malformed:
        found.append(
            catalog.MALFORMED.finding(
                None,
                None,
                f"cannot read {schema.example_path} line {line}: {reason}; the other keys still count",
                location=f"{schema.example_path}:{line}",
                discriminator=f"{schema.example_path}:{line}",
            )
        )
    for name, first, again in schema.duplicates:
        found.append(
            catalog.DUPLICATE.finding(
                None,
                name,
                f"{name} is assigned twice in {schema.example_path} (lines {first} and {again}); "
                "the first one is the declaration",
                location=f"{schema.example_path}:{again}",
                discriminator=str(again),
            )
        )
    return found


def _secret_public(name: str, spec: KeySpec) -> Finding | None:
    """A key under a browser prefix that the schema or its name says is secret: an error when
    declared or named with a strong word (SECRET, PASSWORD, PRIVATE_KEY), an inferred warning
    for weaker words (KEY, TOKEN, ID), which public widget keys also use."""
    if not is_browser_exposed(name) or spec.secret is False:
        return None
    verdict = name_verdict(name)
    if not spec.secret and not verdict:
        return None
    certain = bool(spec.secret) or verdict == STRONG
    return catalog.SECRET_PUBLIC.finding(
        None,
        name,
        f"{name} is a secret declared under a browser-exposed prefix"
        if spec.secret
        else f"{name} has a secret-like name under a browser-exposed prefix"
        + ("" if certain else " (inferred from its name; declare @not-secret if it is public by design)"),
        expected="no secret under a public prefix",
        location=spec.location,
        basis="declared" if certain else "inferred",
    )
