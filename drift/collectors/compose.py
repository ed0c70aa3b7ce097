"""The `compose` source: one service's environment as Docker Compose resolves it, read from
the Compose files alone (no Docker needed).

What Compose does, in its order:

1. the project's `.env` (beside the first file, or `project_env_file`, as `--env-file`) is
   read with the `compose` dialect; it is the only source of `${VAR}` values (drift never
   reads the environment it runs in);
2. every string of every file is interpolated: `$VAR`, `${VAR}`, `${VAR:-default}`,
   `${VAR-default}`, `${VAR:+alt}`, `${VAR:?error}` (an unset one fails the source, as it
   fails `docker compose`), `$$` for a dollar;
3. the files merge in order (`-f a -f b`): a later file's `environment` keys win, its
   `env_file` entries come after the earlier ones, `!reset` drops and `!override` replaces;
   `extends` pulls a base service in first;
4. a service whose `profiles` are not enabled does not run: the source is unavailable;
5. `env_file` entries (a string, a list, or `{path, required}` objects; a missing required
   file fails the source, an optional one is skipped) are read in order, then `environment`
   (a list of `KEY=VALUE` / `KEY`, or a map) overrides them. A bare `KEY` takes its value
   from `.env` if it is there, else from the shell `docker compose` runs in, which drift
   cannot see: such a key is set, its value not readable.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

from drift import dialects
from drift.collectors.base import Collector, CollectorError, Option, SourceData
from drift.collectors.parsers import read_env_text
from drift.dialects import compose as compose_dialect
from drift.model import Entry, Problem
from drift.platform.yamlfile import Map, Override, Reset, Seq, YamlError, load_all

DEFAULT_FILES = ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")
MAX_EXTENDS = 10
#: An `environment` key a later file removes with `!reset`.
_RESET = "\x00reset"


class ComposeCollector(Collector):
    """Reads `service`'s environment from `files`."""

    kind: ClassVar[str] = "compose"
    file_options: ClassVar[tuple[str, ...]] = ("files", "project_env_file")
    options: ClassVar[dict[str, Option]] = {
        "service": Option((str,), required=True, help="the service whose environment is read"),
        "files": Option(
            (list, str), help="Compose files merged in order, as -f (default: compose.yaml or docker-compose.yml)"
        ),
        "profiles": Option((list,), help="profiles enabled, as --profile (default none)"),
        "project_env_file": Option(
            (str,), help="what ${VAR} reads, as --env-file (default: .env beside the first file)"
        ),
        "max_bytes": Option((int,), help=f"size cap of each file (default {dialects.DEFAULT_MAX_BYTES:,})"),
    }

    @classmethod
    def check_options(cls, options: Mapping[str, Any]) -> list[str]:
        problems = []
        files = options.get("files", [])
        if not isinstance(files, str) and not (isinstance(files, list) and all(isinstance(f, str) for f in files)):
            problems.append("`files` must be a file or a list of files")
        profiles = options.get("profiles", [])
        if not all(isinstance(p, str) and p for p in profiles):
            problems.append("`profiles` must be a list of profile names")
        return problems

    def _files(self) -> list[Path]:
        files = self.source.options.get("files")
        if files is None:
            found = [self.context.root / name for name in DEFAULT_FILES if (self.context.root / name).is_file()]
            if not found:
                raise CollectorError(f"no Compose file ({', '.join(DEFAULT_FILES)}) in the project folder")
            return found[:1]
        return [self.context.root / f for f in ([files] if isinstance(files, str) else files)]

    def name(self) -> str:
        files = self.source.options.get("files")
        shown = ([files] if isinstance(files, str) else files) if files is not None else ["compose.yaml"]
        return f"{'+'.join(shown)}#{self.source.options['service']}"

    def collect(self) -> SourceData:
        paths = self._files()
        project_dir = paths[0].parent
        values = self._project_env(project_dir)
        models = [self._model(path, values) for path in paths]
        service_name = str(self.source.options["service"])
        service = _resolve(service_name, models, self, values, 0)
        if service is None:
            raise CollectorError(f"no service {service_name!r} in {', '.join(self.context.display(p) for p in paths)}")
        profiles = service.get("profiles") or []
        enabled = set(self.source.options.get("profiles", []))
        if profiles and not enabled & set(_strings(profiles)):
            raise CollectorError(
                f"service {service_name} runs only with profile {' or '.join(_strings(profiles))}; "
                "enable one with the source's `profiles` option to read it"
            )
        return self._environment(service, project_dir, values)

    def _project_env(self, project_dir: Path) -> dict[str, str]:
        """The values `${VAR}` reads: the project's .env file, nothing else."""
        configured = self.source.options.get("project_env_file")
        path = self.context.root / str(configured) if configured else project_dir / ".env"
        if configured is None and not path.exists():
            return {}
        shown = self.context.display(path)
        try:
            text = self.context.confined.read_text(path, self._max_bytes())
        except dialects.UnreadableFile as exc:
            raise CollectorError(f"{shown}: {exc}") from None
        return {k: a.value for k, a in dialects.read(text, "compose", False, shown).values.items()}

    def _max_bytes(self) -> int:
        return int(self.source.options.get("max_bytes", dialects.DEFAULT_MAX_BYTES))

    def _model(self, path: Path, values: Mapping[str, str]) -> tuple[str, Map]:
        """One Compose file, interpolated: (its name as shown, its top-level mapping)."""
        shown = self.context.display(path)
        try:  # every Compose file, an `extends.file` included, is confined like a configured path
            text = self.context.confined.read_text(path, self._max_bytes())
            documents = load_all(text, shown)
        except dialects.UnreadableFile as exc:
            raise CollectorError(f"{shown}: {exc}") from None
        except YamlError as exc:
            raise CollectorError(str(exc)) from None
        if len(documents) != 1 or not isinstance(documents[0], Map):
            raise CollectorError(f"{shown}: a Compose file is one YAML mapping")
        return shown, _Interpolation(values, shown).of(documents[0], 1)

    def _environment(self, service: Map, project_dir: Path, values: Mapping[str, str]) -> SourceData:
        entries: dict[str, Entry] = {}
        problems: list[Problem] = []
        malformed = False
        for path, required in _env_files(service.get("env_file")):
            target = project_dir / path
            shown = self.context.display(target)
            try:
                self.context.confined.path(target)
            except dialects.UnreadableFile as exc:
                raise CollectorError(f"env_file {shown}: {exc}") from None
            if not target.exists() and not required:
                continue
            try:
                text = self.context.confined.read_text(target, self._max_bytes())
            except dialects.UnreadableFile as exc:
                raise CollectorError(f"env_file {shown}: {exc}") from None
            read = read_env_text(text, "compose", False, shown, source=f"compose:{shown}")
            entries.update((e.key, e) for e in read.entries)
            problems.extend(read.problems)
            malformed = malformed or read.malformed
        environment = _variables(service.get("environment"), service.lines.get("environment", 0), service.where)
        for key, (value, location) in environment.items():
            if value is _RESET:
                continue
            where = location.rpartition(":")[0] or location
            if value is None and key in values:
                value = values[key]
            metadata = {} if value is not None else {"value_from": "the shell docker compose runs in"}
            entries[key] = Entry(key, value, f"compose:{where}", location, metadata=metadata)
        return SourceData(list(entries.values()), problems, malformed)


class _Interpolation:
    """Compose's interpolation over every string value of a file (keys stay as written);
    a node shared through aliases is interpolated once."""

    def __init__(self, values: Mapping[str, str], shown: str) -> None:
        self.values = values
        self.shown = shown
        self.done: dict[int, Any] = {}

    def of(self, data: Any, line: int) -> Any:
        if isinstance(data, str):
            try:
                return compose_dialect.interpolate(data, self.values)
            except compose_dialect.BadInterpolation as exc:
                raise CollectorError(f"{self.shown}:{line}: {exc}") from None
        if id(data) in self.done:
            return self.done[id(data)]
        if isinstance(data, Map):
            mapping = Map()
            self.done[id(data)] = mapping
            for key, value in data.items():
                mapping[key] = self.of(value, data.lines.get(key, line))
            mapping.lines = data.lines
            return mapping
        if isinstance(data, Seq):
            items = Seq()
            self.done[id(data)] = items
            items.extend(self.of(item, at) for item, at in zip(data, data.lines, strict=True))
            items.lines = data.lines
            return items
        if isinstance(data, Override):
            return Override(self.of(data.value, line))
        return data


def _resolve(name: str, models: list[tuple[str, Map]], collector: ComposeCollector, values: Mapping[str, str],
             depth: int) -> Map | None:  # fmt: skip
    """The service merged over every file, with `extends` applied; None when no file has it."""
    merged: Map | None = None
    for shown, model in models:
        services = model.get("services")
        if not isinstance(services, Map) or name not in services:
            continue
        definition = services[name]
        if not isinstance(definition, Map):
            raise CollectorError(f"{shown}:{services.lines.get(name, 1)}: service {name} is not a mapping")
        definition.where = shown
        merged = definition if merged is None else _merge(merged, definition)
    if merged is None:
        return None
    extends = merged.get("extends")
    if extends is not None:
        if depth >= MAX_EXTENDS:
            raise CollectorError(f"service {name}: `extends` goes more than {MAX_EXTENDS} levels deep (a cycle?)")
        base_name = (
            extends if isinstance(extends, str) else extends.get("service") if isinstance(extends, Map) else None
        )
        if not isinstance(base_name, str):
            raise CollectorError(f"service {name}: `extends` needs a service")
        base_models = models
        if isinstance(extends, Map) and isinstance(extends.get("file"), str):
            base_models = [collector._model(collector.context.root / str(extends["file"]), values)]
        base = _resolve(base_name, base_models, collector, values, depth + 1)
        if base is None:
            raise CollectorError(f"service {name} extends {base_name}, which no file defines")
        merged = _merge(base, merged)
    return merged


def _merge(base: Map, over: Map) -> Map:
    """A service of a later file over one of an earlier file, as Compose merges them."""
    result = Map()
    result.lines = {**base.lines, **over.lines}
    result.update(base)
    for key, value in over.items():
        if isinstance(value, Reset):
            result.pop(key, None)
        elif isinstance(value, Override):
            result[key] = value.value
        elif key == "environment" and key in result:
            merged = _variables(result[key], base.lines.get(key, 0), base.where) | _variables(
                value, over.lines[key], over.where
            )
            result[key] = _Env({k: v for k, v in merged.items() if v[0] is not _RESET})
        elif key == "env_file" and key in result:
            result[key] = _listed(result[key]) + _listed(value)
        else:
            result[key] = value
    result.where = over.where or base.where
    return result


class _Env(dict[str, tuple[str | None, str]]):
    """An `environment` already merged: key -> (value, file:line)."""


def _variables(environment: Any, line: int, where: str) -> dict[str, tuple[str | None, str]]:
    """An `environment` (list or map) of the file `where` as key -> (value or None for a bare
    key, file:line)."""
    if isinstance(environment, _Env):
        return dict(environment)
    found: dict[str, tuple[str | None, str]] = {}
    if isinstance(environment, Map):
        for key, value in environment.items():
            if isinstance(value, Override):
                value = value.value
            if isinstance(value, Reset):
                found[key] = (_RESET, f"{where}:{environment.lines.get(key, line)}")  # dropped by the merge
                continue
            if value is not None and not isinstance(value, str):
                raise CollectorError(f"environment {key}: a value must be text, not a mapping or a list")
            found[key] = (value, f"{where}:{environment.lines.get(key, line)}")
    elif isinstance(environment, Seq):
        for item, at in zip(environment, environment.lines, strict=True):
            if not isinstance(item, str):
                raise CollectorError("environment: a list item must be KEY=VALUE or KEY")
            key, sep, value = item.partition("=")
            found[key] = (value if sep else None, f"{where}:{at}")
    elif environment is not None:
        raise CollectorError("environment must be a list or a mapping")
    return found


def _listed(value: Any) -> list[Any]:
    return [value] if isinstance(value, (str, Map)) else list(value or [])


def _env_files(value: Any) -> list[tuple[str, bool]]:
    """`env_file` as (path, required) pairs, in order."""
    found: list[tuple[str, bool]] = []
    for item in _listed(value):
        if isinstance(item, str):
            found.append((item, True))
        elif isinstance(item, Map) and isinstance(item.get("path"), str):
            found.append((item["path"], str(item.get("required", "true")).lower() != "false"))
        else:
            raise CollectorError("env_file: each entry must be a path or { path, required }")
    return found


def _strings(values: Any) -> list[str]:
    return [v for v in values if isinstance(v, str)] if isinstance(values, list) else []
