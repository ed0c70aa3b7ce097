"""The concrete command that fixes a finding, where drift can know it: which store holds the
key (or would), its name there, the value when drift may show it (a declared `equals` or
`default`), and the tool that writes it. Never a secret's value: a secret's command reads it
from a variable, or goes through `drift plan --value-from-env` and `drift apply`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from drift.config import Project
from drift.model import EnvSnapshot, Finding
from drift.schema import KeySpec, Schema
from drift.schema.hosts import local_host
from drift.schema.showable import shown_whole
from drift.settings import EnvironmentConfig


def with_commands(
    findings: Sequence[Finding], project: Project, schema: Schema, snapshots: Sequence[EnvSnapshot]
) -> list[Finding]:
    """The findings, each with its command where there is one."""
    by_env = {s.env: s for s in snapshots}
    found = []
    for finding in findings:
        command = None
        if finding.env in project.environments and finding.key is not None and finding.env in by_env:
            spec = schema.for_env(finding.env).get(finding.key)
            command = _command(finding, project.environments[finding.env], by_env[finding.env], spec)
        found.append(finding._replace(command=command) if command else finding)
    return found


#: Rules a new value clears.
_VALUE_RULES = frozenset({"missing", "empty", "placeholder", "invalid", "local-value"})


def _command(finding: Finding, env: EnvironmentConfig, snapshot: EnvSnapshot, spec: KeySpec | None) -> str | None:
    key = finding.key
    assert key is not None
    entry = snapshot.entries.get(key)
    secret = spec is not None and spec.schema_secret
    if finding.rule in _VALUE_RULES and spec is not None:
        # a declared `equals` (or, for a missing key, `default`) says what the value should be
        declared = spec.equals if finding.rule in ("missing", "invalid") else None
        if finding.rule == "missing" and declared is None:
            declared = spec.default
        source = entry.source if entry is not None else None
        fix = _Fix(declared is not None, declared if declared is not None and shown_whole(spec, declared) else None)
        return _set(env, key, source, fix, secret, _syncable(finding, spec, snapshot.deployed))
    if finding.rule == "deprecated" and entry is not None:
        kind, _, name = entry.source.partition(":")
        if kind == "ssm":
            return f"aws ssm delete-parameter --name {_quote(name)}{_region(env)}"
        return _plan(env)  # a plan removes deprecated keys from dotenv files and Secrets Manager
    if finding.rule == "secret-plaintext" and entry is not None and entry.source.startswith("ssm:"):
        name = _quote(entry.source[4:])
        region = _region(env)
        return (
            f"aws ssm put-parameter --name {name} --type SecureString --overwrite{region} --value "
            f'"$(aws ssm get-parameter --name {name}{region} --query Parameter.Value --output text)"'
        )
    return None


def _syncable(finding: Finding, spec: KeySpec, deployed: bool) -> bool:
    """Whether `drift sync` clears the finding: a missing key sync adds with the example's
    value (not a secret, not empty, not a developer's address in a deployed environment)."""
    example = spec.example or ""
    if finding.rule != "missing" or spec.schema_secret or not example or spec.origin != "example":
        return False
    return not (deployed and local_host(spec.name, example) is not None) and shown_whole(spec, example)


class _Fix(NamedTuple):
    """What the configuration says the value should be."""

    #: A declared `equals` or `default` exists (a plan sets it, whether or not it may be shown).
    declared: bool
    #: That value, when the display policy shows it whole (so a command may hold it).
    printable: str | None


def _set(env: EnvironmentConfig, key: str, source: str | None, fix: _Fix, secret: bool, syncable: bool) -> str | None:
    kind, _, name = source.partition(":") if source else ("", "", "")
    secure = env.has_secret_store
    if not kind:
        for candidate in env.sources:
            if candidate.type == "ssm":
                kind, name = "ssm", f"{str(candidate.options['path']).rstrip('/')}/{key}"
                break
            if candidate.type == "dotenv" and not (secret and secure):  # as `drift plan` chooses
                kind, name = "dotenv", str(candidate.options["path"])
                break
            if candidate.type == "secretsmanager":
                kind = "secretsmanager"
                break
    if kind == "ssm":
        shown = _quote(fix.printable) if fix.printable is not None else f'"${key}"'
        kind_of = "SecureString" if secret else "String"
        where = f"--name {_quote(name)} --type {kind_of} --overwrite{_region(env)}"
        return f"aws ssm put-parameter {where} --value {shown}"
    if kind == "dotenv":
        if fix.declared:
            return _plan(env)  # the plan sets the declared `equals` or `default`
        if syncable:
            return f"drift sync --env {env.name} --write"
        return _plan(env, key)
    if kind == "secretsmanager":
        return _plan(env, key)
    return None


def _plan(env: EnvironmentConfig, key: str | None = None) -> str:
    """The plan and apply that clear the finding; with `key`, its value read from VARIABLE
    when applied (so it is never in the plan, the shell history or the report)."""
    given = f" --value-from-env {key}=VARIABLE" if key is not None else ""
    return f"drift plan --env {env.name}{given} --out plan.json && drift apply plan.json"


def _region(env: EnvironmentConfig) -> str:
    region = env.settings.get("aws", {}).get("region")
    return f" --region {_quote(str(region))}" if region else ""


def _quote(text: str) -> str:
    """`text` as one shell word (shlex loads with the first command: start-up time)."""
    import shlex

    return shlex.quote(text)
