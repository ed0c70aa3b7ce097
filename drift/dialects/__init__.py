"""Dotenv dialects: a file means what the application's loader makes of it.

`node` (the dotenv npm package), `python` (python-dotenv), `compose` (Docker Compose
env_file), `shell` (`set -a; . file`) and `systemd` (a unit's `EnvironmentFile=`). Each
turns a text into numbered lines; `read` turns a text into the values one source holds, with
`malformed` and `duplicate` problems, and is the only place any dotenv text is read (files,
ECS environment files, command output, `drift diff`).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from drift.dialects import plain
from drift.dialects.lines import Assignment, Blank, Comment, Line, Malformed
from drift.files import DEFAULT_MAX_BYTES, UnreadableFile, read_text
from drift.model import Problem

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
DIALECTS = ("node", "python", "compose", "shell", "systemd")
#: What each dialect is detected from, in order: the first file found beside the schema wins.
_MARKERS = (
    ("package.json", "node"),
    ("pyproject.toml", "python"),
    ("requirements.txt", "python"),
    ("setup.py", "python"),
    ("Pipfile", "python"),
    ("compose.yaml", "compose"),
    ("compose.yml", "compose"),
    ("docker-compose.yml", "compose"),
    ("docker-compose.yaml", "compose"),
)
DEFAULT_DIALECT = "python"
#: The dialects whose full parser interpolates from the lines above.
_INTERPOLATING = ("compose", "shell")


class Detected(NamedTuple):
    """A dialect and why it was chosen (shown in report headers)."""

    name: str
    reason: str

    def __str__(self) -> str:
        return f"{self.name} ({self.reason})"


DEFAULT = Detected(DEFAULT_DIALECT, "default")


def detect(folder: Path) -> Detected:
    """The dialect the project in `folder` loads its env files with, from the files there."""
    for marker, dialect in _MARKERS:
        if (folder / marker).is_file():
            return Detected(dialect, f"detected from {marker}")
    return DEFAULT


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
    if dialect == "python":
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


@dataclass
class EnvText:
    """What one dotenv text sets: the last assignment of each key wins."""

    values: dict[str, Assignment] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    #: True when a line was rejected or skipped: some keys may be lost.
    malformed: bool = False


def read(text: str, dialect: str, expand: bool, shown: str) -> EnvText:
    """The values a text sets for the application, with its malformed and duplicate lines.

    `shown` names the file in messages; no message ever holds a line's text.
    """
    result = EnvText()
    lines = parse(text, dialect)
    assignments: list[Assignment] = []
    for line in lines:
        if type(line) is Assignment:
            assignments.append(line)
        elif type(line) is Malformed:
            result.problems.append(_malformed(shown, line.line, line.reason))
            result.malformed = True
    if expand:
        from drift.dialects.expand import ExpansionLoop, expand_node, expand_python

        try:
            assignments = expand_node(assignments) if dialect == "node" else expand_python(assignments)
        except ExpansionLoop:
            result.problems.append(_malformed(shown, 0, "a ${...} expansion never settles"))
            result.malformed = True
    # the common case in one step: no key twice, and no bare KEY (which comes with a malformed line)
    result.values = {assignment.key: assignment for assignment in assignments}
    if len(result.values) == len(assignments) and not result.malformed:
        return result
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
