"""The concrete command that fixes a finding, where drift can know it: which store holds the
key (or would), its name there, the value when drift may show it (a declared `equals` or
`default`), and the tool that writes it. Never a secret's value: a secret's command reads it
from a variable, or goes through `drift plan --value-from-env` and `drift apply`.
"""

from __future__ import annotations

from collections.abc import Sequence

from drift.config import Project
from drift.model import EnvSnapshot, Finding
from drift.schema import KeySpec, Schema
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


def _command(finding: Finding, env: EnvironmentConfig, snapshot: EnvSnapshot, spec: KeySpec | None) -> str | None:
    key = finding.key
    assert key is not None
    entry = snapshot.entries.get(key)
    secret = spec is not None and spec.schema_secret
    if finding.rule in ("missing", "empty", "placeholder") or (finding.rule == "invalid" and spec and spec.equals):
        value = _known_value(spec)
        source = entry.source if entry is not None else None
        return _set(env, key, source, value, secret)
    if finding.rule == "deprecated" and entry is not None:
        kind, _, name = entry.source.partition(":")
        if kind == "ssm":
            return f"aws ssm delete-parameter --name {_quote(name)}{_region(env)}"
        if kind == "dotenv":
            return f"delete line {entry.location.rpartition(':')[2] if entry.location else '?'} of {name} ({key}=...)"
        return _plan(env, key, secret)
    if finding.rule == "secret-plaintext" and entry is not None and entry.source.startswith("ssm:"):
        name = _quote(entry.source[4:])
        region = _region(env)
        return (
            f"aws ssm put-parameter --name {name} --type SecureString --overwrite{region} --value "
            f'"$(aws ssm get-parameter --name {name}{region} --query Parameter.Value --output text)"'
        )
    return None


def _known_value(spec: KeySpec | None) -> str | None:
    """The value drift knows the key should have and may show."""
    if spec is None:
        return None
    for value in (spec.equals, spec.default):
        if value is not None and shown_whole(spec, value):
            return value
    return None


def _set(env: EnvironmentConfig, key: str, source: str | None, value: str | None, secret: bool) -> str | None:
    kind, _, name = source.partition(":") if source else ("", "", "")
    if not kind:
        for candidate in env.sources:
            if candidate.type == "ssm":
                kind, name = "ssm", f"{str(candidate.options['path']).rstrip('/')}/{key}"
                break
            if candidate.type == "dotenv" and not secret:
                kind, name = "dotenv", str(candidate.options["path"])
                break
            if candidate.type == "secretsmanager":
                kind = "secretsmanager"
                break
    if kind == "ssm":
        shown = _quote(value) if value is not None else f'"${key}"'
        kind_of = "SecureString" if secret else "String"
        where = f"--name {_quote(name)} --type {kind_of} --overwrite{_region(env)}"
        return f"aws ssm put-parameter {where} --value {shown}"
    if kind == "dotenv":
        if value is not None and not secret:
            return f"set the line {key}={value} in {name}"
        return f"drift sync --env {env.name} --write" + (f", then give {key} its value in {name}" if secret else "")
    if kind in ("secretsmanager", "ssm", "dotenv"):
        return _plan(env, key, secret)
    return None


def _plan(env: EnvironmentConfig, key: str, secret: bool) -> str:
    given = f" --value-from-env {key}=VARIABLE" if secret else ""
    return f"drift plan --env {env.name}{given} --out plan.json && drift apply plan.json"


def _region(env: EnvironmentConfig) -> str:
    region = env.settings.get("aws", {}).get("region")
    return f" --region {_quote(str(region))}" if region else ""


def _quote(text: str) -> str:
    """`text` as one shell word (shlex loads with the first command: start-up time)."""
    import shlex

    return shlex.quote(text)
