"""Loading drift.toml (or `[tool.drift]` in pyproject.toml) into a validated Project.

Strict: an unknown field, an unknown environment or a bad value is a ConfigError naming the
file and the table, with a "did you mean". TOML syntax errors name the line.
"""

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from drift import dialects
from drift.config.environments import EnvironmentsReader
from drift.config.findings import FindingsReader, NotifyConfig
from drift.config.problems import Problems
from drift.errors import ConfigError, NothingToCheck
from drift.model import FAIL_ON_LEVELS, Severity, Suppression
from drift.platform import extras
from drift.platform.files import Confined, read_toml
from drift.platform.paths import shown
from drift.platform.suggest import did_you_mean
from drift.settings import Assertion, EnvironmentConfig, SourceConfig

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
    "shard_by",
)
#: The fields of `[code]`, `[settings]` and `[metrics]` (the reader checks them; the JSON
#: Schema of drift.toml lists them).
CODE_FIELDS = ("paths", "exclude", "languages", "libraries")
SETTINGS_FIELDS = ("allow", "environments")
METRICS_FIELDS = ("pushgateway", "job")
#: Example files drift looks for when no schema is configured, in order.
EXAMPLE_NAMES = (
    ".env.schema",  # @env-spec (varlock): a committed schema, read first where a project has one
    ".env.example",
    ".env.sample",
    ".env.template",
    ".env.dist",
    "env.example",  # Compose projects' usual name
    "example.env",
    ".env.defaults",
)
INFERRED_LEVELS = ("warning", "error")
#: How `drift scan --shard` spreads environments: by name, or by AWS account and region.
SHARD_BY = ("environment", "account")
_TOP_TABLES = ("drift", "environments", "keys", "ignore", "notify", "assert", "code", "settings", "metrics")

DEFAULT_HISTORY = ".drift/history.sqlite"
#: Without a config file history has a file of its own, so adding a drift.toml later does
#: not compare one configuration's scans with another's.
ZERO_CONFIG_HISTORY = ".drift/history-default.sqlite"
DEFAULT_BASELINE = "drift-baseline.toml"
DEFAULT_REPORTS = "reports"


#: The languages `[code] languages` may name.
CODE_LANGUAGES = ("javascript", "typescript", "python", "ruby", "go", "config")


class CodeConfig(NamedTuple):
    """`[code]`: the folders to scan (relative to the config file), globs to leave out, the
    languages to read (all by default), and globs of keys libraries read themselves."""

    paths: tuple[str, ...] = (".",)
    exclude: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    libraries: tuple[str, ...] = ()


class MetricsConfig(NamedTuple):
    """`[metrics]`: where every check and scan pushes its metrics."""

    pushgateway: str
    job: str = "drift"


class Project(NamedTuple):
    """A validated configuration: everything a scan needs to know before reading anything."""

    root: Path
    config_path: Path | None
    name: str
    schema_path: Path | None
    fail_on: Severity | None
    environments: dict[str, EnvironmentConfig]
    keys: Mapping[str, Any] = MappingProxyType({})
    config_text: str = ""
    reports_dir: Path | None = None
    #: `.drift/history.sqlite` (relative to the config folder) or `s3://bucket/prefix`.
    history: str = DEFAULT_HISTORY
    baseline: Path | None = None
    ignores: tuple[Suppression, ...] = ()
    notify: NotifyConfig | None = None
    #: `[metrics]`: the Pushgateway every check and scan pushes its metrics to.
    metrics: MetricsConfig | None = None
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
    #: `[code]`: where the code that reads settings is, for the code rules and `drift code`.
    code: CodeConfig | None = None
    #: `[settings]`: which deployment settings may differ across environments (path globs),
    #: and which environments must agree (default: every deployed one).
    settings_allow: tuple[str, ...] = ()
    settings_environments: tuple[str, ...] = ()
    #: `[drift] allow_outside`: paths may leave the project folder.
    allow_outside: bool = False
    #: `[drift] shard_by`: what `drift scan --shard` keeps together (`SHARD_BY`).
    shard_by: str = "environment"

    @property
    def confined(self) -> Confined:
        """The project's confinement (`files.Confined`): every path goes through it."""
        return Confined(self.root, self.allow_outside)

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


def load_project(config: Path | None, cwd: Path, schema: Path | None = None, dialect: str | None = None) -> Project:
    """The project for `--config PATH`, else the one found in `cwd`, else the default.

    `schema` (`--schema PATH`) replaces the configured or discovered example file, `dialect`
    (`--dialect`) the configured or detected dialect, the example file's included.
    """
    path = config if config is not None else find_config(cwd)
    project = default_project(cwd, schema) if path is None else _load_file(path)
    if path is not None and schema is not None:
        project = project._replace(schema_path=schema)
    if dialect is not None:
        project = project._replace(dialect=dialects.Detected(dialect, "set by --dialect"), schema_dialect=dialect)
    return project


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
        raise NothingToCheck(
            f"{cwd.name or cwd}: no drift.toml and no example file ({tried}); "
            "pass --schema PATH, or run `drift init` to write a drift.toml"
        )
    local = EnvironmentConfig(
        name="local",
        deployed=False,
        sources=(SourceConfig("dotenv", {"path": ".env"}, where="(default) local"),),
    )
    detected = dialects.detect(example.parent, cwd)
    baseline = cwd / DEFAULT_BASELINE
    ignores: tuple[Suppression, ...] = ()
    if baseline.is_file():
        problems = Problems(cwd, "(no config file)")
        ignores = tuple(FindingsReader(problems).baseline(baseline))
        if problems.errors:
            raise ConfigError("invalid baseline:\n  " + "\n  ".join(problems.errors))
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


class _Reader:
    """Turns the parsed TOML into a Project, collecting every error before raising: the
    environments and the finding-side tables are read by readers of their own, composed
    over one `Problems`."""

    def __init__(self, path: Path, shown: str, text: str, prefix: str) -> None:
        self.root = path.parent
        self.shown = shown
        self.path = path
        self.text = text
        self.prefix = prefix
        self.problems = Problems(self.root, shown)
        self.environments = EnvironmentsReader(self.problems)
        self.findings = FindingsReader(self.problems)

    def project(self, data: dict[str, Any]) -> Project:
        self.problems.unknown("top level", data, _TOP_TABLES)
        settings = self.table(data, "drift", self.prefix)
        self.problems.unknown(f"[{self.prefix}]", settings, _DRIFT_FIELDS)
        self.problems.allow_outside = self.flag(settings, "allow_outside")
        found = find_example(self.root)
        schema = settings.get("schema", found.name if found else ".env.example")
        if not isinstance(schema, str) or not schema:
            self.problems.fail(f"[{self.prefix}]", "schema must be a path")
            schema = ".env.example"
        self.problems.confine(f"[{self.prefix}] schema", schema)
        fail_on_text = settings.get("fail_on", "error")
        fail_on = Severity.ERROR
        try:
            fail_on = parse_fail_on(str(fail_on_text), f"{self.shown}: [{self.prefix}]")  # type: ignore[assignment]
        except ConfigError as exc:
            self.problems.errors.append(str(exc))
        name = settings.get("name", self.root.resolve().name)
        environments = self.environments.environments(self.table(data, "environments", "environments"))
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
            self.problems.fail(f"[{self.prefix}]", f"inferred must be one of {', '.join(INFERRED_LEVELS)}")
            inferred = "warning"
        shard_by = settings.get("shard_by", "environment")
        if shard_by not in SHARD_BY:
            self.problems.fail(f"[{self.prefix}]", f"shard_by must be one of {', '.join(SHARD_BY)}")
        ignores = self.findings.ignores(
            data.get("ignore", []), self.shown, self.text, "tool.drift." if self.prefix != "drift" else ""
        )
        baseline = self.root / paths["baseline"]
        if baseline.is_file():
            ignores += self.findings.baseline(baseline)
        notify = self.findings.notify(self.table(data, "notify", "notify")) if "notify" in data else None
        metrics = self.metrics(self.table(data, "metrics", "metrics")) if "metrics" in data else None
        assertions = self.findings.assertions(
            data.get("assert", []), environments, self.text, "tool.drift." if self.prefix != "drift" else ""
        )
        code = self.code(self.table(data, "code", "code")) if "code" in data else None
        settings_table = self.table(data, "settings", "settings") if "settings" in data else {}
        allow, compared = self.settings(settings_table, environments)
        plugins = settings.get("plugins", [])
        if not isinstance(plugins, list) or not all(isinstance(p, str) and p for p in plugins):
            self.problems.fail(f"[{self.prefix}]", "plugins must be a list of rule plugin names")
            plugins = []
        if self.problems.errors:
            raise ConfigError("invalid configuration:\n  " + "\n  ".join(self.problems.errors))
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
            metrics=metrics,
            dialect=detected,
            schema_dialect=schema_dialect.name,
            expand=expand,
            inferred=Severity.parse(str(inferred)),
            assertions=assertions,
            plugins=tuple(plugins),
            code=code,
            settings_allow=allow,
            settings_environments=compared,
            allow_outside=self.problems.allow_outside,
            shard_by=str(shard_by),
        )

    def metrics(self, table: Mapping[str, Any]) -> MetricsConfig:
        """`[metrics]`: `pushgateway` (an http(s) URL) and `job` (default "drift")."""
        where = f"[{'tool.drift.' if self.prefix != 'drift' else ''}metrics]"
        self.problems.unknown(where, table, METRICS_FIELDS)
        gateway, job = table.get("pushgateway"), table.get("job", "drift")
        if not isinstance(gateway, str) or not gateway.startswith(("http://", "https://")):
            self.problems.fail(where, "pushgateway must be an http:// or https:// URL")
            gateway = ""
        if not isinstance(job, str) or not job:
            self.problems.fail(where, "job must be a name")
            job = "drift"
        return MetricsConfig(gateway, job)

    def code(self, table: Mapping[str, Any]) -> CodeConfig:
        """`[code]`: paths (default: the project folder), exclude globs, languages."""
        where = f"[{'tool.drift.' if self.prefix != 'drift' else ''}code]"
        lists = self.string_lists(where, table, CODE_FIELDS)
        if (lacking := extras.lacking("code")) is not None:
            self.problems.fail(where, f"reading the code {lacking}")
        for path in lists["paths"]:
            self.problems.confine(f"{where} paths", path)
        unknown = [name for name in lists["languages"] if name not in CODE_LANGUAGES]
        if unknown:
            self.problems.fail(where, f"languages: {', '.join(unknown)} not known; one of {', '.join(CODE_LANGUAGES)}")
        return CodeConfig(lists["paths"] or (".",), lists["exclude"], lists["languages"], lists["libraries"])

    def settings(
        self, table: Mapping[str, Any], environments: Mapping[str, Any]
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """`[settings]`: `allow` (path globs that may differ) and `environments` (which must
        agree; default every deployed one)."""
        where = f"[{'tool.drift.' if self.prefix != 'drift' else ''}settings]"
        found = self.string_lists(where, table, SETTINGS_FIELDS)
        for env in found["environments"]:
            if env not in environments:
                self.problems.fail(
                    where, f"environments: no environment {env!r}{did_you_mean(env, list(environments))}"
                )
        return found["allow"], found["environments"]

    def string_lists(self, where: str, table: Mapping[str, Any], names: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
        """A table whose fields are all lists of strings: unknown fields and other values refused."""
        for name in table:
            if name not in names:
                self.problems.fail(where, f"unknown field {name!r}{did_you_mean(name, names)}")
        found: dict[str, tuple[str, ...]] = {}
        for name in names:
            value = table.get(name, [])
            if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
                self.problems.fail(where, f"{name} must be a list of strings")
                value = []
            found[name] = tuple(value)
        return found

    def default_history(self) -> str:
        """drift.toml keeps `.drift/history.sqlite`; any other config file a history of its
        own, so `--config other.toml` never compares against another configuration's scans."""
        if self.path.name == "drift.toml":
            return DEFAULT_HISTORY
        return f".drift/history-{self.path.stem}.sqlite"

    def flag(self, settings: Mapping[str, Any], name: str) -> bool:
        value = settings.get(name, False)
        if not isinstance(value, bool):
            self.problems.fail(f"[{self.prefix}]", f"{name} must be true or false")
            return False
        return value

    def dialect(self, settings: Mapping[str, Any], name: str, detect_in: Path | None) -> dialects.Detected:
        value = settings.get(name)
        if value is None:
            return dialects.detect(detect_in, self.root) if detect_in is not None else dialects.detect(self.root)
        if value not in dialects.DIALECTS:
            self.problems.fail(
                f"[{self.prefix}]",
                f"{name} must be one of {', '.join(dialects.DIALECTS)}{did_you_mean(str(value), dialects.DIALECTS)}",
            )
            return dialects.DEFAULT
        return dialects.Detected(str(value), f"set in {self.shown}")

    def path_setting(self, settings: Mapping[str, Any], name: str, default: str) -> str:
        value = settings.get(name, default)
        if not isinstance(value, str) or not value:
            self.problems.fail(f"[{self.prefix}]", f"{name} must be a path")
            return default
        if not value.startswith("s3://"):
            self.problems.confine(f"[{self.prefix}] {name}", value)
        elif (lacking := extras.lacking("aws")) is not None:
            self.problems.fail(f"[{self.prefix}] {name}", f"a history on S3 {lacking}")
        return value

    def table(self, data: Mapping[str, Any], name: str, where: str) -> dict[str, Any]:
        value = data.get(name, {})
        if not isinstance(value, dict):
            self.problems.fail(where, "must be a table")
            return {}
        return value
