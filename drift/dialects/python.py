"""The `python` dialect: python-dotenv's rules, read with python-dotenv's own parser.

python-dotenv is both the loader and, here, the parser, so nothing is imitated; this module
only turns its bindings into numbered lines. A byte-order mark stays part of the first key,
as it does when python-dotenv opens the file; a bare `KEY` line (python-dotenv returns it
with no value and sets nothing) is reported as `malformed`.
"""

from __future__ import annotations

import io

from dotenv.parser import parse_stream

from drift.dialects.lines import Assignment, Blank, Comment, Line, Malformed


def parse(text: str) -> list[Line]:
    """Every line of `text` as python-dotenv reads it, numbered from 1, in order."""
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
        elif binding.key is not None and binding.value is None:
            lines.append(Malformed(line, "no '=' after the key: python-dotenv sets nothing for it"))
            lines.append(Assignment(binding.key, "", line, unset=True))
        elif binding.key is not None and binding.value is not None:
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
