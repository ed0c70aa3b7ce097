"""The environment x key matrix: where environments agree and where they do not.

Cells carry group numbers rather than values, so a report can say "production = staging,
development differs" for a secret without showing it. Groups come from the sealed values'
comparison tokens (`cross_env.Seen`), so `drift merge` builds the same matrix from the shards'
sealed values as one process does from the values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import cast

from drift.engine.cross_env import (
    ABSENT,
    Column,
    Sealed,
    Seen,
    distinct_tokens,
    environments,
    one_specs,
    seal,
    token,
)
from drift.engine.secrecy import SecrecyCache, display
from drift.model import Entry, EnvSnapshot, Finding, MatrixCell, MatrixRow
from drift.schema import KeySpec, Schema
from drift.secrets import Fingerprinter


def build_matrix(
    schema: Schema,
    keys: Sequence[str],
    snapshots: Sequence[EnvSnapshot],
    findings: Sequence[Finding],
    fingerprint: Fingerprinter,
    secrecy: SecrecyCache,
    stored: Sealed | None = None,
    columns: Mapping[str, Column] | None = None,
) -> tuple[MatrixRow, ...]:
    """A row per key of `keys` (`cross_env.checked_keys`), its cells in the snapshots' order.
    `stored`: the shards' sealed values, in `drift merge` (the snapshots hold no values).
    `columns`: every key's column of values (`cross_env.value_columns`), which the rows of
    keys all environments declare alike are made from; without it, every row is made entry
    by entry."""
    per_key: dict[str, int] = {}
    invalid: set[tuple[str, str]] = set()  # the matrix reads the findings, it does not re-check
    for finding in findings:
        if finding.key is not None:
            per_key[finding.key] = per_key.get(finding.key, 0) + 1
            if finding.rule == "invalid" and finding.env is not None:
                invalid.add((finding.env, finding.key))
    envs = environments(schema, snapshots)
    names = [snapshot.env for snapshot in snapshots]
    specs = one_specs(envs)
    invalid_keys = {key for _, key in invalid}
    columns = columns if specs is not None and stored is None else None
    rows = []
    for key in keys:
        count = per_key.get(key, 0)
        if stored is not None:
            rows.append(_row(key, schema, envs, _reader(stored, key), count, invalid))
        elif columns is not None and specs is not None and key not in invalid_keys:
            rows.append(_column(key, snapshots, names, columns[key], specs.get(key), fingerprint, secrecy, count))
        else:
            rows.append(_row(key, schema, envs, _sealer(key, fingerprint, secrecy), count, invalid))
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


_UNREADABLE = MatrixCell("unreadable", None, None)
#: Records made directly, as `MatrixCell(*fields)` would make them: a named tuple's own
#: `__new__` is a Python function, a third of the cost of 18,000 cells and rows.
_new = tuple.__new__


def _column(
    key: str,
    snapshots: Sequence[EnvSnapshot],
    names: list[str],
    values: Column,
    spec: KeySpec | None,
    fingerprint: Fingerprinter,
    secrecy: SecrecyCache,
    finding_count: int,
) -> MatrixRow:
    """The row of a key that every environment declares alike, that no store flag marks and
    that no environment holds an invalid value of (most keys, in most projects), from its
    column of values (`cross_env.value_columns`). Each distinct value gets what its seal
    would give the matrix (secrecy, comparison token, display) once, and the cells are
    filled from those, with the list and dict operations doing the per-cell work: `_row`,
    which seals and groups cell by cell, makes the same row (tests/test_columns.py compares
    them) at twice the cost on 20 x 5,000 keys."""
    distinct = dict.fromkeys(values)  # in order of first appearance
    secret = bool(spec and spec.schema_secret)
    unset = ABSENT in distinct or None in distinct
    # the texts (without None and ABSENT, when the column has neither: all of it)
    valued = [value for value in distinct if isinstance(value, str)] if unset else cast(list[str], list(distinct))
    cell_of: dict[object, MatrixCell] = {None: _UNREADABLE}  # set, but the store gives no value
    if len(distinct) == 1 and valued:  # one value everywhere: no groups to rank, no token
        value = valued[0]
        treated = secrecy.of(key, spec, snapshots[0].entries[key])
        shown = display(value, treated, fingerprint)
        cell_of[value] = _new(MatrixCell, ("empty" if value == "" else "present", shown, 0))
        groups = 1
        secret = secret or treated.masked
    else:
        # what a seal of each value would hold for the matrix: its comparison token (the value
        # itself where distinct values have distinct tokens) and display
        by_value = distinct_tokens(spec)
        facts: list[tuple[str, str, str | None]] = []  # value, token, display
        ranks: dict[str, tuple[int, int]] = {}  # token -> (cells holding it, index of the first)
        for value in valued:
            first = values.index(value)
            treated = secrecy.of(key, spec, snapshots[first].entries[key])
            compared = value if by_value else token(value, treated, spec, fingerprint)
            facts.append((value, compared, display(value, treated, fingerprint)))
            secret = secret or treated.masked
            count = values.count(value)
            rank = ranks.get(compared)
            ranks[compared] = (count, first) if rank is None else (rank[0] + count, min(rank[1], first))
        # the most cells first, then the first environment's; no two tokens share a first cell
        ranked = sorted((-count, names[first], compared) for compared, (count, first) in ranks.items())
        number = {compared: index for index, (_, _, compared) in enumerate(ranked)}
        made: dict[tuple[str, str | None, int], MatrixCell] = {}
        for value, compared, shown in facts:
            facet = ("empty" if value == "" else "present", shown, number[compared])
            cell_of[value] = made.get(facet) or made.setdefault(facet, _new(MatrixCell, facet))
        groups = len(ranks)
    if ABSENT in distinct:
        cells = tuple(
            cell_of[value] if value is not ABSENT else _absent(snapshot, key)
            for value, snapshot in zip(values, snapshots, strict=True)
        )
    else:
        cells = tuple(map(cell_of.__getitem__, values))
    present = len(values) - values.count(ABSENT) - values.count(None) if unset else len(values)
    if groups > 1:
        status = "differs"
    elif present < len(names):
        status = "partial"
    else:
        status = "same" if present > 1 else "single"
    return _new(MatrixRow, (key, spec is not None, secret, status, cells, finding_count))


def _absent(snapshot: EnvSnapshot, key: str) -> MatrixCell:
    """The cell of a key an environment does not have: `unknown` where a source that failed
    could have held it."""
    return MatrixCell("unknown" if snapshot.could_hold(key) else "missing", None, None)


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
    slots: list[tuple[str, str | None, str | None]] = []  # state, token, display
    secret = False
    for snapshot, specs in envs:
        entry = snapshot.entries.get(key)
        if entry is None:
            slots.append(("unknown" if snapshot.could_hold(key) else "missing", None, None))
            continue
        seen = sealed(snapshot.env, specs.get(key), entry)
        if seen is None:  # set, but the store does not give the value (names only, a reference)
            slots.append(("unreadable", None, None))
            continue
        secret = secret or seen.secrecy.masked
        groups.setdefault(seen.compared, []).append(snapshot.env)
        state = "empty" if seen.empty else "invalid" if (snapshot.env, key) in invalid else "present"
        slots.append((state, seen.compared, seen.shown))
    ranked = sorted(groups.items(), key=lambda item: (-len(item[1]), item[1][0]))
    number = {compared: index for index, (compared, _) in enumerate(ranked)}
    made: dict[tuple[str, str | None, int | None], MatrixCell] = {}
    cells: list[MatrixCell] = []
    for state, compared, shown in slots:
        facet = (state, shown, number[compared] if compared is not None else None)
        cell = made.get(facet)
        if cell is None:
            cell = made[facet] = MatrixCell(*facet)
        cells.append(cell)
    present = sum(len(members) for members in groups.values())
    if len(groups) > 1:
        status = "differs"
    elif present < len(envs):
        status = "partial"
    else:
        status = "same" if present > 1 else "single"
    spec = schema.specs.get(key)
    return MatrixRow(
        key, spec is not None, secret or bool(spec and spec.schema_secret), status, tuple(cells), finding_count
    )
