"""Loading drift.toml (or `[tool.drift]` in pyproject.toml) into a validated Project.

Strict: an unknown field, an unknown environment or a bad value is a ConfigError naming the
file and the table, with a "did you mean". TOML syntax errors name the line.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drift.collectors import registry
from drift.collectors.base import SourceConfig
from drift.config_ignore import NotifyConfig, SuppressionReader
from drift.errors import ConfigError
from drift.globs import is_valid_glob
from drift.model import Severity, Suppression
from drift.paths import shown
from drift.suggest import did_you_mean

NOT_DEPLOYED_BY_DEFAULT = frozenset({"development", "dev", "local", "test"})
FAIL_ON_LEVELS = ("error", "warning", "info", "none")
_ENV_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_DRIFT_FIELDS = ("schema", "fail_on", "name", "reports_dir", "history", "baseline")
_TOP_TABLES = ("drift", "environments", "keys", "ignore", "notify")
DEFAULT_HISTORY = ".drift/history.sqlite"
DEFAULT_BASELINE = "drift-baseline.toml"
DEFAULT_REPORTS = "reports"
_ENV_FIELDS = ("deployed", "sources", "aws")
_SOURCE_COMMON = ("type", "include", "exclude")
_AWS_FIELDS = ("region", "profile", "role_arn", "endpoint_url", "retry_mode", "max_attempts")
_RETRY_MODES = ("adaptive", "standard", "legacy")


@dataclass(frozen=True)
class EnvironmentConfig:
    """One `[environments.NAME]` table."""

    name: str
    deployed: bool
    sources: tuple[SourceConfig, ...]
    aws: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Project:
    """A validated configuration: everything a scan needs to know before reading anything."""

    root: Path
    config_path: Path | None
    name: str
    schema_path: Path | None
    fail_on: Severity | None
    environments: dict[str, EnvironmentConfig]
    keys: Mapping[str, Any] = field(default_factory=dict)
    config_text: str = ""
    reports_dir: Path | None = None
    #: `.drift/history.sqlite` (relative to the config folder) or `s3://bucket/prefix`.
    history: str = DEFAULT_HISTORY
    baseline: Path | None = None
    ignores: tuple[Suppression, ...] = ()
    notify: NotifyConfig | None = None

    def display(self, path: Path) -> str:
        """A path relative to the project root where possible (reports never show absolute paths)."""
        return shown(path, self.root)

    @property
    def config_display(self) -> str:
        """The config file as messages name it."""
        return self.display(self.config_path) if self.config_path else "(no config file)"


def parse_fail_on(text: str, where: str) -> Severity | None:
    """`error` / `warning` / `info` as a threshold; `none` reports without failing."""
    if text == "none":
        return None
    try:
        return Severity.parse(text)
    except KeyError:
        raise ConfigError(
            f"{where}: fail_on must be one of {', '.join(FAIL_ON_LEVELS)}{did_you_mean(text, FAIL_ON_LEVELS)}"
        ) from None


def find_config(start: Path) -> Path | None:
    """drift.toml in `start`, else a pyproject.toml there with a [tool.drift] table."""
    candidate = start / "drift.toml"
    if candidate.is_file():
        return candidate
    pyproject = start / "pyproject.toml"
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
            return None
        if isinstance(data.get("tool"), dict) and "drift" in data["tool"]:
            return pyproject
    return None


def load_project(config: Path | None, cwd: Path) -> Project:
    """The project for `--config PATH`, else the one found in `cwd`, else the default."""
    path = config if config is not None else find_config(cwd)
    if path is None:
        return default_project(cwd)
    return _load_file(path)


def default_project(cwd: Path) -> Project:
    """No config file: `./.env.example` against `./.env` as the `local` environment."""
    local = EnvironmentConfig(
        name="local",
        deployed=False,
        sources=(SourceConfig("dotenv", {"path": ".env"}, where="(default) local"),),
    )
    return Project(
        root=cwd,
        config_path=None,
        name=cwd.resolve().name,
        schema_path=cwd / ".env.example",
        fail_on=Severity.ERROR,
        environments={"local": local},
        reports_dir=cwd / DEFAULT_REPORTS,
        history=str(cwd / DEFAULT_HISTORY),
    )


def _load_file(path: Path) -> Project:
    shown = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the config file ({exc})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{shown}: TOML syntax error: {exc}") from None
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        if not isinstance(tool, dict) or not isinstance(tool.get("drift"), dict):
            raise ConfigError(f"{shown}: no [tool.drift] table")
        table = dict(tool["drift"])
        data = {name: table.pop(name) for name in _TOP_TABLES[1:] if name in table}
        data["drift"] = table
        prefix = "tool.drift"
    else:
        prefix = "drift"
    return _Reader(path, shown, text, prefix).project(data)


class _Reader(SuppressionReader):
    """Turns the parsed TOML into a Project, collecting every error before raising."""

    def __init__(self, path: Path, shown: str, text: str, prefix: str) -> None:
        super().__init__(path.parent, shown)
        self.path = path
        self.text = text
        self.prefix = prefix

    def project(self, data: dict[str, Any]) -> Project:
        self.unknown("top level", data, _TOP_TABLES)
        settings = self.table(data, "drift", self.prefix)
        self.unknown(f"[{self.prefix}]", settings, _DRIFT_FIELDS)
        schema = settings.get("schema", ".env.example")
        if not isinstance(schema, str):
            self.fail(f"[{self.prefix}]", "schema must be a path")
            schema = ".env.example"
        fail_on_text = settings.get("fail_on", "error")
        fail_on = Severity.ERROR
        try:
            fail_on = parse_fail_on(str(fail_on_text), f"{self.shown}: [{self.prefix}]")  # type: ignore[assignment]
        except ConfigError as exc:
            self.errors.append(str(exc))
        name = settings.get("name", self.root.resolve().name)
        environments = self.environments(self.table(data, "environments", "environments"))
        keys = self.table(data, "keys", "keys")
        paths = {
            field: self.path_setting(settings, field, default)
            for field, default in (
                ("reports_dir", DEFAULT_REPORTS),
                ("history", DEFAULT_HISTORY),
                ("baseline", DEFAULT_BASELINE),
            )
        }
        ignores = self.ignores(
            data.get("ignore", []), self.shown, self.text, "tool.drift." if self.prefix != "drift" else ""
        )
        baseline = self.root / paths["baseline"]
        if baseline.is_file():
            ignores += self.baseline(baseline)
        notify = self.notify(self.table(data, "notify", "notify")) if "notify" in data else None
        if self.errors:
            raise ConfigError("invalid configuration:\n  " + "\n  ".join(self.errors))
        history = paths["history"]
        return Project(
            root=self.root,
            config_path=self.path,
            name=str(name),
            schema_path=self.root / schema,
            fail_on=fail_on,
            environments=environments,
            keys=keys,
            config_text=self.text,
            reports_dir=self.root / paths["reports_dir"],
            history=history if history.startswith("s3://") else str(self.root / history),
            baseline=baseline,
            ignores=tuple(ignores),
            notify=notify,
        )

    def path_setting(self, settings: Mapping[str, Any], name: str, default: str) -> str:
        value = settings.get(name, default)
        if not isinstance(value, str) or not value:
            self.fail(f"[{self.prefix}]", f"{name} must be a path")
            return default
        return value

    def table(self, data: Mapping[str, Any], name: str, where: str) -> dict[str, Any]:
        value = data.get(name, {})
        if not isinstance(value, dict):
            self.fail(where, "must be a table")
            return {}
        return value

    def environments(self, tables: dict[str, Any]) -> dict[str, EnvironmentConfig]:
        if not tables:
            self.fail("[environments]", "no environment is configured")
        found: dict[str, EnvironmentConfig] = {}
        for name, table in tables.items():
            where = f"[environments.{name}]"
            if not _ENV_NAME.fullmatch(name):
                self.fail(where, "environment names are letters, digits, '_', '.' and '-'")
            if not isinstance(table, dict):
                self.fail(where, "must be a table")
                continue
            self.unknown(where, table, _ENV_FIELDS)
            deployed = table.get("deployed", name not in NOT_DEPLOYED_BY_DEFAULT)
            if not isinstance(deployed, bool):
                self.fail(where, "deployed must be true or false")
            aws = table.get("aws", {})
            if not isinstance(aws, dict):
                self.fail(where, "aws must be a table")
                aws = {}
            self.aws_fields(f"{where}.aws", aws)
            sources = table.get("sources")
            if not isinstance(sources, list) or not sources:
                self.fail(where, "sources must be a non-empty list of source tables")
                sources = []
            found[name] = EnvironmentConfig(
                name=name,
                deployed=bool(deployed),
                sources=tuple(self.source(f"{where}.sources[{i}]", s) for i, s in enumerate(sources)),
                aws=aws,
            )
        return found

    def aws_fields(self, where: str, table: Mapping[str, Any]) -> None:
        self.unknown(where, table, _AWS_FIELDS)
        for name, value in table.items():
            if name in _AWS_FIELDS and name != "max_attempts" and not isinstance(value, str):
                self.fail(where, f"{name} must be a string")
        self.retry_fields(where, table)

    def retry_fields(self, where: str, table: Mapping[str, Any]) -> None:
        mode = table.get("retry_mode")
        if mode is not None and mode not in _RETRY_MODES:
            self.fail(where, f"retry_mode must be one of {', '.join(_RETRY_MODES)}")
        attempts = table.get("max_attempts")
        if attempts is not None and (isinstance(attempts, bool) or not isinstance(attempts, int) or attempts < 1):
            self.fail(where, "max_attempts must be a whole number of at least 1")

    def source(self, where: str, table: object) -> SourceConfig:
        if not isinstance(table, dict):
            self.fail(where, 'must be a table such as { type = "dotenv", path = "..." }')
            return SourceConfig("invalid", {}, where=where)
        kind = table.get("type")
        collector = registry.lookup(kind) if isinstance(kind, str) else None
        if collector is None:
            self.fail(
                where,
                f"unknown source type {kind!r}{did_you_mean(str(kind), registry.kinds())}"
                f"; known types: {', '.join(registry.kinds())}",
            )
            return SourceConfig(str(kind), {}, where=where)
        allowed = (
            _SOURCE_COMMON + tuple(collector.options) + (_AWS_FIELDS if getattr(collector, "uses_aws", False) else ())
        )
        self.unknown(where, table, allowed)
        options = {k: v for k, v in table.items() if k not in _SOURCE_COMMON}
        for name, option in collector.options.items():
            if name not in options:
                if option.required:
                    self.fail(where, f"source type {kind!r} needs `{name}`")
                continue
            value = options[name]
            if not isinstance(value, option.types) or (isinstance(value, bool) and bool not in option.types):
                expected = " or ".join(t.__name__ for t in option.types)
                self.fail(where, f"`{name}` must be of type {expected}")
        self.retry_fields(where, options)
        include = self.globs(where, table, "include")
        exclude = self.globs(where, table, "exclude")
        return SourceConfig(kind, options, include, exclude, where=f"{self.shown}: {where}")  # type: ignore[arg-type]

    def globs(self, where: str, table: Mapping[str, Any], name: str) -> tuple[str, ...]:
        value = table.get(name, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.fail(where, f"`{name}` must be a list of key globs")
            return ()
        for pattern in value:
            if not is_valid_glob(pattern):
                self.fail(where, f"`{name}`: bad glob {pattern!r} (unbalanced '[')")
        return tuple(value)
