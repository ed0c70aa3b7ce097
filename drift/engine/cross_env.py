"""What the rules comparing the selected environments (`parity`, `secret-reuse`) and the
matrix share: each environment's value of a key as a sealed `Seen`, and groups of equal ones.

A `Seen` never holds the value: it holds a comparison token (a keyed fingerprint of the
value's typed form, or of the value where it is secret), the display, the secrecy and the
facts the rules ask of the value. Worked out where the value is, it compares and shows
exactly what the value would, so a shard of a scan can save its environments' `Seen`s and
`drift merge` run these rules over all shards to the same findings one process would make,
with no value ever leaving the shard's process.
"""

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from itertools import chain, repeat
from operator import attrgetter
from typing import NamedTuple, cast

from drift.engine.rule import RuleContext
from drift.engine.secrecy import Secrecy, SecrecyCache, display
from drift.model import Entry, EnvSnapshot
from drift.schema import KeySpec, Schema, types
from drift.secrets import Fingerprinter, is_setting_value

#: Environment -> key -> its sealed value: what a shard saves and `drift merge` reads.
Sealed = Mapping[str, Mapping[str, "Seen"]]


class Seen(NamedTuple):
    """One environment's value of a key, sealed: what comparing and showing it needs."""

    env: str
    deployed: bool
    #: The value is the empty text.
    empty: bool
    #: Equal tokens are equal values (`token`).
    compared: str
    #: The value as output may show it.
    shown: str | None
    secrecy: Secrecy
    #: A flag, a small number or one of the key's enum words: a setting, never a credential.
    setting: bool
    #: The value's keyed fingerprint, for the values `secret-reuse` compares (else None).
    fingerprint: str | None = None


def token(value: str, secrecy: Secrecy, spec: KeySpec | None, fingerprint: Fingerprinter) -> str:
    """What two environments' values must share to count as equal: a keyed fingerprint of a
    secret's value or of a masked value's text (equal texts are equal), else the typed
    value's form (`1.0` and `1` agree for a float), which `portable` hashes before a shard
    saves it (a URL shown part by part has parts no output shows)."""
    if secrecy.for_rules or secrecy.shareable:
        return "fp:" + fingerprint(value)
    if secrecy.masked:
        return "raw:" + fingerprint(value)
    typed = types.comparable(types.typed_or_raw(spec.type if spec is not None else "str", value))
    return f"typed:{type(typed).__name__}:{typed!r}"


def distinct_tokens(spec: KeySpec | None) -> bool:
    """Whether `token` gives distinct values of the key distinct tokens, so that grouping by
    value groups by token: a keyed fingerprint and a text kept as it is are distinct for
    distinct values (and never equal each other, by their prefixes); only a type's parser
    (`1.0` and `1` for a float) makes two texts one value."""
    return spec is None or spec.type in _TEXT_TYPES


#: The types whose typed value is the text itself (tests/test_columns.py holds them to it).
_TEXT_TYPES = frozenset({"str", "enum"})


def portable(seen: Seen, fingerprint: Fingerprinter) -> Seen:
    """The sealed value as a shard saves it: a typed token as its keyed fingerprint (equal
    exactly when the tokens are), so no part of a value leaves the process."""
    if seen.compared.startswith("typed:"):
        return seen._replace(compared="typed#" + fingerprint(seen.compared))
    return seen


def seal(
    env: str, deployed: bool, key: str, spec: KeySpec | None, entry: Entry, secrecy: SecrecyCache, fp: Fingerprinter
) -> Seen:
    """The sealed form of an entry that has a value."""
    value = entry.value
    assert value is not None
    seen = secrecy.of(key, spec, entry)
    return Seen(
        env,
        deployed,
        value == "",
        token(value, seen, spec, fp),
        display(value, seen, fp),
        seen,
        is_setting_value(value) or (spec is not None and spec.values is not None and value in spec.values),
        fp(value) if seen.shareable and value else None,
    )


def sealed(schema: Schema, snapshots: Sequence[EnvSnapshot], secrecy: SecrecyCache, fp: Fingerprinter) -> Sealed:
    """Every entry with a value, sealed, by environment and key (what a shard saves)."""
    found: dict[str, dict[str, Seen]] = {}
    for snapshot, specs in environments(schema, snapshots):
        found[snapshot.env] = {
            key: seal(snapshot.env, snapshot.deployed, key, specs.get(key), entry, secrecy, fp)
            for key, entry in snapshot.entries.items()
            if entry.value is not None
        }
    return found


def group(values: Sequence[Seen]) -> list[list[Seen]]:
    """Environments grouped by equal value, largest group first, then by name."""
    groups: dict[str, list[Seen]] = {}
    for seen in values:
        groups.setdefault(seen.compared, []).append(seen)
    return sorted(groups.values(), key=lambda g: (-len(g), g[0].env))


def environments(schema: Schema, snapshots: Sequence[EnvSnapshot]) -> list[tuple[EnvSnapshot, dict[str, KeySpec]]]:
    """Each snapshot with its environment's specs, looked up once for all keys."""
    return [(snapshot, schema.for_env(snapshot.env)) for snapshot in snapshots]


def one_specs(envs: Sequence[tuple[EnvSnapshot, dict[str, KeySpec]]]) -> dict[str, KeySpec] | None:
    """The specs every environment shares (no per-environment overrides), or None."""
    return envs[0][1] if envs and all(specs is envs[0][1] for _, specs in envs) else None


_VALUE = attrgetter("value")
_STORE_FLAGS = (attrgetter("store_secret"), attrgetter("plaintext_store"))
#: A column's cell where the environment does not have the key.
ABSENT = object()


class _NoEntry:
    """What a column reads for a key an environment does not have: its `value` is `ABSENT`."""

    value = ABSENT


_NO_ENTRY = _NoEntry()


#: A key's value in each environment, in order: the text, None where the store does not give
#: it, `ABSENT` where the environment does not have the key.
Column = tuple[object, ...]


def value_columns(snapshots: Sequence[EnvSnapshot], keys: Iterable[str]) -> dict[str, Column] | None:
    """Each key's column of values, for the paths that work down a column instead of entry
    by entry: the distinct values are then found by dict and list operations, and the columns
    are read from the entries in C (on 20 x 5,000 keys, 100,000 cells in a few ms). None where a store flag
    marks some value: then a value's text alone does not say how it is treated, and the
    callers go entry by entry."""
    if any(any(map(flag, s.entries.values())) for s in snapshots for flag in _STORE_FLAGS):
        return None
    keys = list(keys)
    if not snapshots:
        return dict.fromkeys(keys, ())
    rows = [map(_VALUE, map(snapshot.entries.get, keys, repeat(_NO_ENTRY))) for snapshot in snapshots]
    return dict(zip(keys, zip(*rows, strict=True), strict=True))


def checked_keys(schema: Schema, snapshots: Sequence[EnvSnapshot]) -> tuple[str, ...]:
    """Every key a scan checks: the declared ones in schema order, then those only an
    environment sets, alphabetically (the matrix's rows, JUnit's test cases)."""
    extra = set().union(*(snapshot.entries for snapshot in snapshots)).difference(schema.specs)
    return (*schema.specs, *sorted(extra))


def scan_columns(schema: Schema, snapshots: Sequence[EnvSnapshot], keys: Iterable[str]) -> dict[str, Column] | None:
    """Every key's column (`keys`: `checked_keys`), worked out once a scan for the rules that
    compare environments and for the matrix; None where they would not use it (environments
    with their own overrides) or where a store flag marks some value."""
    if one_specs(environments(schema, snapshots)) is None:
        return None
    return value_columns(snapshots, keys)


def shared(context: RuleContext) -> list[tuple[str, KeySpec | None, list[Seen]]]:
    """Each key set in at least two selected environments that `parity` (a parity key) or
    `secret-reuse` (a secret value) compares, with its declaration and its sealed values:
    worked out once per scan for both, from the snapshots' values or, in `drift merge`, from
    the shards' sealed ones."""
    state = context.state
    found = state.memo.get("shared")
    if found is None:
        snapshots = context.snapshots
        counts = Counter(chain.from_iterable(snapshot.entries for snapshot in snapshots))
        envs = environments(context.schema, snapshots)
        stored = state.sealed
        specs = one_specs(envs)
        columns = state.columns if specs is not None and stored is None else None
        found = state.memo["shared"] = []
        for key, count in counts.items():
            if count < 2:
                continue
            spec = context.schema.specs.get(key)
            if stored is not None:
                values = [stored[s.env][key] for s, _ in envs if key in stored.get(s.env, {})]
                if (spec is None or spec.parity == "free") and not any(v.secrecy.shareable for v in values):
                    continue
                found.append((key, spec, values))
                continue
            if spec is None or spec.parity == "free":  # only what a rule compares is kept
                if columns is not None and specs is not None:
                    if not _any_shareable_value(key, specs.get(key), snapshots, columns[key], state.secrecy):
                        continue
                elif not _any_shareable(key, envs, state.secrecy):
                    continue
            found.append((key, spec, _values_of(key, envs, state.secrecy, state.fingerprint)))
    return cast(list[tuple[str, KeySpec | None, list[Seen]]], found)


def _values_of(
    key: str, envs: Sequence[tuple[EnvSnapshot, dict[str, KeySpec]]], secrecy: SecrecyCache, fp: Fingerprinter
) -> list[Seen]:
    """The key's sealed value in each environment that has one, in environment order."""
    found: list[Seen] = []
    for snapshot, specs in envs:
        entry: Entry | None = snapshot.entries.get(key)
        if entry is not None and entry.value is not None:
            found.append(seal(snapshot.env, snapshot.deployed, key, specs.get(key), entry, secrecy, fp))
    return found


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


def _any_shareable_value(
    key: str, spec: KeySpec | None, snapshots: Sequence[EnvSnapshot], values: Column, secrecy: SecrecyCache
) -> bool:
    """`_any_shareable` from the key's column of values (`value_columns`), where every environment
    shares its spec and no store flag is set: asked once per distinct value."""
    for value in dict.fromkeys(values):
        if isinstance(value, str) and secrecy.of(key, spec, snapshots[values.index(value)].entries[key]).shareable:
            return True
    return False


def describe(groups: list[list[Seen]]) -> str:
    """`production, staging: 1a2b...; development: 3c4d...` (values as output may show them)."""
    parts = []
    for members in groups:
        shown = members[0].shown
        parts.append(f"{', '.join(s.env for s in members)}: {shown if shown != '' else '(empty)'}")
    return "; ".join(parts)


def and_(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
