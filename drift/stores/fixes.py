"""The concrete command that fixes a finding, where drift can know it: which store holds the
key (or would), its name there, the value when drift may show it (a declared `equals` or
`default`), and the tool that writes it. Never a secret's value: a secret's command reads it
from a variable, or goes through `drift plan --value-from-env` and `drift apply`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from drift import stores
from drift.model import EnvSnapshot, Finding
from drift.schema import KeySpec, Schema
from drift.schema.hosts import local_host
from drift.schema.showable import shown_whole
from drift.settings import EnvironmentConfig
from drift.stores import Fix


def with_commands(
    findings: Sequence[Finding],
    environments: Mapping[str, EnvironmentConfig],
    schema: Schema,
    snapshots: Sequence[EnvSnapshot],
) -> list[Finding]:
    """The findings, each with its command where there is one (asked of the store that holds
    the key, or would)."""
    by_env = {s.env: s for s in snapshots}
    found = []
    for finding in findings:
        command = None
        if finding.env in environments and finding.key is not None and finding.env in by_env:
            spec = schema.for_env(finding.env).get(finding.key)
            command = _command(finding, environments[finding.env], by_env[finding.env], spec)
        found.append(finding._replace(command=command) if command else finding)
    return found


#: Rules a new value clears.
_VALUE_RULES = frozenset({"missing", "empty", "placeholder", "invalid", "local-value"})


def _command(finding: Finding, env: EnvironmentConfig, snapshot: EnvSnapshot, spec: KeySpec | None) -> str | None:
    key = finding.key
    assert key is not None
    entry = snapshot.entries.get(key)
    if finding.rule in _VALUE_RULES and spec is not None:
        # a declared `equals` (or, for a missing key, `default`) says what the value should be
        declared = spec.equals if finding.rule in ("missing", "invalid") else None
        if finding.rule == "missing" and declared is None:
            declared = spec.default
        secret = bool(spec.schema_secret)
        target = stores.locate(env, entry, key, secret and not stores.plaintext_allowed(env, entry))
        store = stores.lookup(target.store) if target is not None else None
        if target is None or store is None:
            return None
        fix = Fix(declared is not None, declared if declared is not None and shown_whole(spec, declared) else None)
        return store.set_command(env, target, key, fix, _syncable(finding, spec, snapshot.deployed))
    if finding.rule in ("deprecated", "secret-plaintext") and entry is not None:
        target = stores.locate(env, entry, key, secret=False)
        store = stores.lookup(target.store) if target is not None else None
        if target is None or store is None:
            return None
        if finding.rule == "deprecated":
            return store.remove_command(env, target)
        return store.secure_command(env, target)
    return None


def _syncable(finding: Finding, spec: KeySpec, deployed: bool) -> bool:
    """Whether `drift sync` clears the finding: a missing key sync adds with the example's
    value (not a secret, not empty, not a developer's address in a deployed environment)."""
    example = spec.example or ""
    if finding.rule != "missing" or spec.schema_secret or not example or spec.origin != "example":
        return False
    return not (deployed and local_host(spec.name, example) is not None) and shown_whole(spec, example)
