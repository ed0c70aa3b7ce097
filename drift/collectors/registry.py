"""The registry of source types: built-ins plus the `drift.collectors` entry-point group.

Built-ins always win over a plugin of the same kind. Each is named by module and class and
imported when a configuration uses it, so the fast local check never loads the AWS
collectors; built-in modules must not import boto3 at module level either.
"""

from __future__ import annotations

import importlib

from drift.collectors.base import Collector, Option
from drift.errors import ConfigError

ENTRY_POINT_GROUP = "drift.collectors"

#: kind -> "module:Class", one entry per built-in source type.
BUILTINS = {
    "dotenv": "drift.collectors.dotenv:DotenvCollector",
    "process": "drift.collectors.process:ProcessCollector",
    "ssm": "drift.collectors.aws.ssm:SsmCollector",
    "secretsmanager": "drift.collectors.aws.secrets_manager:SecretsManagerCollector",
    "ecs": "drift.collectors.aws.ecs:EcsCollector",
    "lambda": "drift.collectors.aws.lambda_:LambdaCollector",
    "ssh": "drift.collectors.ssh:SshCollector",
    "systemd": "drift.collectors.systemd:SystemdCollector",
    "compose": "drift.collectors.compose:ComposeCollector",
    "kubernetes": "drift.collectors.kubernetes:KubernetesCollector",
    "command": "drift.collectors.command:CommandCollector",
    "migrations": "drift.collectors.migrations:MigrationsCollector",
}


#: What a built-in source type needs beyond the core: the extra that brings it
#: (`platform/extras.py`); checked when a configuration is loaded.
NEEDS = {
    **dict.fromkeys(("ssm", "secretsmanager", "ecs", "lambda"), "aws"),
    **dict.fromkeys(("compose", "kubernetes"), "yaml"),
    "migrations": "postgres",
}


def kinds() -> list[str]:
    """Every built-in kind (plugins are loaded only when asked for by name)."""
    return sorted(BUILTINS)


def lookup(kind: str) -> type[Collector] | None:
    """The collector class for a kind: a built-in, else a plugin, else None."""
    if kind in BUILTINS:
        module, _, name = BUILTINS[kind].partition(":")
        return _checked(getattr(importlib.import_module(module), name), kind, BUILTINS[kind])
    from importlib.metadata import entry_points  # costs ~40 ms: only for plugin kinds

    for entry_point in entry_points(group=ENTRY_POINT_GROUP, name=kind):
        return _checked(entry_point.load(), kind, f"plugin {entry_point.value}")
    return None


def _checked(loaded: object, kind: str, where: str) -> type[Collector]:
    if not (isinstance(loaded, type) and issubclass(loaded, Collector)):
        raise ConfigError(f"{where} for source type {kind!r} is not a Collector")
    if loaded.kind != kind:
        raise ConfigError(f"{where} is registered as {kind!r} but declares kind {loaded.kind!r}")
    return loaded


def options_table() -> str:
    """Every built-in source type's options with their help, as the README's table
    (`drift explain --sources --markdown`), from the collectors' own `options`; a test holds
    the README to it. The options every AWS source shares are one row of their own."""
    from drift.collectors.aws.base import AWS_OPTIONS

    def row(kind: str, options: dict[str, Option]) -> str:
        described = "; ".join(
            f"`{name}`{' (required)' if option.required else ''}: {option.help}" for name, option in options.items()
        )
        escaped = described.replace("|", "\\|")
        return f"| `{kind}` | {escaped} |"

    lines = ["| type | options |", "| --- | --- |"]
    for kind in kinds():
        cls = lookup(kind)
        assert cls is not None
        lines.append(row(kind, {n: o for n, o in cls.options.items() if n not in AWS_OPTIONS}))
    lines.append(row("every AWS source", AWS_OPTIONS))
    return "\n".join(lines) + "\n"
