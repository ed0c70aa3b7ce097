"""`secret-reuse`: a deployed environment shares a secret value with another."""

from __future__ import annotations

from collections.abc import Iterator

from drift.engine.cross_env import and_, describe, group, shared
from drift.engine.rule import Example, Rule, RuleContext
from drift.engine.secrecy import DECLARED, INFERRED
from drift.model import Finding, Severity
from drift.secrets import masked


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
        for key, spec, values in shared(context):
            # compared and shown as secrets are: by fingerprint, masked (a URL with a password too)
            kept = [
                s._replace(compared="fp:" + s.fingerprint, shown=masked(s.fingerprint))
                for s in values
                if s.fingerprint is not None and not s.setting
            ]
            for members in group(kept):
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
                    actual=describe([members]),
                    location=spec.location if spec is not None else None,
                    discriminator="+".join(envs),
                    basis=DECLARED if certain else INFERRED,
                )


RULE = SecretReuse
