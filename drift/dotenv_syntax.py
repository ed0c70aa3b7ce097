"""Reading a dotenv file into numbered lines, with python-dotenv's own parser.

Shared by the `.env.example` schema parser and the `dotenv` collector so that both read files
exactly as python-dotenv-based applications do. Nothing is interpolated: `${VAR}` stays text,
because interpolation would pull the scanning machine's variables into the result (and
python-dotenv's interpolation is quadratic in the file's length).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from dotenv.parser import parse_stream

DEFAULT_MAX_BYTES = 5 * 1024 * 1024


class UnreadableFile(Exception):
    """The file cannot be read as a dotenv file at all; the message says why, never what."""


@dataclass(frozen=True, slots=True)
class Assignment:
    """`KEY=value` (value None for a bare `KEY` line with no `=`)."""

    key: str
    value: str | None
    line: int


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
    """A line python-dotenv cannot parse."""

    line: int
    reason: str


Line = Assignment | Comment | Blank | Malformed


def read_text(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The file's text, refusing what is too large, binary or not UTF-8."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise UnreadableFile(f"file is {size:,} bytes, over the {max_bytes:,}-byte limit")
        data = path.read_bytes()
    except FileNotFoundError:
        raise UnreadableFile("file not found") from None
    except IsADirectoryError:
        raise UnreadableFile("is a directory, not a file") from None
    except PermissionError:
        raise UnreadableFile("permission denied") from None
    except OSError as exc:
        raise UnreadableFile(exc.strerror or "cannot be read") from None
    if b"\x00" in data:
        raise UnreadableFile("binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UnreadableFile(f"not valid UTF-8 (line {line})") from None


def parse(text: str) -> list[Line]:
    """Every line of a dotenv text, numbered from 1, in order."""
    lines: list[Line] = []
    for binding in parse_stream(io.StringIO(text)):
        chunk = binding.original.string
        line = binding.original.line
        body = chunk
        if chunk[:1].isspace():  # blank lines before the binding are part of its text
            body = chunk.lstrip()
            leading = chunk[: len(chunk) - len(body)]
            blank_lines = leading.count("\n") + leading.replace("\r\n", "").count("\r")
            lines.extend(Blank(line + offset) for offset in range(blank_lines))
            line += blank_lines
        if binding.error:
            lines.append(Malformed(line, _diagnose(body)))
        elif binding.key is not None:
            lines.append(Assignment(binding.key, binding.value, line))
        elif body.startswith("#"):
            lines.append(Comment(body[1:].strip(), line))
    return lines


def _diagnose(text: str) -> str:
    """A short reason for a line python-dotenv rejected (it does not say why itself)."""
    first = text.splitlines()[0] if text else ""
    if "=" not in first:
        return "not a KEY=value assignment"
    value = first.partition("=")[2].strip()
    if value[:1] in {"'", '"'}:
        return "unterminated or misquoted value"
    return "text after the value (quote the value or use a # comment)"
