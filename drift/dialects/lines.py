"""What every dialect turns a dotenv text into: numbered lines, and how files are read.

The `.env.example` parser needs comments and blank lines (descriptions and their ends), the
collectors need assignments and the lines a loader would reject; one line model serves both.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

DEFAULT_MAX_BYTES = 5 * 1024 * 1024


class UnreadableFile(Exception):
    """The file cannot be read as a dotenv file at all; the message says why, never what."""


@dataclass(frozen=True, slots=True)
class Assignment:
    """`KEY=value` as the loader reads it."""

    key: str
    value: str
    line: int
    #: The loader drops the key here although an earlier line set it (python-dotenv's bare
    #: `KEY`, which comes with a Malformed line saying so).
    unset: bool = False


@dataclass(frozen=True, slots=True)
class Comment:
    """A `# ...` line; `text` is what follows the `#`, stripped."""

    text: str
    line: int


@dataclass(frozen=True, slots=True)
class Blank:
    """An empty line: it ends the comment block that describes the next key."""

    line: int


@dataclass(frozen=True, slots=True)
class Malformed:
    """A line the dialect's loader rejects or silently skips; a key on it may be lost."""

    line: int
    reason: str


Line = Assignment | Comment | Blank | Malformed


def read_text(path: Path, max_bytes: int = DEFAULT_MAX_BYTES, allow_special: bool = False) -> str:
    """The file's text (a byte-order mark kept: whether it counts is the dialect's business).

    Refuses what is too large (counted by bytes actually read, so a device that reports size 0
    cannot stream forever), FIFOs, devices and sockets (unless `allow_special`), binary data
    and text that is not UTF-8.
    """
    try:
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise UnreadableFile("file not found") from None
    except IsADirectoryError:
        raise UnreadableFile("is a directory, not a file") from None
    except PermissionError:
        raise UnreadableFile("permission denied") from None
    except RuntimeError:  # a symlink loop on some platforms
        raise UnreadableFile("symbolic link loop") from None
    except OSError as exc:
        raise UnreadableFile(exc.strerror or "cannot be read") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise UnreadableFile("is a directory, not a file")
        if not stat.S_ISREG(mode):
            if not allow_special:
                raise UnreadableFile(
                    "not a regular file (a FIFO, device or socket); set allow_special = true to read it"
                )
            os.close(fd)  # opened without blocking only to look at it: now read it as asked
            fd = os.open(path, os.O_RDONLY)
        with os.fdopen(fd, "rb", closefd=True) as handle:
            fd = -1
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise UnreadableFile(exc.strerror or "cannot be read") from None
    finally:
        if fd >= 0:
            os.close(fd)
    if len(data) > max_bytes:
        raise UnreadableFile(f"file is over the {max_bytes:,}-byte limit")
    if b"\x00" in data:
        raise UnreadableFile("binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UnreadableFile(f"not valid UTF-8 (line {line})") from None


def line_of(text: str, offset: int) -> int:
    """The 1-based line number of a character offset (`\\n` ends a line)."""
    return text.count("\n", 0, offset) + 1


def fill(text: str, found: list[Line], covered: set[int], stray: str) -> list[Line]:
    """Complete a dialect's findings with the lines it did not consume.

    `covered` holds the line numbers that belong to an assignment (multi-line values
    included); every other line is blank, a comment, or text the loader skips (`stray` says
    why it is lost).
    """
    lines = list(found)
    for number, body in enumerate(text.split("\n"), start=1):
        if number in covered:
            continue
        stripped = body.strip()
        if not stripped:
            lines.append(Blank(number))
        elif stripped.startswith("#"):
            lines.append(Comment(stripped[1:].strip(), number))
        else:
            lines.append(Malformed(number, stray))
    lines.sort(key=_order)
    return lines


def _order(line: Line) -> tuple[int, int]:
    return (line.line, 0 if isinstance(line, (Blank, Comment)) else 1)
