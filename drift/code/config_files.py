"""Settings named in configuration files: the other half of where a project reads them.

- Dockerfile `ENV KEY=value` / `ENV KEY value` and `ARG KEY[=default]` (values given: a
  fallback);
- Compose files: each service's `environment` keys (a bare `KEY` needs it from the shell:
  no fallback) and `${KEY}` / `${KEY:-default}` in any value;
- Kubernetes manifests: each container's `env` names (given a value or a reference);
- systemd units: `Environment=` names;
- GitHub Actions workflows: `${{ secrets.KEY }}` and `${{ vars.KEY }}` (no fallback), and
  `env:` keys;
- `package.json` scripts: `$KEY` and `${KEY}` (shell and npm's own variables left out).

YAML is read with drift's YAML 1.2 reader, JSON with the standard library; a file that does
not parse holds no reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from drift.code import Read
from drift.platform import jsontext
from drift.platform.yamlfile import Map, Seq, YamlError, load_all

_INTERPOLATION = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(:?[-?+][^}]*)?\}|\$([A-Za-z_][A-Za-z0-9_]*)")
_EXPRESSION = re.compile(r"\$\{\{\s*(secrets|vars)\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
_SHELL = {"PATH", "HOME", "PWD", "USER", "SHELL", "TERM", "TMPDIR", "OLDPWD", "LANG", "CI"}
_DOCKER_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)")


def kind_of(name: str) -> str | None:
    """Which configuration file a path is, by its name (None: not one)."""
    base = name.rsplit("/", 1)[-1]
    if base == "Dockerfile" or base.startswith("Dockerfile.") or base.endswith(".Dockerfile"):
        return "dockerfile"
    if base in ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml") or (
        base.startswith(("compose.", "docker-compose.")) and base.endswith((".yaml", ".yml"))
    ):
        return "compose"
    if "/.github/workflows/" in f"/{name}" and base.endswith((".yaml", ".yml")):
        return "workflow"
    if base == "package.json":
        return "package"
    if base.endswith(".service"):
        return "unit"
    if base.endswith((".yaml", ".yml")) and (
        "k8s" in name or "kubernetes" in name or "manifests" in name or "helm" in name
    ):
        return "manifest"
    return None


def reads(text: str, path: str) -> list[Read]:
    kind = kind_of(path)
    if kind == "dockerfile":
        return _dockerfile(text, path)
    if kind == "package":
        return _package(text, path)
    if kind == "unit":
        return _unit(text, path)
    try:
        documents = load_all(text, path)
    except YamlError:
        return []
    found: list[Read] = []
    for document in documents:
        if kind == "compose":
            found += _compose(document, path)
        elif kind == "workflow":
            found += _workflow(document, path, text)
        elif kind == "manifest":
            found += _manifest(document, path)
    return sorted(found, key=lambda r: (r.line, r.key or ""))


def _dockerfile(text: str, path: str) -> list[Read]:
    found = []
    for number, line in enumerate(text.split("\n"), 1):
        words = line.strip().split(None, 1)
        if len(words) < 2 or words[0].upper() not in ("ENV", "ARG"):
            continue
        rest = words[1]
        if "=" not in rest.split(None, 1)[0]:  # `ENV KEY value`
            match = _DOCKER_KEY.match(rest)
            if match:
                found.append(Read(match.group(1), path, number, "default"))
            continue
        for assignment in rest.split():
            key = _DOCKER_KEY.match(assignment)
            if key is not None and (assignment[key.end() : key.end() + 1] in ("=", "")):
                found.append(Read(key.group(1), path, number, "default"))
    return found


def _interpolations(value: str, path: str, line: int) -> list[Read]:
    found = []
    for match in _INTERPOLATION.finditer(value.replace("$$", "")):
        key = match.group(1) or match.group(3)
        operator = match.group(2) or ""
        found.append(Read(key, path, line, "default" if operator[:2].lstrip(":")[:1] in ("-", "+") else "direct"))
    return found


def _walk_strings(data: Any, line: int) -> list[tuple[str, int]]:
    """Every string value with the line of its key (aliases visited once)."""
    found: list[tuple[str, int]] = []
    seen: set[int] = set()
    stack: list[tuple[Any, int]] = [(data, line)]
    while stack:
        node, at = stack.pop()
        if isinstance(node, str):
            found.append((node, at))
        elif id(node) in seen:
            continue
        elif isinstance(node, Map):
            seen.add(id(node))
            stack.extend((value, node.lines.get(key, at)) for key, value in node.items())
        elif isinstance(node, Seq):
            seen.add(id(node))
            stack.extend(zip(node, node.lines, strict=True))
    return found


def _compose(document: Any, path: str) -> list[Read]:
    found = []
    for value, line in _walk_strings(document, 1):
        found += _interpolations(value, path, line)
    services = document.get("services") if isinstance(document, Map) else None
    for service in services.values() if isinstance(services, Map) else []:
        environment = service.get("environment") if isinstance(service, Map) else None
        if isinstance(environment, Map):
            for key, value in environment.items():
                found.append(Read(key, path, environment.lines.get(key, 1), "direct" if value is None else "default"))
        elif isinstance(environment, Seq):
            for item, line in zip(environment, environment.lines, strict=True):
                if isinstance(item, str):
                    key, sep, _ = item.partition("=")
                    found.append(Read(key, path, line, "default" if sep else "direct"))
    return found


def _workflow(document: Any, path: str, text: str) -> list[Read]:
    found = []
    for number, line in enumerate(text.split("\n"), 1):
        for match in _EXPRESSION.finditer(line):
            found.append(Read(match.group(2), path, number, "direct"))
    for node in _maps(document):
        env = node.get("env")
        if isinstance(env, Map):
            found += [Read(key, path, env.lines.get(key, 1), "default") for key in env]
    return found


def _manifest(document: Any, path: str) -> list[Read]:
    found = []
    for node in _maps(document):
        env = node.get("env")
        if isinstance(env, Seq) and isinstance(node.get("name"), str):
            for item, line in zip(env, env.lines, strict=True):
                if isinstance(item, Map) and isinstance(item.get("name"), str):
                    found.append(Read(item["name"], path, line, "default"))
    return found


def _maps(document: Any) -> Iterator[Map]:
    """Every mapping in a document, each once (aliases share nodes)."""
    seen: set[int] = set()
    stack = [document]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        if isinstance(node, Map):
            seen.add(id(node))
            yield node
            stack.extend(node.values())
        elif isinstance(node, Seq):
            seen.add(id(node))
            stack.extend(node)


def _unit(text: str, path: str) -> list[Read]:
    found = []
    for number, line in enumerate(text.split("\n"), 1):
        key, sep, value = line.strip().partition("=")
        if sep and key.strip() == "Environment":
            for word in value.replace('"', " ").replace("'", " ").split():
                name = word.partition("=")[0]
                if _DOCKER_KEY.fullmatch(name) and "=" in word:
                    found.append(Read(name, path, number, "default"))
    return found


def _package(text: str, path: str) -> list[Read]:
    try:
        data = jsontext.loads(text)
    except ValueError:
        return []
    scripts = data.get("scripts") if isinstance(data, dict) else None
    if not isinstance(scripts, dict):
        return []
    lines = text.split("\n")
    found = []
    for name, script in scripts.items():
        if not isinstance(script, str):
            continue
        number = next((i for i, line in enumerate(lines, 1) if f'"{name}"' in line), 1)
        for read in _interpolations(script, path, number):
            if read.key is not None and read.key not in _SHELL and not read.key.startswith("npm_"):
                found.append(read)
    return found
