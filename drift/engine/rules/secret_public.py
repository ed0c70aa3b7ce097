"""`secret-public`: a secret under a prefix that bundlers publish to browsers."""

from __future__ import annotations

from collections.abc import Iterator

from drift.engine.rule import EnvironmentView, Example, Rule, RuleContext
from drift.engine.secrecy import INFERRED
from drift.model import Entry, Finding, Severity
from drift.schema import KeySpec
from drift.secrets import (
    STRONG,
    has_credential_format,
    is_browser_exposed,
    is_high_entropy_token,
    is_setting_name,
    is_setting_value,
    name_verdict,
)


class SecretPublic(Rule):
    slug = "secret-public"
    severity = Severity.ERROR
    title = "Secret under a browser-exposed prefix"
    explanation = """Bundlers inline every variable under NEXT_PUBLIC_, VITE_, REACT_APP_,
    EXPO_PUBLIC_, PUBLIC_, NUXT_PUBLIC_ or GATSBY_ into the JavaScript sent to browsers, so a
    secret there is published to every visitor. A key declared secret, named with a strong
    word (SECRET, PASSWORD, PRIVATE_KEY, or AUTH_TOKEN, ACCESS_TOKEN, API_TOKEN, REFRESH_TOKEN,
    CLIENT_SECRET) or holding a credential format is an error; a weaker name word (KEY, TOKEN,
    ID), which public widget keys also use, or a random-looking value is an inferred warning.
    A flag or a number under a name that toggles or counts (DISABLE_PASSWORD_LOGIN=false) is a
    setting, not a secret."""
    fix = """Rename the key without the public prefix and read it on the server only; rotate the
    secret if it was ever deployed."""
    scope = ("schema", "entry")
    example = Example(
        "NEXT_PUBLIC_STRIPE_SECRET_KEY=\n",
        bad={"production": "NEXT_PUBLIC_STRIPE_SECRET_KEY=sk_live_51Hx0example0key0Zq8Lm2Wv9\n"},
        good={"production": "STRIPE_SECRET_KEY=sk_live_51Hx0example0key0Zq8Lm2Wv9\n"},
        good_schema="STRIPE_SECRET_KEY=\n",
    )
    by_value = True
    keys = ("present", "undeclared")

    def check(self, context: RuleContext) -> Iterator[Finding]:
        """Declared keys, once: an error when declared secret or named with a strong word
        (SECRET, PASSWORD, PRIVATE_KEY), an inferred warning for weaker words (KEY, TOKEN,
        ID), which public widget keys also use."""
        for name, spec in context.schema.specs.items():
            if not is_browser_exposed(name) or spec.secret is False or spec.is_setting:
                continue
            verdict = name_verdict(name)
            if not spec.secret and not verdict:
                continue
            certain = bool(spec.secret) or verdict == STRONG
            yield self.finding(
                None,
                name,
                f"{name} is a secret declared under a browser-exposed prefix"
                if spec.secret
                else f"{name} has a secret-like name under a browser-exposed prefix"
                + ("" if certain else " (inferred from its name; declare @not-secret if it is public by design)"),
                expected="no secret under a public prefix",
                location=spec.location,
                basis="declared" if certain else INFERRED,
            )

    def applies(self, spec: KeySpec) -> bool:
        return spec.secret is None and is_browser_exposed(spec.name)

    def check_entry(
        self, view: EnvironmentView, name: str, spec: KeySpec | None, entry: Entry | None
    ) -> Finding | None:
        """Per environment, by value for every key (a credential format is certain, a
        random-looking token a guess), and by name for undeclared keys (declared ones are
        judged once, above)."""
        assert entry is not None
        if entry.value is None or (spec is None and not is_browser_exposed(name)):
            return None
        value = entry.value
        certain = bool(value) and has_credential_format(value)
        guess = bool(value) and is_high_entropy_token(value)
        if spec is None and not (is_setting_name(name) and is_setting_value(value)):
            verdict = name_verdict(name)
            certain = certain or verdict == STRONG
            guess = guess or bool(verdict)
        if not (certain or guess):
            return None
        return self.finding(
            view.env,
            name,
            f"{name} holds a secret under a browser-exposed prefix in {view.env}"
            + ("" if certain else " (inferred from its name or a random-looking value; declare @not-secret if public)"),
            expected="no secret under a public prefix",
            actual=view.display(name, spec, entry),
            location=entry.location,
            basis="declared" if certain else INFERRED,
        )


RULE = SecretPublic
