"""The registry of source types: built-ins plus the `drift.collectors` entry-point group.

Built-ins always win over a plugin of the same kind. Built-in modules must not import boto3
at module level: the registry is loaded on every command, including the fast local check.
"""

from __future__ import annotations

from drift.collectors.aws.ecs import EcsCollector
from drift.collectors.aws.lambda_ import LambdaCollector
from drift.collectors.aws.secrets_manager import SecretsManagerCollector
from drift.collectors.aws.ssm import SsmCollector
from drift.collectors.base import Collector
from drift.collectors.dotenv import DotenvCollector
from drift.collectors.process import ProcessCollector
from drift.errors import ConfigError

ENTRY_POINT_GROUP = "drift.collectors"


def _builtins() -> dict[str, type[Collector]]:
    found: dict[str, type[Collector]] = {}
    classes: tuple[type[Collector], ...] = (
        DotenvCollector,
        ProcessCollector,
        SsmCollector,
        SecretsManagerCollector,
        EcsCollector,
        LambdaCollector,
    )
    for cls in classes:
        if cls.kind in found:
            raise RuntimeError(f"two built-in collectors claim kind {cls.kind!r}")
        found[cls.kind] = cls
    return found


BUILTINS = _builtins()


def kinds() -> list[str]:
    """Every built-in kind (plugins are loaded only when asked for by name)."""
    return sorted(BUILTINS)


def lookup(kind: str) -> type[Collector] | None:
    """The collector class for a kind: a built-in, else a plugin, else None."""
    if kind in BUILTINS:
        return BUILTINS[kind]
    from importlib.metadata import entry_points  # costs ~40 ms: only for plugin kinds

    for entry_point in entry_points(group=ENTRY_POINT_GROUP, name=kind):
        loaded = entry_point.load()
        if not (isinstance(loaded, type) and issubclass(loaded, Collector)):
            raise ConfigError(f"plugin {entry_point.value} for source type {kind!r} is not a Collector")
        if loaded.kind != kind:
            raise ConfigError(f"plugin {entry_point.value} is registered as {kind!r} but declares kind {loaded.kind!r}")
        return loaded
    return None
