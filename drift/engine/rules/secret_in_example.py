"""`secret-in-example`: a real-looking credential committed to `.env.example`."""

from __future__ import annotations

from collections.abc import Iterator

from drift.engine.rule import Example, Rule, RuleContext
from drift.engine.secrecy import INFERRED
from drift.model import Finding, Severity
from drift.secrets import FORMAT, credential_evidence, is_identifier_name


class SecretInExample(Rule):
    slug = "secret-in-example"
    severity = Severity.ERROR
    title = "Real-looking credential in .env.example"
    explanation = """.env.example is committed and shared; a value there in a known credential
    format (AWS key id, Stripe live key, GitHub token, private key, JWT) or a long high-entropy
    token is probably a real secret that was copied in. A known format is an error; a value that
    is only random-looking is an inferred warning, since public ids (workspace, project,
    analytics ids) look random too."""
    fix = "Replace the value with a placeholder such as <your-key-here> and rotate the credential."
    scope = "schema"
    example = Example(
        "STRIPE_SECRET_KEY=sk_live_51Hx0example0key0Zq8Lm2Wv9\n",
        bad={"production": "STRIPE_SECRET_KEY=sk_live_51Hx0example0key0Zq8Lm2Wv9\n"},
        good={"production": "STRIPE_SECRET_KEY=sk_live_51Hx0example0key0Zq8Lm2Wv9\n"},
        good_schema="STRIPE_SECRET_KEY=\n",
    )

    def check(self, context: RuleContext) -> Iterator[Finding]:
        schema = context.schema
        for name, spec in schema.specs.items():
            if not spec.example or spec.secret is False:
                continue
            evidence = credential_evidence(spec.example)
            if evidence is None or (evidence != FORMAT and is_identifier_name(name)):
                continue  # an identifier is random-looking by design
            yield self.finding(
                None,
                name,
                f"{name} in {schema.example_path} looks like a real credential"
                + ("" if evidence == FORMAT else " (inferred: a random-looking value; public ids look so too)"),
                expected="a placeholder such as <your-value-here>",
                location=spec.location,
                basis="declared" if evidence == FORMAT else INFERRED,
            )


RULE = SecretInExample
