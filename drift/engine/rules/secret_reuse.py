"""`secret-reuse`: a deployed environment shares a secret value with another."""

from __future__ import annotations

from collections.abc import Iterator

from drift.engine.cross_env import Seen, and_, describe, group, shared
from drift.engine.rule import Example, Rule, RuleContext
from drift.engine.secrecy import DECLARED, INFERRED, Secrecy
from drift.model import Finding, Severity
from drift.schema import KeySpec
from drift.secrets import is_setting_value


class SecretReuse(Rule):
    slug = "secret-reuse"
    severity = Severity.ERROR
    title = "Secret shared between environments"
    explanation = """A deployed environment uses the same secret value as another environment,
    so a leak of the weaker environment (staging, a laptop) opens the stronger one. Compared by
    keyed fingerprint; the value is never read out. Flags, small numbers and enum words are
    settings, never counted as shared secrets."""
    fix = "Generate a distinct secret for each deployed environment."
    scope = "across"
    example = Example(
        "SESSION_SECRET=\n",
        bad={
            "staging": "SESSION_SECRET=Zx81qLm2Wv93nBt4Yc65Kd07\n",
            "production": "SESSION_SECRET=Zx81qLm2Wv93nBt4Yc65Kd07\n",
        },
        good={
            "staging": "SESSION_SECRET=Zx81qLm2Wv93nBt4Yc65Kd07\n",
            "production": "SESSION_SECRET=Hp42rTs8Uq17jLw9Xe30Ma56\n",
        },
    )

    def check(self, context: RuleContext) -> Iterator[Finding]:
        fingerprint = context.state.fingerprint
        for key, spec, values in shared(context):
            if not any(s.secrecy.shareable for s in values):
                continue
            kept = [
                Seen(s.env, s.deployed, s.value, Secrecy(True, True, True, s.secrecy.basis), s.spec)
                for s in values
                if s.value and s.secrecy.shareable and not _a_setting(s.value, s.spec)
            ]
            for members in group(kept, fingerprint):
                if len(members) < 2 or not any(s.deployed for s in members):
                    continue
                envs = [s.env for s in members]
                certain = any(s.secrecy.basis == DECLARED for s in members)
                yield self.finding(
                    None,
                    key,
                    f"{key} has the same secret value in {and_(envs)}"
                    + ("" if certain else " (inferred secret: a near-miss name or a random-looking value)"),
                    expected="a distinct value in each deployed environment",
                    actual=describe([members], fingerprint),
                    location=spec.location if spec is not None else None,
                    discriminator="+".join(envs),
                    basis=DECLARED if certain else INFERRED,
                )


def _a_setting(value: str, spec: KeySpec | None) -> bool:
    """A flag, a small number or one of the key's enum words: no credential is one, so two
    environments that agree on it share a setting, not a secret."""
    return is_setting_value(value) or (spec is not None and spec.values is not None and value in spec.values)


RULE = SecretReuse
