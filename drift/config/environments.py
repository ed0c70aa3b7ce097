"""Reading `[environments.NAME]` tables and their sources, strictly: every source's options
checked against its collector's declared options, paths confined to the project, globs
checked, AWS fields typed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from drift import dialects
from drift.collectors import registry
from drift.config.problems import Problems
from drift.platform import extras
from drift.platform.globs import is_valid_glob
from drift.platform.runtime import LazyPattern
from drift.platform.suggest import did_you_mean
from drift.settings import AWS_FIELDS, EnvironmentConfig, SourceConfig

NOT_DEPLOYED_BY_DEFAULT = frozenset({"development", "dev", "local", "test"})
_ENV_NAME = LazyPattern(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_ENV_FIELDS = ("deployed", "sources", "aws")
_SOURCE_COMMON = ("type", "include", "exclude")
_RETRY_MODES = ("adaptive", "standard", "legacy")


class EnvironmentsReader:
    """Validates environments and sources into `problems`."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems

    def environments(self, tables: dict[str, Any]) -> dict[str, EnvironmentConfig]:
        if not tables:
            self.problems.fail("[environments]", "no environment is configured")
        found: dict[str, EnvironmentConfig] = {}
        for name, table in tables.items():
            where = f"[environments.{name}]"
            if not _ENV_NAME.fullmatch(name):
                self.problems.fail(where, "environment names are letters, digits, '_', '.' and '-'")
            if not isinstance(table, dict):
                self.problems.fail(where, "must be a table")
                continue
            self.problems.unknown(where, table, _ENV_FIELDS)
            deployed = table.get("deployed", name not in NOT_DEPLOYED_BY_DEFAULT)
            if not isinstance(deployed, bool):
                self.problems.fail(where, "deployed must be true or false")
            aws = table.get("aws", {})
            if not isinstance(aws, dict):
                self.problems.fail(where, "aws must be a table")
                aws = {}
            self.aws_fields(f"{where}.aws", aws)
            sources = table.get("sources")
            if not isinstance(sources, list) or not sources:
                self.problems.fail(where, "sources must be a non-empty list of source tables")
                sources = []
            found[name] = EnvironmentConfig(
                name=name,
                deployed=bool(deployed),
                sources=tuple(self.source(f"{where}.sources[{i}]", s) for i, s in enumerate(sources)),
                settings={"aws": aws} if aws else {},
            )
        return found

    def aws_fields(self, where: str, table: Mapping[str, Any]) -> None:
        self.problems.unknown(where, table, AWS_FIELDS)
        for name, value in table.items():
            if name in AWS_FIELDS and name != "max_attempts" and not isinstance(value, str):
                self.problems.fail(where, f"{name} must be a string")
        self.retry_fields(where, table)

    def retry_fields(self, where: str, table: Mapping[str, Any]) -> None:
        mode = table.get("retry_mode")
        if mode is not None and mode not in _RETRY_MODES:
            self.problems.fail(where, f"retry_mode must be one of {', '.join(_RETRY_MODES)}")
        attempts = table.get("max_attempts")
        if attempts is not None and (isinstance(attempts, bool) or not isinstance(attempts, int) or attempts < 1):
            self.problems.fail(where, "max_attempts must be a whole number of at least 1")

    def source(self, where: str, table: object) -> SourceConfig:
        if not isinstance(table, dict):
            self.problems.fail(where, 'must be a table such as { type = "dotenv", path = "..." }')
            return SourceConfig("invalid", {}, where=where)
        kind = table.get("type")
        collector = registry.lookup(kind) if isinstance(kind, str) else None
        if collector is None:
            self.problems.fail(
                where,
                f"unknown source type {kind!r}{did_you_mean(str(kind), registry.kinds())}"
                f"; known types: {', '.join(registry.kinds())}",
            )
            return SourceConfig(str(kind), {}, where=where)
        lacking = extras.lacking(registry.NEEDS[kind]) if kind in registry.NEEDS else None
        if lacking is not None:
            self.problems.fail(where, f"source type {kind!r} {lacking}")
        allowed = _SOURCE_COMMON + tuple(collector.options)
        self.problems.unknown(where, table, allowed)
        options = {k: v for k, v in table.items() if k not in _SOURCE_COMMON}
        for name, option in collector.options.items():
            if name not in options:
                if option.required:
                    self.problems.fail(where, f"source type {kind!r} needs `{name}`")
                continue
            value = options[name]
            if not isinstance(value, option.types) or (isinstance(value, bool) and bool not in option.types):
                expected = " or ".join(t.__name__ for t in option.types)
                self.problems.fail(where, f"`{name}` must be of type {expected}")
        self.retry_fields(where, options)
        for problem in collector.check_options(options):
            self.problems.fail(where, problem)
        for name in collector.file_options:
            value = options.get(name)
            for item in [value] if isinstance(value, str) else value if isinstance(value, list) else []:
                if isinstance(item, str):
                    self.problems.confine(f"{where} {name}", item)
        if "dialect" in options and options["dialect"] not in dialects.DIALECTS:
            self.problems.fail(
                where,
                f"dialect must be one of {', '.join(dialects.DIALECTS)}"
                f"{did_you_mean(str(options['dialect']), dialects.DIALECTS)}",
            )
        include = self.globs(where, table, "include")
        exclude = self.globs(where, table, "exclude")
        return SourceConfig(kind, options, include, exclude, where=f"{self.problems.shown}: {where}")  # type: ignore[arg-type]

    def globs(self, where: str, table: Mapping[str, Any], name: str) -> tuple[str, ...]:
        value = table.get(name, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.problems.fail(where, f"`{name}` must be a list of key globs")
            return ()
        for pattern in value:
            if not is_valid_glob(pattern):
                self.problems.fail(where, f"`{name}`: bad glob {pattern!r} (unbalanced '[')")
        return tuple(value)
