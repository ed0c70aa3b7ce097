"""The environment x key matrix: where environments agree and where they do not.

Cells carry group numbers rather than values, so a report can say "production = staging,
development differs" for a secret without showing it. Groups come from the sealed values'
comparison tokens (`cross_env.Seen`), so `drift merge` builds the same matrix from the shards'
sealed values as one process does from the values.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from drift.engine.cross_env import Sealed, Seen, environments, seal
from drift.engine.secrecy import SecrecyCache, display
from drift.model import Entry, EnvSnapshot, Finding, MatrixCell, MatrixRow
from drift.schema import KeySpec, Schema
from drift.secrets import Fingerprinter

#: Cell states without a value, and so without a group.
_ABSENT = ("missing", "unknown", "unreadable")


def build_matrix(
    schema: Schema,
    snapshots: Sequence[EnvSnapshot],
    findings: Sequence[Finding],
    fingerprint: Fingerprinter,
    secrecy: SecrecyCache,
    stored: Sealed | None = None,
) -> tuple[MatrixRow, ...]:
    """A row per key (declared first, in schema order, then undeclared ones alphabetically).
    `stored`: the shards' sealed values, in `drift merge` (the snapshots hold no values)."""
    keys = list(schema.specs)
    extra = sorted({k for s in snapshots for k in s.entries if k not in schema.specs})
    per_key: dict[str, int] = {}
    invalid: set[tuple[str, str]] = set()  # the matrix reads the findings, it does not re-check
    for finding in findings:
        if finding.key is not None:
            per_key[finding.key] = per_key.get(finding.key, 0) + 1
            if finding.rule == "invalid" and finding.env is not None:
                invalid.add((finding.env, finding.key))
    envs = environments(schema, snapshots)
    names = [snapshot.env for snapshot in snapshots]
    # without per-environment overrides every environment shares one spec per key
    specs = envs[0][1] if envs and all(specs is envs[0][1] for _, specs in envs) else None
    invalid_keys = {key for _, key in invalid}
    rows = []
    for key in keys + extra:
        count = per_key.get(key, 0)
        row = None
        if stored is not None:
            row = _row(key, schema, envs, _reader(stored, key), count, invalid)
        elif specs is not None and key not in invalid_keys:
            row = _uniform(key, schema, snapshots, names, specs.get(key), fingerprint, secrecy, count)
        rows.append(row or _row(key, schema, envs, _sealer(key, fingerprint, secrecy), count, invalid))
    return tuple(rows)


#: The sealed value of a key in an environment (None: set, but its value is not given).
_Sealer = Callable[[str, KeySpec | None, Entry], Seen | None]


def _reader(stored: Sealed, key: str) -> _Sealer:
    """The sealed value of `key` as a shard saved it."""
    return lambda env, _spec, _entry: stored.get(env, {}).get(key)


def _sealer(key: str, fingerprint: Fingerprinter, secrecy: SecrecyCache) -> _Sealer:
    """The sealed value of `key` in an environment, worked out once per distinct value down
    the column (most keys hold one value almost everywhere)."""
    known: dict[tuple[str, bool, int], Seen] = {}

    def sealed(env: str, spec: KeySpec | None, entry: Entry) -> Seen | None:
        if entry.value is None:
            return None
        identity = (entry.value, entry.store_secret, id(spec))
        found = known.get(identity)
        if found is None:
            found = known[identity] = seal(env, False, key, spec, entry, secrecy, fingerprint)
        return found

    return sealed


def _uniform(
    key: str,
    schema: Schema,
    snapshots: Sequence[EnvSnapshot],
    names: list[str],
    spec: KeySpec | None,
    fingerprint: Fingerprinter,
    secrecy: SecrecyCache,
    finding_count: int,
) -> MatrixRow | None:
    """The row of a key that holds one value in every environment (most keys, in most
    projects): one cell for all, from a column read in one pass. None for any other key."""
    column = [snapshot.entries.get(key) for snapshot in snapshots]
    first = column[0] if column else None
    if first is None or first.value is None:
        return None
    value, flag = first.value, first.store_secret
    if not all(e is not None and e.value == value and e.store_secret == flag for e in column):
        return None
    seen = secrecy.of(key, spec, first)
    cell = MatrixCell("empty" if value == "" else "present", display(value, seen, fingerprint), 0)
    return MatrixRow(
        key,
        spec is not None,
        seen.masked or bool(spec and spec.schema_secret),
        "same" if len(column) > 1 else "single",
        dict.fromkeys(names, cell),
        finding_count,
    )


def _row(
    key: str,
    schema: Schema,
    envs: Sequence[tuple[EnvSnapshot, dict[str, KeySpec]]],
    sealed: _Sealer,
    finding_count: int,
    invalid: set[tuple[str, str]],
) -> MatrixRow:
    """One key down the column of environments, its values sealed by `sealed`; equal cells
    are one object: 100,000 cells cost what their distinct values cost."""
    groups: dict[str, list[str]] = {}
    slots: list[tuple[str, str, str | None, str | None]] = []
    secret = False
    for snapshot, specs in envs:
        entry = snapshot.entries.get(key)
        if entry is None:
            slots.append((snapshot.env, "unknown" if snapshot.could_hold(key) else "missing", None, None))
            continue
        seen = sealed(snapshot.env, specs.get(key), entry)
        if seen is None:  # set, but the store does not give the value (names only, a reference)
            slots.append((snapshot.env, "unreadable", None, None))
            continue
        secret = secret or seen.secrecy.masked
        groups.setdefault(seen.compared, []).append(snapshot.env)
        state = "empty" if seen.empty else "invalid" if (snapshot.env, key) in invalid else "present"
        slots.append((snapshot.env, state, seen.compared, seen.shown))
    ranked = sorted(groups.items(), key=lambda item: (-len(item[1]), item[1][0]))
    number = {compared: index for index, (compared, _) in enumerate(ranked)}
    made: dict[tuple[str, str | None, int | None], MatrixCell] = {}
    cells: dict[str, MatrixCell] = {}
    for env, state, compared, shown in slots:
        facet = (state, shown, number[compared] if compared is not None else None)
        cell = made.get(facet)
        if cell is None:
            cell = made[facet] = MatrixCell(*facet)
        cells[env] = cell
    present = sum(len(members) for members in groups.values())
    if len(groups) > 1:
        status = "differs"
    elif present < len(envs):
        status = "partial"
    else:
        status = "same" if present > 1 else "single"
    spec = schema.specs.get(key)
    return MatrixRow(key, spec is not None, secret or bool(spec and spec.schema_secret), status, cells, finding_count)
