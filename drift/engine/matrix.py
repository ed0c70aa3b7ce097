"""The environment x key matrix: where environments agree and where they do not.

Cells carry group numbers rather than values, so a report can say "production = staging,
development differs" for a secret without showing it.
"""

from __future__ import annotations

from collections.abc import Sequence

from drift.engine.cross_env import environments, group, values_of
from drift.engine.secrecy import SecrecyCache, display
from drift.model import EnvSnapshot, Finding, MatrixCell, MatrixRow
from drift.schema import KeySpec, Schema
from drift.secrets import Fingerprinter


def build_matrix(
    schema: Schema,
    snapshots: Sequence[EnvSnapshot],
    findings: Sequence[Finding],
    fingerprint: Fingerprinter,
    secrecy: SecrecyCache,
) -> tuple[MatrixRow, ...]:
    """A row per key (declared first, in schema order, then undeclared ones alphabetically)."""
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
    return tuple(_row(key, schema, envs, fingerprint, secrecy, per_key.get(key, 0), invalid) for key in keys + extra)


def _row(
    key: str,
    schema: Schema,
    envs: Sequence[tuple[EnvSnapshot, dict[str, KeySpec]]],
    fingerprint: Fingerprinter,
    secrecy: SecrecyCache,
    finding_count: int,
    invalid: set[tuple[str, str]],
) -> MatrixRow:
    values = values_of(key, envs, secrecy)
    snapshots = [snapshot for snapshot, _ in envs]
    groups = group(values, fingerprint)
    by_env = {seen.env: seen for seen in values}
    group_of = {seen.env: index for index, members in enumerate(groups) for seen in members}
    cells: dict[str, MatrixCell] = {}
    secret = False
    for snapshot in snapshots:
        entry = snapshot.entries.get(key)
        if entry is None:
            state = "unknown" if snapshot.could_hold(key) else "missing"
            cells[snapshot.env] = MatrixCell(state)
            continue
        seen = by_env.get(snapshot.env)
        if seen is None:  # set, but the store does not give the value (names only, a reference)
            cells[snapshot.env] = MatrixCell("unreadable", None)
            continue
        secret = secret or seen.secrecy.masked
        state = "present"
        if seen.value == "":
            state = "empty"
        elif (snapshot.env, key) in invalid:
            state = "invalid"
        cells[snapshot.env] = MatrixCell(state, display(seen.value, seen.secrecy, fingerprint), group_of[snapshot.env])
    present = sum(1 for c in cells.values() if c.group is not None)
    if len(groups) > 1:
        status = "differs"
    elif present < len(snapshots):
        status = "partial"
    else:
        status = "same" if present > 1 else "single"
    spec = schema.specs.get(key)
    return MatrixRow(key, spec is not None, secret or bool(spec and spec.schema_secret), status, cells, finding_count)
