"""The `kubernetes` source: one container's environment as the kubelet builds it, from
manifests (files, folders, or what `helm template`, `kustomize build` or `kubectl get -o
yaml` print, given as a file or run as a `command`).

The kubelet's order: `envFrom` sources in order (a later one wins; `prefix` is put before
each key), then `env` in order, each `value` expanded for `$(NAME)` of the variables defined
before it (`$$(NAME)` stays literal). `valueFrom.configMapKeyRef` / `secretKeyRef` and
`envFrom.configMapRef` / `secretRef` are resolved against the ConfigMaps and Secrets of the
same set (Secret `data` decoded from base64, `stringData` over it). A reference to a missing
object or key is a `dangling-reference` fact, unless it is `optional`, when the variable is
simply not set. Values from a Secret are store secrets whatever their names. `fieldRef` and
`resourceFieldRef` are known only to the running pod: set, value not readable.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from drift import dialects
from drift.collectors.base import Collector, CollectorError, Option, SourceData
from drift.collectors.parsers import object_values
from drift.model import Entry, Problem
from drift.platform import programs
from drift.platform.yamlfile import Map, Seq, YamlError, load_all

#: Where each workload kind keeps its pod template.
POD_SPEC = {
    "pod": ("spec",),
    "deployment": ("spec", "template", "spec"),
    "statefulset": ("spec", "template", "spec"),
    "daemonset": ("spec", "template", "spec"),
    "replicaset": ("spec", "template", "spec"),
    "job": ("spec", "template", "spec"),
    "cronjob": ("spec", "jobTemplate", "spec", "template", "spec"),
}
MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
_REFERENCE = re.compile(r"\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)")


@dataclass
class _Object:
    """A ConfigMap or Secret: its values, the line of each key, and where it was read."""

    where: str
    secret: bool
    values: dict[str, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)


class KubernetesCollector(Collector):
    """Reads `container` of `workload` from `manifests` or a `command`'s output."""

    kind: ClassVar[str] = "kubernetes"
    waits_on_network = True  # `command` runs kubectl or helm, which wait on a cluster or a chart
    file_options: ClassVar[tuple[str, ...]] = ("manifests",)
    options: ClassVar[dict[str, Option]] = {
        "workload": Option((str,), required=True, help="Kind/name, e.g. Deployment/web"),
        "container": Option((str,), help="the container (default: the workload's only container)"),
        "namespace": Option((str,), help="only objects in this namespace (or with none set)"),
        "manifests": Option((list, str), help="files or folders of manifests, relative to the config file"),
        "command": Option((list,), help="a program printing the manifests (helm template, kubectl get -o yaml)"),
        "timeout": Option((int, float), help=f"seconds for `command` (default {programs.DEFAULT_TIMEOUT:g})"),
        "max_bytes": Option(
            (int,), help=f"size cap of each file or the output (default {programs.DEFAULT_MAX_BYTES:,})"
        ),
    }

    @classmethod
    def check_options(cls, options: Mapping[str, Any]) -> list[str]:
        problems = []
        if ("manifests" in options) == ("command" in options):
            problems.append("give either `manifests` or `command`")
        command = options.get("command", ["x"])
        if not command or not all(isinstance(a, str) and a for a in command):
            problems.append("`command` must be a non-empty list of non-empty strings")
        kind, _, name = str(options.get("workload", "")).partition("/")
        if kind.lower() not in POD_SPEC or not name:
            problems.append(f"`workload` must be Kind/name with Kind one of {', '.join(sorted(POD_SPEC))}")
        return problems

    def name(self) -> str:
        options = self.source.options
        where = options.get("manifests") or options.get("command") or []
        shown = where if isinstance(where, str) else " ".join(str(w) for w in where)
        return f"{shown[:100]}#{options['workload']}"

    def collect(self) -> SourceData:
        objects = list(self._objects())
        namespace = self.source.options.get("namespace")
        kind, _, name = str(self.source.options["workload"]).partition("/")
        stores: dict[tuple[bool, str], _Object] = {}
        workload: tuple[Map, str] | None = None
        for obj, where in objects:
            metadata = obj.get("metadata")
            if not isinstance(metadata, Map) or not isinstance(metadata.get("name"), str):
                continue
            if namespace is not None and metadata.get("namespace") not in (None, namespace):
                continue
            obj_kind = str(obj.get("kind", "")).lower()
            if obj_kind in ("configmap", "secret"):
                stores[(obj_kind == "secret", metadata["name"])] = _store(obj, where, obj_kind == "secret")
            elif obj_kind == kind.lower() and metadata["name"] == name:
                workload = (obj, where)
        if workload is None:
            raise CollectorError(
                f"no {kind}/{name} among the manifests" + (f" in namespace {namespace}" if namespace else "")
            )
        container, where = self._container(*workload)
        read = _Environment(container, where, stores).read()
        read.facts["settings:kubernetes"] = _settings(workload[0])
        return read

    def _objects(self) -> Iterator[tuple[Map, str]]:
        """Every object of the manifests (a `List`'s items included), with its file."""
        for text, where in self._texts():
            try:
                documents = load_all(text, where)
            except YamlError as exc:
                raise CollectorError(str(exc)) from None
            for document in documents:
                if (
                    isinstance(document, Map)
                    and document.get("kind") == "List"
                    and isinstance(document.get("items"), Seq)
                ):
                    yield from ((item, where) for item in document["items"] if isinstance(item, Map))
                elif isinstance(document, Map):
                    yield document, where

    def _texts(self) -> Iterator[tuple[str, str]]:
        options = self.source.options
        max_bytes = int(options.get("max_bytes", programs.DEFAULT_MAX_BYTES))
        if "command" in options:
            argv = [str(a) for a in options["command"]]
            if not programs.allowed():
                raise CollectorError(programs.refusal(f"the kubernetes source's command ({Path(argv[0]).name})"))
            try:
                output = programs.run(
                    argv, self.context.root, float(options.get("timeout", programs.DEFAULT_TIMEOUT)), max_bytes
                )
            except programs.CommandFailed as exc:
                raise CollectorError(str(exc)) from None
            try:
                yield output.stdout.decode("utf-8"), f"command:{Path(argv[0]).name}"
            except UnicodeDecodeError:
                raise CollectorError(f"{argv[0]} printed something that is not UTF-8 text") from None
            return
        manifests = options["manifests"]
        confined = self.context.confined
        for item in [manifests] if isinstance(manifests, str) else manifests:
            try:  # a manifest (or a folder of them) that links out of the project fails the source
                paths = confined.files(item, MANIFEST_SUFFIXES)
            except dialects.UnreadableFile as exc:
                raise CollectorError(f"{item}: {exc}") from None
            for path in paths:
                shown = self.context.display(path)
                try:
                    yield confined.read_text(path, max_bytes), shown
                except dialects.UnreadableFile as exc:
                    raise CollectorError(f"{shown}: {exc}") from None

    def _container(self, workload: Map, where: str) -> tuple[Map, str]:
        kind = str(workload.get("kind", "")).lower()
        spec: Any = workload
        for step in POD_SPEC[kind]:
            spec = spec.get(step) if isinstance(spec, Map) else None
        containers = spec.get("containers") if isinstance(spec, Map) else None
        if not isinstance(containers, Seq) or not containers:
            raise CollectorError(f"{where}: {self.source.options['workload']} has no containers")
        wanted = self.source.options.get("container")
        named = [c for c in containers if isinstance(c, Map) and (wanted is None or c.get("name") == wanted)]
        if wanted is None and len(named) > 1:
            names = ", ".join(str(c.get("name")) for c in named)
            raise CollectorError(f"{self.source.options['workload']} has several containers ({names}): set `container`")
        if not named:
            raise CollectorError(f"{self.source.options['workload']} has no container {wanted!r}")
        return named[0], where


def _settings(workload: Map) -> dict[str, Any]:
    """A workload's deployment settings: replicas, and each container's image, resources and
    probes (never its environment)."""
    kind = str(workload.get("kind", "")).lower()
    spec: Any = workload
    for step in POD_SPEC[kind]:
        spec = spec.get(step) if isinstance(spec, Map) else None
    containers = spec.get("containers") if isinstance(spec, Map) else None
    found: dict[str, Any] = {}
    top = workload.get("spec")
    if isinstance(top, Map) and "replicas" in top:
        found["replicas"] = top["replicas"]
    found["containers"] = {
        str(c.get("name")): {
            k: _plain(c[k]) for k in ("image", "resources", "livenessProbe", "readinessProbe") if k in c
        }
        for c in (containers if isinstance(containers, Seq) else [])
        if isinstance(c, Map)
    }
    return found


def _plain(value: Any) -> Any:
    """YAML data as plain dicts and lists (for the structured comparison)."""
    if isinstance(value, Map):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, Seq):
        return [_plain(v) for v in value]
    return value


def _store(obj: Map, where: str, secret: bool) -> _Object:
    store = _Object(where, secret)
    values, _ = object_values(obj, secret)  # an undecodable key is reported where it is referenced
    for key, (value, line) in values.items():
        store.values[key] = value
        store.lines[key] = line
    return store


class _Environment:
    """One container's variables, in the kubelet's order."""

    def __init__(self, container: Map, where: str, stores: dict[tuple[bool, str], _Object]) -> None:
        self.container = container
        self.where = where
        self.stores = stores
        self.entries: dict[str, Entry] = {}
        self.problems: list[Problem] = []

    def read(self) -> SourceData:
        env_from = self.container.get("envFrom")
        if isinstance(env_from, Seq):
            for source, line in zip(env_from, env_from.lines, strict=True):
                if isinstance(source, Map):
                    self._env_from(source, line)
        env = self.container.get("env")
        if isinstance(env, Seq):
            for variable, line in zip(env, env.lines, strict=True):
                if isinstance(variable, Map) and isinstance(variable.get("name"), str):
                    self._variable(variable, line)
        return SourceData(list(self.entries.values()), self.problems)

    def _location(self, line: int) -> str:
        return f"{self.where}:{line}" if line else self.where

    def _env_from(self, source: Map, line: int) -> None:
        prefix = str(source.get("prefix") or "")
        for field_name, secret in (("configMapRef", False), ("secretRef", True)):
            ref = source.get(field_name)
            if not isinstance(ref, Map):
                continue
            name = str(ref.get("name", ""))
            store = self.stores.get((secret, name))
            if store is None:
                if not _optional(ref):
                    what = "Secret" if secret else "ConfigMap"
                    self._dangling(None, f"envFrom names {what} {name}, which is not among the manifests", line)
                continue
            for key, value in store.values.items():
                self.entries[prefix + key] = Entry(
                    prefix + key,
                    value,
                    f"kubernetes:{store.where}",
                    f"{store.where}:{store.lines[key]}" if store.lines[key] else store.where,
                    store_secret=secret,
                )

    def _variable(self, variable: Map, line: int) -> None:
        key = variable["name"]
        location = self._location(line)
        value_from = variable.get("valueFrom")
        if not isinstance(value_from, Map):
            value = variable.get("value")
            text = self._expand(value) if isinstance(value, str) else ""
            self.entries[key] = Entry(key, text, f"kubernetes:{self.where}", location)
            return
        for field_name, secret in (("configMapKeyRef", False), ("secretKeyRef", True)):
            ref = value_from.get(field_name)
            if isinstance(ref, Map):
                self._key_ref(key, ref, secret, location, line)
                return
        source = "fieldRef" if "fieldRef" in value_from else "resourceFieldRef"
        self.entries[key] = Entry(key, None, f"kubernetes:{self.where}", location, metadata={"value_from": source})

    def _key_ref(self, key: str, ref: Map, secret: bool, location: str, line: int) -> None:
        what = "Secret" if secret else "ConfigMap"
        name, wanted = str(ref.get("name", "")), str(ref.get("key", ""))
        store = self.stores.get((secret, name))
        value = store.values.get(wanted) if store is not None else None
        if value is None:
            if not _optional(ref):
                missing = f"{what} {name}" if store is None else f"key {wanted} of {what} {name}"
                self._dangling(key, f"{key} references {missing}, which is not among the manifests", line)
                self.entries[key] = Entry(key, None, f"kubernetes:{self.where}", location, store_secret=secret)
            return
        self.entries[key] = Entry(key, value, f"kubernetes:{self.where}", location, store_secret=secret)

    def _dangling(self, key: str | None, message: str, line: int) -> None:
        self.problems.append(Problem("unresolved-reference", key, message, self._location(line), str(line)))

    def _expand(self, value: str) -> str:
        """`$(NAME)` of a variable defined before this one; `$$` is one `$`."""

        def replace(match: re.Match[str]) -> str:
            if match.group() == "$$":
                return "$"
            earlier = self.entries.get(match.group(1))
            return earlier.value if earlier is not None and earlier.value is not None else match.group()

        return _REFERENCE.sub(replace, value)


def _optional(ref: Map) -> bool:
    return str(ref.get("optional", "false")).lower() == "true"
