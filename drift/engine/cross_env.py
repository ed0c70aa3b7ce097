"""What the rules comparing the selected environments (`parity`, `secret-reuse`) and the
matrix share: each environment's value of a key, and groups of equal values.

Values are grouped by their typed form, or by keyed fingerprint where they are secret, so
that "production = staging, development differs" is known without reading a secret out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple, cast

from drift.engine.rule import RuleContext
from drift.engine.secrecy import Secrecy, SecrecyCache, display
from drift.model import Entry, EnvSnapshot
from drift.schema import KeySpec, Schema, types
from drift.secrets import Fingerprinter


class Seen(NamedTuple):
    """One environment's value of a key, with what is needed to compare it."""

    env: str
    deployed: bool
    value: str
    secrecy: Secrecy
    spec: KeySpec | None


def comparison_key(value: str, secrecy: Secrecy, spec: KeySpec | None, fingerprint: Fingerprinter) -> object:
    """What two environments' values must share to count as equal: a secret's fingerprint,
    a masked value itself (equal texts are equal; it is never shown), a typed value."""
    if secrecy.for_rules or secrecy.shareable:
        return ("fp", fingerprint(value))
    if secrecy.masked:
        return ("raw", value)
    return types.comparable(types.typed_or_raw(spec.type if spec is not None else "str", value))


def group(values: Sequence[Seen], fingerprint: Fingerprinter) -> list[list[Seen]]:
    """Environments grouped by equal value, largest group first, then by name."""
    groups: dict[object, list[Seen]] = {}
    for seen in values:
        groups.setdefault(comparison_key(seen.value, seen.secrecy, seen.spec, fingerprint), []).append(seen)
    return sorted(groups.values(), key=lambda g: (-len(g), g[0].env))


def environments(schema: Schema, snapshots: Sequence[EnvSnapshot]) -> list[tuple[EnvSnapshot, dict[str, KeySpec]]]:
    """Each snapshot with its environment's specs, looked up once for all keys."""
    return [(snapshot, schema.for_env(snapshot.env)) for snapshot in snapshots]


def values_of(key: str, envs: Sequence[tuple[EnvSnapshot, dict[str, KeySpec]]], secrecy: SecrecyCache) -> list[Seen]:
    """The key's value in each environment that has one, in environment order."""
    found: list[Seen] = []
    for snapshot, specs in envs:
        entry: Entry | None = snapshot.entries.get(key)
        if entry is None or entry.value is None:
            continue
        spec = specs.get(key)
        found.append(Seen(snapshot.env, snapshot.deployed, entry.value, secrecy.of(key, spec, entry), spec))
    return found


def shared(context: RuleContext) -> list[tuple[str, KeySpec | None, list[Seen]]]:
    """Each key set in at least two selected environments that `parity` (a parity key) or
    `secret-reuse` (a secret value) compares, with its declaration and its values: worked
    out once per scan for both."""
    state = context.state
    found = state.memo.get("shared")
    if found is None:
        counts: dict[str, int] = {}
        for snapshot in context.snapshots:
            for key in snapshot.entries:
                counts[key] = counts.get(key, 0) + 1
        envs = environments(context.schema, context.snapshots)
        found = state.memo["shared"] = []
        for key, count in counts.items():
            if count < 2:
                continue
            spec = context.schema.specs.get(key)
            if (spec is None or spec.parity == "free") and not _any_shareable(key, envs, state.secrecy):
                continue  # only what a rule compares is kept for the scan
            found.append((key, spec, values_of(key, envs, state.secrecy)))
    return cast(list[tuple[str, KeySpec | None, list[Seen]]], found)


def _any_shareable(key: str, envs: Sequence[tuple[EnvSnapshot, dict[str, KeySpec]]], secrecy: SecrecyCache) -> bool:
    """Whether some environment's value of `key` counts for `secret-reuse`: asked once per
    run of equal values down the column, since most environments hold the same one."""
    last: tuple[str, bool, KeySpec | None] | None = None
    for snapshot, specs in envs:
        entry = snapshot.entries.get(key)
        if entry is None or entry.value is None:
            continue
        spec = specs.get(key)
        if last is not None and last[0] == entry.value and last[1] == entry.store_secret and last[2] is spec:
            continue
        last = (entry.value, entry.store_secret, spec)
        if secrecy.of(key, spec, entry).shareable:
            return True
    return False


def describe(groups: list[list[Seen]], fingerprint: Fingerprinter) -> str:
    """`production, staging: 1a2b...; development: 3c4d...` (values as output may show them)."""
    parts = []
    for members in groups:
        shown = display(members[0].value, members[0].secrecy, fingerprint)
        parts.append(f"{', '.join(s.env for s in members)}: {shown if shown != '' else '(empty)'}")
    return "; ".join(parts)


def and_(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
