"""`secret-in-example`: a real-looking credential committed to `.env.example`."""

from __future__ import annotations

from collections.abc import Iterator

from drift.engine.rule import Rule, RuleContext
from drift.model import Finding, Severity
from drift.secrets import looks_like_real_credential


class SecretInExample(Rule):
    slug = "secret-in-example"
    severity = Severity.ERROR
    title = "Real-looking credential in .env.example"
    explanation = """.env.example is committed and shared; a value there in a known credential
    format (AWS key id, Stripe live key, GitHub token, private key, JWT) or a long high-entropy
    token is probably a real secret that was copied in."""
    fix = "Replace the value with a placeholder such as <your-key-here> and rotate the credential."
    scope = "schema"

    def check(self, context: RuleContext) -> Iterator[Finding]:
        schema = context.schema
        for name, spec in schema.specs.items():
            if spec.example and spec.secret is not False and looks_like_real_credential(spec.example):
                yield self.finding(
                    None,
                    name,
                    f"{name} in {schema.example_path} looks like a real credential",
                    expected="a placeholder such as <your-value-here>",
                    location=spec.location,
                )


RULE = SecretInExample
