"""The `python` dialect: python-dotenv's rules, read with python-dotenv's own parser.

python-dotenv is both the loader and, here, the parser, so nothing is imitated; this module
only turns its bindings into numbered lines. A byte-order mark is dropped at the start of the
file only, as python-dotenv does; a bare `KEY` line (python-dotenv returns it
with no value and sets nothing) is reported as `malformed`.

python-dotenv's parser matches a regular expression per token; plain lines (see
`drift.dialects.plain`) are read by the shared fast path instead, and python-dotenv reads
from the first other line until its statement ends at a line that is plain again. Its
statements do not depend on each other, so where one starts is all it needs to know.
"""

from __future__ import annotations

import io

from drift.dialects import plain
from drift.dialects.lines import Assignment, Blank, Comment, Line, Malformed


def parse(text: str) -> list[Line]:
    """Every line of `text` as python-dotenv reads it, numbered from 1, in order."""
    lines: list[Line] = []
    pos, number = plain.read(text, 0, 1, lines)
    while pos < len(text):
        pos, number = _statements(text, pos, number, lines)
        pos, number = plain.read(text, pos, number, lines)
    return lines


def _statements(text: str, pos: int, number: int, lines: list[Line]) -> tuple[int, int]:
    """python-dotenv's reading of `text` from `pos` (line `number`), up to the end or to the
    first plain line after a statement that ended with `\\n`; where it stopped."""
    from dotenv.parser import parse_stream  # a file of plain lines never needs it (start-up time)

    source = text[pos:]
    if source.startswith("\ufeff"):  # python-dotenv drops a byte-order mark at the start only
        if pos:
            source = "\ufeff" + source
        else:
            pos = 1
    for binding in parse_stream(io.StringIO(source)):
        chunk = binding.original.string
        line = binding.original.line + number - 1
        body = chunk
        if chunk[:1].isspace():  # blank lines before the binding are part of its text
            body = chunk.lstrip()
            leading = chunk[: len(chunk) - len(body)]
            blank_lines = leading.count("\n") + leading.replace("\r\n", "").count("\r")
            lines.extend(Blank(line + offset) for offset in range(blank_lines))
            line += blank_lines
        if binding.error:
            lines.append(Malformed(line, _diagnose(body)))
        elif binding.key is not None and binding.value is None:
            lines.append(Malformed(line, "no '=' after the key: python-dotenv sets nothing for it"))
            lines.append(Assignment(binding.key, "", line, unset=True))
        elif binding.key is not None and binding.value is not None:
            lines.append(Assignment(binding.key, binding.value, line))
        elif body.startswith("#"):
            lines.append(Comment(body[1:].strip(), line))
        pos += len(chunk)
        if chunk.endswith("\n") and "\r" not in chunk and plain.starts(text, pos):
            return pos, binding.original.line + number - 1 + chunk.count("\n")
    return len(text), number


def _diagnose(text: str) -> str:
    """A short reason for a line python-dotenv rejected (it does not say why itself)."""
    first = text.splitlines()[0] if text else ""
    if "=" not in first:
        return "not a KEY=value assignment"
    value = first.partition("=")[2].strip()
    if value[:1] in {"'", '"'}:
        return "unterminated or misquoted value"
    return "text after the value (quote the value or use a # comment)"
