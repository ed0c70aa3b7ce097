"""Loading drift.toml (or `[tool.drift]` in pyproject.toml) into a validated Project.

Strict: an unknown field, an unknown environment or a bad value is a ConfigError naming the
file and the table, with a "did you mean". TOML syntax errors name the line.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from drift.collectors import registry
from drift.collectors.base import SourceConfig
from drift.errors import ConfigError
from drift.globs import is_valid_glob
from drift.model import Severity, Suppression
from drift.suggest import did_you_mean

NOT_DEPLOYED_BY_DEFAULT = frozenset({"development", "dev", "local", "test"})
FAIL_ON_LEVELS = ("error", "warning", "info", "none")
_ENV_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_DRIFT_FIELDS = ("schema", "fail_on", "name", "reports_dir", "history", "baseline")
_TOP_TABLES = ("drift", "environments", "keys", "ignore", "notify")
_IGNORE_FIELDS = ("rule", "env", "key", "reason", "expires")
_NOTIFY_FIELDS = ("webhook_url", "sns_topic_arn", "on", "report_url")
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
class NotifyConfig:
    """`[notify]`: where to say that a scan found new drift."""

    #: As written: `${VAR}` is expanded only when sending, so the URL (often holding a token)
    #: is never part of the loaded configuration or an error message.
    webhook_url: str | None = None
    sns_topic_arn: str | None = None
    on: Severity = Severity.ERROR
    report_url: str | None = None


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
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()

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


class _Reader:
    """Turns the parsed TOML into a Project, collecting every error before raising."""

    def __init__(self, path: Path, shown: str, text: str, prefix: str) -> None:
        self.path = path
        self.root = path.parent
        self.shown = shown
        self.text = text
        self.prefix = prefix
        self.errors: list[str] = []

    def fail(self, where: str, message: str) -> None:
        self.errors.append(f"{self.shown}: {where}: {message}")

    def unknown(self, where: str, table: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
        for name in table:
            if name not in allowed:
                self.fail(where, f"unknown field '{name}'{did_you_mean(name, allowed)}")

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

    def ignores(self, entries: object, shown: str, text: str, table_prefix: str) -> list[Suppression]:
        """`[[ignore]]` entries, strictly; line numbers found by counting the table headers."""
        if not isinstance(entries, list):
            self.fail("[[ignore]]", "must be an array of tables ([[ignore]])")
            return []
        header = f"[[{table_prefix}ignore]]" if table_prefix else "[[ignore]]"
        lines = [n for n, line in enumerate(text.splitlines(), 1) if line.strip().startswith(header)]
        found = []
        for index, entry in enumerate(entries):
            line = lines[index] if index < len(lines) else None
            where = f"{shown}:{line}" if line else f"{shown} [[ignore]] #{index + 1}"
            parsed = self.ignore(where, entry)
            if parsed is not None:
                found.append(parsed)
        return found

    def ignore(self, where: str, entry: object) -> Suppression | None:
        from drift.engine import catalog

        context = f"[[ignore]] at {where}"
        if not isinstance(entry, dict):
            self.fail(context, "must be a table")
            return None
        self.unknown(context, entry, _IGNORE_FIELDS)
        rule = entry.get("rule")
        reason = entry.get("reason")
        if not isinstance(rule, str) or rule not in catalog.RULES:
            self.fail(context, f"rule must name a drift rule{did_you_mean(str(rule), catalog.RULES)}")
            return None
        if rule == catalog.SOURCE_UNAVAILABLE.slug:
            self.fail(context, "source-unavailable can never be suppressed: a source drift cannot read is not drift")
            return None
        if not isinstance(reason, str) or not reason.strip():
            self.fail(context, "reason is required: say why this is accepted")
            return None
        patterns = {}
        for name in ("env", "key"):
            value = entry.get(name)
            if value is not None and (not isinstance(value, str) or not is_valid_glob(value)):
                self.fail(context, f"{name} must be a glob string")
                value = None
            patterns[name] = value
        expires = entry.get("expires")
        if isinstance(expires, str):
            try:
                expires = date.fromisoformat(expires)
            except ValueError:
                self.fail(context, "expires must be a date (YYYY-MM-DD)")
                expires = None
        elif expires is not None and not isinstance(expires, date):
            self.fail(context, "expires must be a date (YYYY-MM-DD)")
            expires = None
        return Suppression(rule, reason.strip(), patterns["env"], patterns["key"], expires, where)

    def baseline(self, path: Path) -> list[Suppression]:
        """The baseline file: `[[ignore]]` entries written by `drift baseline`."""
        shown = self.display(path)
        try:
            text = path.read_text(encoding="utf-8")
            data = tomllib.loads(text)
        except (OSError, UnicodeDecodeError) as exc:
            self.errors.append(f"{shown}: cannot read the baseline ({type(exc).__name__})")
            return []
        except tomllib.TOMLDecodeError as exc:
            self.errors.append(f"{shown}: TOML syntax error: {exc}")
            return []
        self.unknown(f"{shown}: top level", data, ("ignore",))
        return self.ignores(data.get("ignore", []), shown, text, "")

    def display(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()

    def notify(self, table: Mapping[str, Any]) -> NotifyConfig:
        self.unknown("[notify]", table, _NOTIFY_FIELDS)
        for name in ("webhook_url", "sns_topic_arn", "report_url"):
            if name in table and not isinstance(table[name], str):
                self.fail("[notify]", f"{name} must be a string")
        on = Severity.ERROR
        if "on" in table:
            try:
                on = Severity.parse(str(table["on"]))
            except KeyError:
                self.fail("[notify]", "on must be one of error, warning, info")
        if not table.get("webhook_url") and not table.get("sns_topic_arn"):
            self.fail("[notify]", "set webhook_url or sns_topic_arn")
        return NotifyConfig(
            webhook_url=table.get("webhook_url"),
            sns_topic_arn=table.get("sns_topic_arn"),
            on=on,
            report_url=table.get("report_url"),
        )

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
