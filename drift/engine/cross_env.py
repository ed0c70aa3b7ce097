"""Rules that compare the selected environments: `parity` and `secret-reuse`.

Values are grouped by their typed form, or by keyed fingerprint where they are secret, so
that "production = staging, development differs" is known without reading a secret out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from drift.engine import catalog
from drift.engine.secrecy import DECLARED, Secrecy, SecrecyCache, display
from drift.model import Entry, EnvSnapshot, Finding
from drift.schema import KeySpec, Schema, types
from drift.secrets import Fingerprinter


@dataclass(frozen=True, slots=True)
class Seen:
    """One environment's value of a key, with what is needed to compare it."""

    env: str
    deployed: bool
    value: str
    secrecy: Secrecy
    spec: KeySpec | None


def comparison_key(seen: Seen, fingerprint: Fingerprinter) -> object:
    """What two environments' values must share to count as equal: a secret's fingerprint,
    a masked value itself (equal texts are equal; it is never shown), a typed value."""
    if seen.secrecy.for_rules or seen.secrecy.shareable:
        return ("fp", fingerprint(seen.value))
    if seen.secrecy.masked:
        return ("raw", seen.value)
    type_name = seen.spec.type if seen.spec is not None else "str"
    return types.comparable(types.typed_or_raw(type_name, seen.value))


def group(values: Sequence[Seen], fingerprint: Fingerprinter) -> list[list[Seen]]:
    """Environments grouped by equal value, largest group first, then by name."""
    groups: dict[object, list[Seen]] = {}
    for seen in values:
        groups.setdefault(comparison_key(seen, fingerprint), []).append(seen)
    return sorted(groups.values(), key=lambda g: (-len(g), g[0].env))


def values_of(key: str, schema: Schema, snapshots: Sequence[EnvSnapshot], secrecy: SecrecyCache) -> list[Seen]:
    """The key's value in each environment that has one, in environment order."""
    found: list[Seen] = []
    for snapshot in snapshots:
        entry: Entry | None = snapshot.entries.get(key)
        if entry is None or entry.value is None:
            continue
        spec = schema.for_env(snapshot.env).get(key)
        found.append(Seen(snapshot.env, snapshot.deployed, entry.value, secrecy.of(key, spec, entry), spec))
    return found


def _describe(groups: list[list[Seen]], fingerprint: Fingerprinter) -> str:
    parts = []
    for members in groups:
        shown = display(members[0].value, members[0].secrecy, fingerprint)
        parts.append(f"{', '.join(s.env for s in members)}: {shown if shown != '' else '(empty)'}")
    return "; ".join(parts)


def check_across(
    schema: Schema, snapshots: Sequence[EnvSnapshot], fingerprint: Fingerprinter, secrecy: SecrecyCache
) -> list[Finding]:
    """Parity and secret-reuse findings among the selected environments."""
    if len(snapshots) < 2:
        return []
    counts: dict[str, int] = {}
    for snapshot in snapshots:
        for key in snapshot.entries:
            counts[key] = counts.get(key, 0) + 1
    found: list[Finding] = []
    for key, count in counts.items():
        if count < 2:
            continue
        base = schema.specs.get(key)
        values = values_of(key, schema, snapshots, secrecy)
        secret = any(s.secrecy.shareable for s in values)
        location = base.location if base is not None else None
        if secret:
            found.extend(_reuse(key, values, fingerprint, location))
        if base is not None and base.parity != "free":
            found.extend(_parity(key, base.parity, values, secret, fingerprint, location))
    return found


def _reuse(key: str, values: list[Seen], fingerprint: Fingerprinter, location: str | None) -> list[Finding]:
    shared = [s for s in values if s.value and s.secrecy.shareable]
    masked = [Seen(s.env, s.deployed, s.value, Secrecy(True, True, True, s.secrecy.basis), s.spec) for s in shared]
    found = []
    for members in group(masked, fingerprint):
        if len(members) < 2 or not any(s.deployed for s in members):
            continue
        envs = [s.env for s in members]
        certain = any(s.secrecy.basis == DECLARED for s in members)
        found.append(
            catalog.SECRET_REUSE.finding(
                None,
                key,
                f"{key} has the same secret value in {_and(envs)}"
                + ("" if certain else " (inferred secret: a near-miss name or a random-looking value)"),
                expected="a distinct value in each deployed environment",
                actual=_describe([members], fingerprint),
                location=location,
                discriminator="+".join(envs),
                basis=DECLARED if certain else "inferred",
            )
        )
    return found


def _parity(
    key: str, mode: str, values: list[Seen], secret: bool, fingerprint: Fingerprinter, location: str | None
) -> list[Finding]:
    if mode == "same":
        groups = group(values, fingerprint)
        if len(groups) < 2:
            return []
        return [
            catalog.PARITY.finding(
                None,
                key,
                f"{key} must be the same in every environment but differs ({len(groups)} distinct values)",
                expected="the same value in every environment",
                actual=_describe(groups, fingerprint),
                location=location,
            )
        ]
    if secret:
        return []  # a secret's sharing is `secret-reuse`'s to report
    found = []
    for members in group([s for s in values if s.value], fingerprint):
        if len(members) >= 2:
            envs = [s.env for s in members]
            found.append(
                catalog.PARITY.finding(
                    None,
                    key,
                    f"{key} must differ between environments but is the same in {_and(envs)}",
                    expected="a different value in each environment",
                    actual=_describe([members], fingerprint),
                    location=location,
                    discriminator="+".join(envs),
                )
            )
    return found


def _and(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
