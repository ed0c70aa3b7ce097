"""Loading drift.toml (or `[tool.drift]` in pyproject.toml) into a validated Project.

Strict: an unknown field, an unknown environment or a bad value is a ConfigError naming the
file and the table, with a "did you mean". TOML syntax errors name the line.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drift import dialects
from drift.aws import AWS_FIELDS
from drift.collectors import registry
from drift.config_ignore import NotifyConfig, SuppressionReader
from drift.engine.assertions import Assertion
from drift.errors import ConfigError
from drift.files import read_toml
from drift.globs import is_valid_glob
from drift.model import Severity, Suppression
from drift.paths import shown
from drift.settings import EnvironmentConfig, SourceConfig
from drift.suggest import did_you_mean

NOT_DEPLOYED_BY_DEFAULT = frozenset({"development", "dev", "local", "test"})
FAIL_ON_LEVELS = ("error", "warning", "info", "none")
_ENV_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_DRIFT_FIELDS = (
    "schema",
    "fail_on",
    "name",
    "reports_dir",
    "history",
    "baseline",
    "dialect",
    "schema_dialect",
    "expand",
    "inferred",
    "allow_outside",
    "plugins",
)
#: Example files drift looks for when no schema is configured, in order.
EXAMPLE_NAMES = (".env.example", ".env.sample", ".env.template", ".env.dist")
INFERRED_LEVELS = ("warning", "error")
_TOP_TABLES = ("drift", "environments", "keys", "ignore", "notify", "assert")
_ASSERT_FIELDS = ("name", "check", "when", "envs", "message", "severity")
_ASSERT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
DEFAULT_HISTORY = ".drift/history.sqlite"
#: Without a config file history has a file of its own, so adding a drift.toml later does
#: not compare one configuration's scans with another's.
ZERO_CONFIG_HISTORY = ".drift/history-default.sqlite"
DEFAULT_BASELINE = "drift-baseline.toml"
DEFAULT_REPORTS = "reports"
_ENV_FIELDS = ("deployed", "sources", "aws")
_SOURCE_COMMON = ("type", "include", "exclude")
_RETRY_MODES = ("adaptive", "standard", "legacy")


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
    #: How dotenv texts are read by default, and why (set, or detected from the project).
    dialect: dialects.Detected = dialects.DEFAULT
    #: The dialect of the schema file (`[drift] schema_dialect`, else `dialect`).
    schema_dialect: str = dialects.DEFAULT_DIALECT
    #: Expand `${VAR}` from a file's own keys, as dotenv-expand / python-dotenv do.
    expand: bool = False
    #: The severity of findings that rest on an inference (`[drift] inferred`, `--strict`).
    inferred: Severity = Severity.WARNING
    #: `[[assert]]` tables: cross-key assertions in CEL.
    assertions: tuple[Assertion, ...] = ()
    #: Plugin rules to run, by their `drift.rules` entry-point name.
    plugins: tuple[str, ...] = ()

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
    """drift.toml in `start`, else a pyproject.toml there with a [tool.drift] table.

    A pyproject.toml that is not valid TOML is an error, not "no configuration": drift cannot
    tell whether it configures drift, and checking `./.env` instead would pass silently.
    """
    candidate = start / "drift.toml"
    if candidate.is_file():
        return candidate
    pyproject = start / "pyproject.toml"
    if pyproject.is_file():
        try:
            _, data = read_toml(pyproject, "pyproject.toml")
        except ConfigError as exc:
            raise ConfigError(
                f"{exc}; drift cannot tell whether it configures drift: fix it, or pass --config"
            ) from None
        if isinstance(data.get("tool"), dict) and "drift" in data["tool"]:
            return pyproject
    return None


def load_project(config: Path | None, cwd: Path, schema: Path | None = None) -> Project:
    """The project for `--config PATH`, else the one found in `cwd`, else the default.

    `schema` (`--schema PATH`) replaces the configured or discovered example file.
    """
    path = config if config is not None else find_config(cwd)
    if path is None:
        return default_project(cwd, schema)
    project = _load_file(path)
    if schema is None:
        return project
    return dataclasses.replace(project, schema_path=schema)


def find_example(folder: Path) -> Path | None:
    """The first example file drift knows by name in `folder`."""
    for name in EXAMPLE_NAMES:
        if (folder / name).is_file():
            return folder / name
    samples = sorted(p for p in folder.glob(".env.*.sample") if p.is_file())
    return samples[0] if samples else None


def default_project(cwd: Path, schema: Path | None = None) -> Project:
    """No config file: the example file (`--schema`, else found by name) against `./.env` as
    the `local` environment, reading the baseline file if `drift baseline` wrote one."""
    example = schema or find_example(cwd)
    if example is None:
        tried = ", ".join((*EXAMPLE_NAMES, ".env.*.sample"))
        raise ConfigError(
            f"{cwd.name or cwd}: no drift.toml and no example file ({tried}); "
            "pass --schema PATH, or run `drift init` to write a drift.toml"
        )
    local = EnvironmentConfig(
        name="local",
        deployed=False,
        sources=(SourceConfig("dotenv", {"path": ".env"}, where="(default) local"),),
    )
    detected = dialects.detect(example.parent)
    baseline = cwd / DEFAULT_BASELINE
    ignores: tuple[Suppression, ...] = ()
    if baseline.is_file():
        reader = SuppressionReader(cwd, "(no config file)")
        ignores = tuple(reader.baseline(baseline))
        if reader.errors:
            raise ConfigError("invalid baseline:\n  " + "\n  ".join(reader.errors))
    return Project(
        root=cwd,
        config_path=None,
        name=cwd.resolve().name,
        schema_path=example,
        fail_on=Severity.ERROR,
        environments={"local": local},
        reports_dir=cwd / DEFAULT_REPORTS,
        history=str(cwd / ZERO_CONFIG_HISTORY),
        baseline=baseline,
        ignores=ignores,
        dialect=detected,
        schema_dialect=detected.name,
    )


def _load_file(path: Path) -> Project:
    shown = path.name
    if "\x00" in str(path):
        raise ConfigError("--config: the path holds a NUL character")
    if not path.exists() and not path.is_symlink():
        raise ConfigError(f"{path}: config file not found")
    text, data = read_toml(path, shown)
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
        self.allow_outside = False

    def project(self, data: dict[str, Any]) -> Project:
        self.unknown("top level", data, _TOP_TABLES)
        settings = self.table(data, "drift", self.prefix)
        self.unknown(f"[{self.prefix}]", settings, _DRIFT_FIELDS)
        self.allow_outside = self.flag(settings, "allow_outside")
        found = find_example(self.root)
        schema = settings.get("schema", found.name if found else ".env.example")
        if not isinstance(schema, str) or not schema:
            self.fail(f"[{self.prefix}]", "schema must be a path")
            schema = ".env.example"
        self.confine(f"[{self.prefix}] schema", schema)
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
                ("history", self.default_history()),
                ("baseline", DEFAULT_BASELINE),
            )
        }
        detected = self.dialect(settings, "dialect", (self.root / schema).parent)
        schema_dialect = self.dialect(settings, "schema_dialect", None) if "schema_dialect" in settings else detected
        expand = self.flag(settings, "expand")
        inferred = settings.get("inferred", "warning")
        if inferred not in INFERRED_LEVELS:
            self.fail(f"[{self.prefix}]", f"inferred must be one of {', '.join(INFERRED_LEVELS)}")
            inferred = "warning"
        ignores = self.ignores(
            data.get("ignore", []), self.shown, self.text, "tool.drift." if self.prefix != "drift" else ""
        )
        baseline = self.root / paths["baseline"]
        if baseline.is_file():
            ignores += self.baseline(baseline)
        notify = self.notify(self.table(data, "notify", "notify")) if "notify" in data else None
        assertions = self.assertions(data.get("assert", []), environments)
        plugins = settings.get("plugins", [])
        if not isinstance(plugins, list) or not all(isinstance(p, str) and p for p in plugins):
            self.fail(f"[{self.prefix}]", "plugins must be a list of rule plugin names")
            plugins = []
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
            dialect=detected,
            schema_dialect=schema_dialect.name,
            expand=expand,
            inferred=Severity.parse(str(inferred)),
            assertions=assertions,
            plugins=tuple(plugins),
        )

    def assertions(self, tables: object, environments: Mapping[str, EnvironmentConfig]) -> tuple[Assertion, ...]:
        """`[[assert]]` tables, strictly (their expressions compile once the schema is known)."""
        if not isinstance(tables, list):
            self.fail("[[assert]]", "must be an array of tables ([[assert]])")
            return ()
        header = "[[tool.drift.assert]]" if self.prefix != "drift" else "[[assert]]"
        lines = [n for n, line in enumerate(self.text.splitlines(), 1) if line.strip().startswith(header)]
        found: list[Assertion] = []
        for index, table in enumerate(tables):
            where = f"[[assert]] #{index + 1}"
            if not isinstance(table, dict):
                self.fail(where, "must be a table")
                continue
            self.unknown(where, table, _ASSERT_FIELDS)
            name, check = table.get("name"), table.get("check")
            if not isinstance(name, str) or not _ASSERT_NAME.fullmatch(name):
                self.fail(where, "name must be letters, digits, '_', '.' and '-'")
                continue
            where = f"[[assert]] {name}"
            if any(a.name == name for a in found):
                self.fail(where, "another assertion has this name")
            texts = {text_field: table.get(text_field) for text_field in ("check", "when", "message")}
            for text_field, value in texts.items():
                if value is not None and (not isinstance(value, str) or not value.strip()):
                    self.fail(where, f"{text_field} must be a non-empty string")
            if not isinstance(check, str):
                self.fail(where, "check is required: a CEL expression")
                continue
            envs = table.get("envs", [])
            if not isinstance(envs, list) or not all(isinstance(e, str) for e in envs):
                self.fail(where, "envs must be a list of environment names")
                envs = []
            for env in envs:
                if env not in environments:
                    self.fail(where, f"unknown environment '{env}' in envs{did_you_mean(env, environments)}")
            severity = table.get("severity", "error")
            if severity not in ("error", "warning", "info"):
                self.fail(where, "severity must be one of error, warning, info")
                severity = "error"
            message = table.get("message")
            found.append(
                Assertion(
                    name=name,
                    check=check,
                    message=message if isinstance(message, str) else f"assertion {name} does not hold",
                    severity=Severity.parse(str(severity)),
                    when=texts["when"] if isinstance(texts["when"], str) else None,
                    envs=tuple(envs),
                    location=f"{self.shown}:{lines[index]}" if index < len(lines) else self.shown,
                )
            )
        return tuple(found)

    def default_history(self) -> str:
        """drift.toml keeps `.drift/history.sqlite`; any other config file a history of its
        own, so `--config other.toml` never compares against another configuration's scans."""
        if self.path.name == "drift.toml":
            return DEFAULT_HISTORY
        return f".drift/history-{self.path.stem}.sqlite"

    def flag(self, settings: Mapping[str, Any], name: str) -> bool:
        value = settings.get(name, False)
        if not isinstance(value, bool):
            self.fail(f"[{self.prefix}]", f"{name} must be true or false")
            return False
        return value

    def dialect(self, settings: Mapping[str, Any], name: str, detect_in: Path | None) -> dialects.Detected:
        value = settings.get(name)
        if value is None:
            detected = dialects.detect(detect_in) if detect_in is not None else None
            if detected is not None and detected.name == dialects.DEFAULT_DIALECT and detect_in != self.root:
                detected = dialects.detect(self.root)
            return detected or dialects.DEFAULT
        if value not in dialects.DIALECTS:
            self.fail(
                f"[{self.prefix}]",
                f"{name} must be one of {', '.join(dialects.DIALECTS)}{did_you_mean(str(value), dialects.DIALECTS)}",
            )
            return dialects.DEFAULT
        return dialects.Detected(str(value), f"set in {self.shown}")

    def path_setting(self, settings: Mapping[str, Any], name: str, default: str) -> str:
        value = settings.get(name, default)
        if not isinstance(value, str) or not value:
            self.fail(f"[{self.prefix}]", f"{name} must be a path")
            return default
        if not value.startswith("s3://"):
            self.confine(f"[{self.prefix}] {name}", value)
        return value

    def confine(self, where: str, value: str) -> None:
        """Refuse a path that leaves the project folder (unless `allow_outside = true`) or
        lies under `.git/` (never read: a hostile drift.toml in a pull request could otherwise
        print `.git/config`'s credentials into a CI log). Messages name the setting, not the
        path, which may itself have been chosen to leak something."""
        root = self.root.resolve()
        if "\x00" in value:
            self.fail(where, "the path holds a NUL character")
            return
        try:
            target = (self.root / value).resolve()
        except (OSError, RuntimeError):
            return  # a symbolic link loop: nothing can be read through it, and reading says so
        inside = target.is_relative_to(root)
        if ".git" in (target.relative_to(root).parts if inside else target.parts):
            self.fail(where, "drift never reads or writes files under .git/")
        elif not inside and not self.allow_outside:
            self.fail(where, "the path leaves the project folder; set [drift] allow_outside = true to allow it")

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
                settings={"aws": aws} if aws else {},
            )
        return found

    def aws_fields(self, where: str, table: Mapping[str, Any]) -> None:
        self.unknown(where, table, AWS_FIELDS)
        for name, value in table.items():
            if name in AWS_FIELDS and name != "max_attempts" and not isinstance(value, str):
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
        allowed = _SOURCE_COMMON + tuple(collector.options)
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
        for name in collector.file_options:
            if isinstance(options.get(name), str):
                self.confine(f"{where} {name}", options[name])
        if "dialect" in options and options["dialect"] not in dialects.DIALECTS:
            self.fail(
                where,
                f"dialect must be one of {', '.join(dialects.DIALECTS)}"
                f"{did_you_mean(str(options['dialect']), dialects.DIALECTS)}",
            )
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
