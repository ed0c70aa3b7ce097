"""Rules that look at one environment at a time: missing, empty, invalid, deprecated,
placeholder, secret-public (by value) and undeclared.

Written as one pass over the environment's keys because this is the hot path: 20
environments of 5,000 keys are 100,000 key checks.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Mapping
from datetime import UTC, datetime

from drift.engine import catalog
from drift.engine.secrecy import INFERRED, Secrecy, SecrecyCache, display
from drift.engine.values import same_value, violation
from drift.model import Entry, EnvSnapshot, Finding
from drift.schema import KeySpec, Schema
from drift.schema.keyspec import Condition
from drift.schema.showable import showable
from drift.secrets import (
    STRONG,
    Fingerprinter,
    has_credential_format,
    has_reserved_host,
    is_browser_exposed,
    is_high_entropy_token,
    is_placeholder,
    name_verdict,
)
from drift.suggest import NearMisses


def could_be_unread(snapshot: EnvSnapshot, key: str) -> bool:
    """Whether a source that failed could have provided `key` (then it is not `missing`)."""
    for include, exclude in snapshot.unreadable_patterns:
        if include and not any(fnmatch.fnmatchcase(key, p) for p in include):
            continue
        if any(fnmatch.fnmatchcase(key, p) for p in exclude):
            continue
        return True
    return False


def condition_holds(condition: Condition, specs: Mapping[str, KeySpec], entries: Mapping[str, Entry]) -> bool:
    """`required_if KEY=VALUE`: KEY is set, to VALUE compared as KEY's type."""
    other = entries.get(condition.key)
    if other is None or other.value is None:
        return False
    return same_value(specs.get(condition.key), other.value, condition.value)


def placeholder_basis(value: str, secrecy: Secrecy, spec: KeySpec | None) -> str | None:
    """Why a deployed value is a placeholder, as a basis, or None when it is not one:
    placeholder words and shapes, a host reserved for documentation (example.com, *.test),
    or a secret still equal to its example value."""
    if is_placeholder(value) or has_reserved_host(value):
        return "declared"
    if secrecy.for_rules and spec is not None and bool(spec.example) and value == spec.example:
        return secrecy.basis
    return None


def last_changed(entry: Entry) -> datetime | None:
    """When the store says the value last changed (or was rotated), if it says."""
    text = entry.metadata.get("last_changed")
    if not isinstance(text, str):
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class EnvironmentRules:
    """Checks one environment's entries against the schema."""

    def __init__(
        self,
        schema: Schema,
        fingerprint: Fingerprinter,
        near_misses: Callable[[], NearMisses],
        now: datetime,
        namespaces: Mapping[str, tuple[str, ...]],
        secrecy: SecrecyCache,
    ) -> None:
        self.schema = schema
        self.fingerprint = fingerprint
        self.near_misses = near_misses
        self.now = now
        self.namespaces = namespaces
        self.secrecy = secrecy

    def check(self, snapshot: EnvSnapshot) -> list[Finding]:
        """Every per-environment finding for `snapshot`."""
        env = snapshot.env
        specs = self.schema.for_env(env)
        entries = snapshot.entries
        found: list[Finding] = []
        for name, spec in specs.items():
            entry = entries.get(name)
            holds = spec.required_if is not None and condition_holds(spec.required_if, specs, entries)
            if entry is None:
                required, guessed = spec.requirement(env)
                if could_be_unread(snapshot, name):
                    continue
                if holds or required:
                    found.append(self._missing(env, spec, holds, guessed and not holds))
                elif spec.default is not None:
                    found.append(self._default_applied(env, spec))
                continue
            found.extend(self._present(snapshot, spec, entry, holds))
        for name, entry in entries.items():
            if name not in specs:
                found.extend(self._undeclared(snapshot, entry))
        return found

    def _missing(self, env: str, spec: KeySpec, holds: bool, guessed: bool) -> Finding:
        why = f" (required because {spec.required_if})" if holds else ""
        if guessed:
            why = " (inferred: empty example value and a secret-like name; add @required or @optional)"
        return catalog.MISSING.finding(
            env,
            spec.name,
            f"{spec.name} is required but not set in {env}{why}",
            location=spec.location,
            basis=INFERRED if guessed else "declared",
        )

    def _default_applied(self, env: str, spec: KeySpec) -> Finding:
        default = str(spec.default)
        shown = default if spec.secret is not True and showable(spec, default) else None
        return catalog.DEFAULT_APPLIED.finding(
            env,
            spec.name,
            f"{spec.name} is not set in {env}: the application uses its default"
            + (f" ({shown})" if shown is not None else ""),
            expected=shown,
            location=spec.location,
        )

    def _present(self, snapshot: EnvSnapshot, spec: KeySpec, entry: Entry, holds: bool) -> list[Finding]:
        value = entry.value
        env, name = snapshot.env, spec.name
        found: list[Finding] = []
        if spec.deprecated is not None:
            found.append(
                catalog.DEPRECATED.finding(
                    env,
                    name,
                    f"{name} is deprecated: {spec.deprecated}",
                    location=entry.location,
                )
            )
        if value is None:
            return found
        secrecy = self.secrecy.of(name, spec, entry)
        if value == "" and (spec.nonempty or holds):
            why = f" (required because {spec.required_if})" if holds else ""
            found.append(
                catalog.EMPTY.finding(
                    env,
                    name,
                    f"{name} is empty in {env}{why}",
                    expected="a non-empty value",
                    actual="",
                    location=entry.location,
                )
            )
        problem = violation(spec, value)
        if problem is not None:
            found.append(
                catalog.INVALID.finding(
                    env,
                    name,
                    problem.message,
                    expected=problem.expected,
                    actual=display(value, secrecy, self.fingerprint),
                    location=entry.location,
                    basis=problem.basis,
                )
            )
        found.extend(self._value_rules(snapshot, name, spec, entry, secrecy))
        changed = last_changed(entry) if spec.max_age is not None else None
        if spec.max_age is not None and changed is not None:
            age = (self.now - changed).total_seconds()
            if age > spec.max_age:
                found.append(
                    catalog.STALE.finding(
                        env,
                        name,
                        f"{name} in {env} was last changed {int(age // 86400)} days ago, more than its maximum age of "
                        f"{int(spec.max_age // 86400)} days",
                        expected=f"changed within {int(spec.max_age // 86400)} days",
                        location=entry.location,
                    )
                )
        return found

    def _value_rules(
        self, snapshot: EnvSnapshot, name: str, spec: KeySpec | None, entry: Entry, secrecy: Secrecy
    ) -> list[Finding]:
        """Rules that apply to any key, declared or not."""
        value = entry.value or ""
        found: list[Finding] = []
        basis = placeholder_basis(value, secrecy, spec) if snapshot.deployed and value else None
        if basis is not None:
            found.append(
                catalog.PLACEHOLDER.finding(
                    snapshot.env,
                    name,
                    f"{name} holds a placeholder value in deployed environment {snapshot.env}",
                    expected="a real value",
                    actual=display(value, secrecy, self.fingerprint),
                    location=entry.location,
                    basis=basis,
                )
            )
        if secrecy.for_rules and entry.plaintext_store:
            found.append(
                catalog.SECRET_PLAINTEXT.finding(
                    snapshot.env,
                    name,
                    f"{name} is a secret stored in plaintext ({entry.source.split(':', 1)[0]}) in {snapshot.env}",
                    expected="an encrypted store (SecureString, Secrets Manager, ECS secrets)",
                    location=entry.location,
                    discriminator=entry.source,
                )
            )
        reference = entry.metadata.get("reference")
        if isinstance(reference, str):
            owner = self._owner(reference, snapshot.env)
            if owner is not None:
                found.append(
                    catalog.CROSS_ENV_REFERENCE.finding(
                        snapshot.env,
                        name,
                        f"{name} in {snapshot.env} references {reference}, which belongs to environment {owner}",
                        expected=f"a reference into {snapshot.env}'s own store",
                        location=entry.location,
                    )
                )
        public = self._secret_public(snapshot.env, name, spec, entry, secrecy)
        if public is not None:
            found.append(public)
        return found

    def _secret_public(
        self, env: str, name: str, spec: KeySpec | None, entry: Entry, secrecy: Secrecy
    ) -> Finding | None:
        """A secret under a browser prefix, per environment: by value for every key (a
        credential format is certain, a random-looking token a guess), and by name for
        undeclared keys (declared ones are judged once, by the schema rules)."""
        value = entry.value or ""
        if not is_browser_exposed(name) or (spec is not None and spec.secret is not None):
            return None
        certain = bool(value) and has_credential_format(value)
        guess = bool(value) and is_high_entropy_token(value)
        if spec is None:
            verdict = name_verdict(name)
            certain = certain or verdict == STRONG
            guess = guess or bool(verdict)
        if not (certain or guess):
            return None
        return catalog.SECRET_PUBLIC.finding(
            env,
            name,
            f"{name} holds a secret under a browser-exposed prefix in {env}"
            + ("" if certain else " (inferred from its name or a random-looking value; declare @not-secret if public)"),
            expected="no secret under a public prefix",
            actual=display(value, secrecy, self.fingerprint),
            location=entry.location,
            basis="declared" if certain else INFERRED,
        )

    def _owner(self, reference: str, env: str) -> str | None:
        """The other environment whose configured path or prefix holds `reference`, if any."""
        if any(reference.startswith(prefix) for prefix in self.namespaces.get(env, ())):
            return None
        for other, prefixes in self.namespaces.items():
            if other != env and any(reference.startswith(prefix) for prefix in prefixes):
                return other
        return None

    def _undeclared(self, snapshot: EnvSnapshot, entry: Entry) -> list[Finding]:
        name = entry.key
        suggestion = self.near_misses().closest(name)
        hint = f" (did you mean {suggestion}?)" if suggestion else ""
        found = [
            catalog.UNDECLARED.finding(
                snapshot.env,
                name,
                f"{name} is set in {snapshot.env} but not declared in the schema{hint}",
                expected=suggestion,
                location=entry.location,
            )
        ]
        if entry.value is not None:
            found.extend(self._value_rules(snapshot, name, None, entry, self.secrecy.of(name, None, entry)))
        return found
