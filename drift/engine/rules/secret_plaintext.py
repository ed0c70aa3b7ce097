"""`secret-plaintext`: a secret kept in a store's plaintext kind."""

from __future__ import annotations

from operator import attrgetter

from drift.engine.rule import EnvironmentView, Rule
from drift.model import Entry, Finding, Severity
from drift.schema import KeySpec

_PLAINTEXT_STORE = attrgetter("plaintext_store")


class SecretPlaintext(Rule):
    slug = "secret-plaintext"
    severity = Severity.ERROR
    title = "Secret stored in plaintext"
    explanation = """A secret is stored where the store offers an encrypted kind but it is not
    used: an SSM String instead of a SecureString, a container's ECS `environment` instead of
    `secrets`, or a Lambda environment variable. Anyone who can describe the resource can read
    it."""
    fix = """Move the value to a SecureString parameter or Secrets Manager and reference it (ECS
    `secrets` / valueFrom, or read it at runtime from Lambda)."""
    scope = "entry"
    by_value = True
    keys = ("present", "undeclared")

    def applies_to(self, view: EnvironmentView) -> bool:
        return any(map(_PLAINTEXT_STORE, view.entries.values()))  # in C: 100,000 entries on 20 x 5,000

    def check_entry(
        self, view: EnvironmentView, name: str, spec: KeySpec | None, entry: Entry | None
    ) -> Finding | None:
        assert entry is not None
        if not entry.plaintext_store or entry.value is None or not view.secrecy(name, spec, entry).for_rules:
            return None
        return self.finding(
            view.env,
            name,
            f"{name} is a secret stored in plaintext ({entry.kind}) in {view.env}",
            expected="an encrypted store (SecureString, Secrets Manager, ECS secrets)",
            location=entry.location,
            discriminator=entry.source,
        )


RULE = SecretPlaintext
