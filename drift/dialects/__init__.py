"""Dotenv dialects: a file means what the application's loader makes of it.

`node` (the dotenv npm package), `python` (python-dotenv), `compose` (Docker Compose
env_file), `shell` (`set -a; . file`), `systemd` (a unit's `EnvironmentFile=`), `php`
(phpdotenv and Laravel's `env()`), `ruby` (the dotenv gem) and `go` (godotenv). Each
turns a text into numbered lines; `read` turns a text into the values one source holds, with
`malformed` and `duplicate` problems, and is the only place any dotenv text is read (files,
ECS environment files, command output, `drift diff`).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from operator import attrgetter
from pathlib import Path
from typing import NamedTuple

from drift.dialects import plain
from drift.dialects.lines import Assignment, Blank, Comment, Line, Malformed
from drift.model import Problem
from drift.platform.files import DEFAULT_MAX_BYTES, UnreadableFile, read_text
from drift.platform.runtime import LazyPattern

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DIALECTS",
    "Assignment",
    "Blank",
    "Comment",
    "Detected",
    "EnvText",
    "Line",
    "Malformed",
    "UnreadableFile",
    "detect",
    "parse",
    "read",
    "read_text",
]

#: Each dialect's module, imported on first use: a run reads one or two dialects, and the
#: check path's start-up time matters (the pre-commit case).
DIALECTS = ("node", "python", "compose", "shell", "systemd", "php", "ruby", "go")
#: Files that say which loader reads the project's env files, strongest first within a folder.
_BACKENDS = (("composer.json", "php"), ("Gemfile", "ruby"), ("go.mod", "go"))
_PYTHON = ("pyproject.toml", "requirements.txt", "setup.py", "Pipfile")
_COMPOSE = ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml")
#: Packages that load env files on the server (or at build time, as Next.js does): with one of
#: them package.json speaks for the loader; without, it only drives a front-end build.
_NODE_LOADERS = LazyPattern(
    r'"(dotenv|dotenv-flow|next|nuxt|@nestjs/config|@remix-run/node|@sveltejs/kit|astro|gatsby|expo|react-scripts)"'
)
_COMPOSE_READS = re.compile(r"\benv_file\b|\$\{")
DEFAULT_DIALECT = "python"
#: The dialects whose full parser interpolates from the lines above.
_INTERPOLATING = ("compose", "shell", "ruby", "go")
#: The dialects read by their full parser alone: python-dotenv's statements come back to the
#: fast path by themselves, and phpdotenv reads a comment holding `="` as the start of a
#: multi-line value, so no line of its files is plain.
_FULL_ONLY = ("python", "php")


class Detected(NamedTuple):
    """A dialect and why it was chosen (shown in report headers)."""

    name: str
    reason: str

    def __str__(self) -> str:
        return f"{self.name} ({self.reason})"


DEFAULT = Detected(DEFAULT_DIALECT, "default")


def detect(folder: Path, root: Path | None = None) -> Detected:
    """The dialect the project loads its env files with, from what loads them: the folder of
    the example file first, then each folder above it up to `root` (the project's), nearest
    first. In a folder: composer.json (php), Gemfile (ruby), go.mod (go), a Compose file that
    reads env files (`env_file`, or `${...}` from the project `.env`), a package.json that
    names a loader, a Python project's files, then a package.json or Compose file alone."""
    for where in _upwards(folder, root):
        found = _detect_in(where)
        if found is not None:
            shown = found.reason if where == folder else f"{found.reason} in {where.name or where}"
            return found._replace(reason=shown)
    return DEFAULT


def _upwards(folder: Path, root: Path | None) -> list[Path]:
    """`folder`, then its parents up to `root` when `folder` is inside it (never above)."""
    if root is None:
        return [folder]
    try:
        folder.resolve().relative_to(root.resolve())
    except (ValueError, OSError):
        return [folder]
    found = [folder]
    while found[-1].resolve() != root.resolve() and found[-1].parent != found[-1]:
        found.append(found[-1].parent)
    return found


def _detect_in(folder: Path) -> Detected | None:
    for marker, dialect in _BACKENDS:
        if (folder / marker).is_file():
            return Detected(dialect, f"detected from {marker}")
    composes = [name for name in _COMPOSE if (folder / name).is_file()]
    for name in composes:
        if _COMPOSE_READS.search(_head(folder / name)):
            return Detected("compose", f"detected from {name}, which reads env files")
    package = folder / "package.json"
    loader = _NODE_LOADERS.search(_head(package)) if package.is_file() else None
    if loader is not None:
        return Detected("node", f"detected from package.json ({loader.group(1)})")
    for marker in _PYTHON:
        if (folder / marker).is_file():
            also = " (package.json only builds the front end)" if package.is_file() else ""
            return Detected("python", f"detected from {marker}{also}")
    if package.is_file():
        return Detected("node", "detected from package.json")
    if composes:
        return Detected("compose", f"detected from {composes[0]}")
    return None


def _head(path: Path) -> str:
    """A marker file's text, capped: only its words are looked at."""
    try:
        return read_text(path, DEFAULT_MAX_BYTES)
    except UnreadableFile:
        return ""


def parse(text: str, dialect: str) -> list[Line]:
    """Every line of `text` as `dialect`'s loader reads it.

    The plain lines at the top of the file are read by the shared fast path
    (`drift.dialects.plain`), the rest by the dialect's full parser: the python dialect
    comes back to the fast path after every statement, the others read on to the end (with
    what the plain lines set, for the dialects that interpolate).
    """
    if dialect not in DIALECTS:
        raise ValueError(f"unknown dialect {dialect!r}")
    module = importlib.import_module(f"drift.dialects.{dialect}")
    if dialect in _FULL_ONLY:
        full: Callable[[str], list[Line]] = module.parse
        return full(text)
    lines: list[Line] = []
    pos, number = plain.read(text, 0, 1, lines)
    rest = text[pos:]
    if pos and rest.startswith("\ufeff"):  # a byte-order mark means something only at the start
        lines, rest, number = [], text, 1
    if dialect in _INTERPOLATING:
        known = {line.key: line.value for line in lines if isinstance(line, Assignment)}
        tail: list[Line] = module.parse(rest, known)
    else:
        tail = module.parse(rest)
    if number > 1:
        tail = [line._replace(line=line.line + number - 1) for line in tail]
    lines.extend(tail)
    return lines


class EnvText:
    """What one dotenv text sets: the last assignment of each key wins."""

    __slots__ = ("malformed", "problems", "unknown", "values")

    def __init__(self) -> None:
        self.values: dict[str, Assignment] = {}
        self.problems: list[Problem] = []
        #: True when a line was rejected or skipped: some keys may be lost.
        self.malformed = False
        #: Keys set by a line whose value only the running application knows (line numbers).
        self.unknown: dict[str, int] = {}


_UNSETS = attrgetter("unset")


def read(text: str, dialect: str, expand: bool, shown: str) -> EnvText:
    """The values a text sets for the application, with its malformed and duplicate lines.

    `shown` names the file in messages; no message ever holds a line's text.
    """
    result = EnvText()
    lines = parse(text, dialect)
    # two passes that only compare types, since most files hold no malformed line at all
    assignments = [line for line in lines if type(line) is Assignment]
    unsets = any(map(_UNSETS, assignments))
    for line in (line for line in lines if type(line) is Malformed):
        result.problems.append(_malformed(shown, line.line, line.reason))
        result.malformed = True
        if line.key is not None:
            result.unknown[line.key] = line.line
    if expand:
        from drift.dialects.expand import ExpansionLoop, expand_node, expand_python

        try:
            assignments = expand_node(assignments) if dialect == "node" else expand_python(assignments)
        except ExpansionLoop:
            result.problems.append(_malformed(shown, 0, "a ${...} expansion never settles"))
            result.malformed = True
    # the common case in one step: no key twice, and no bare KEY (which unsets it)
    result.values = {assignment.key: assignment for assignment in assignments}
    if len(result.values) == len(assignments) and not result.malformed and not unsets:
        return result
    if result.unknown:
        assignments = [a for a in assignments if result.unknown.get(a.key, 0) < a.line]
        result.unknown = {k: n for k, n in result.unknown.items() if not any(a.key == k for a in assignments)}
    result.values = {}
    for assignment in assignments:
        if assignment.unset:
            result.values.pop(assignment.key, None)
            continue
        previous = result.values.get(assignment.key)
        if previous is not None:
            result.problems.append(
                Problem(
                    "repeated-assignment",
                    assignment.key,
                    f"{assignment.key} is assigned twice in {shown} (lines {previous.line} and {assignment.line}); "
                    "the last one wins",
                    f"{shown}:{assignment.line}",
                    discriminator=shown,
                )
            )
        result.values[assignment.key] = assignment
    return result


def _malformed(shown: str, line: int, reason: str) -> Problem:
    where = f"{shown}:{line}" if line else shown
    return Problem(
        "unreadable-line",
        None,
        f"cannot read {shown} line {line}: {reason}" if line else f"cannot read {shown}: {reason}",
        where,
        discriminator=where,
    )
