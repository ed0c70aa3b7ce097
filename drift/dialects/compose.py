"""The `compose` dialect: Docker Compose `env_file` rules (compose-go's dotenv parser, v2).

A statement is `KEY=value` or YAML-style `KEY: value`, optionally after `export`. Unquoted
values end at the line's end and at ` #`; single quotes are literal; double quotes take the
escapes \\n \\r \\t \\\\ \\" \\$ and friends, and may span lines. Unquoted and double-quoted
values are interpolated (`$VAR`, `${VAR}`, `${VAR:-default}`, `$$`) from the keys above them
in the same file only: never from drift's own environment. A bare `KEY` inherits the value
from the environment Compose runs in, which drift cannot see, so it sets nothing here.

Compose refuses the whole file on a bad statement; drift reports the statement as
`malformed` and reads on from the next line, so one typo does not hide the rest.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from drift.dialects import substitution
from drift.dialects.lines import Assignment, Line, LineIndex, Malformed, fill

_EXPORT = re.compile(r"export[\t\n\f\r ]+")
_ESCAPE = re.compile(r"\\(?:[abfnrtv$\"\\]|0[0-9]{0,3})")
_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", '"': '"', "\\": "\\"}


class BadInterpolation(Exception):
    """A statement compose would refuse; the message never holds a value."""


def _go_space(char: str) -> bool:
    """Go's unicode.IsSpace."""
    return char in "\t\n\v\f\r \x85\xa0" or unicodedata.category(char) in ("Zs", "Zl", "Zp")


def _inline_space(char: str) -> bool:
    """compose-go's isSpace: white space that is not a line break."""
    return char in "\t\v\f\r \x85\xa0"


def _key_char(char: str) -> bool:
    return char in "_.-[]" or char.isalpha() or unicodedata.category(char) in ("Nd", "Nl", "No")


def parse(text: str, known: Mapping[str, str] | None = None) -> list[Line]:
    """Every statement of an env_file as Compose reads it; `known` holds what the lines above
    `text` set, when `text` is the rest of a file."""
    text = text.removeprefix("\ufeff")
    found: list[Line] = []
    covered: set[int] = set()
    values: dict[str, str] = dict(known or {})
    line_of = LineIndex(text)
    pos, end = 0, len(text)
    while True:
        while pos < end and (_go_space(text[pos]) or text[pos] == "#"):
            if text[pos] == "#":
                newline = text.find("\n", pos)
                pos = end if newline < 0 else newline
            else:
                pos += 1
        if pos >= end:
            break
        start = pos
        try:
            key, value, pos = _statement(text, pos, values)
        except BadInterpolation as exc:
            line = line_of(start)
            found.append(Malformed(line, f"Compose refuses this line: {exc}"))
            covered.add(line)
            newline = text.find("\n", start)
            pos = end if newline < 0 else newline + 1
            continue
        covered.update(range(line_of(start), line_of(max(start, pos - 1)) + 1))
        if key is not None and value is not None:
            values[key] = value
            found.append(Assignment(key, value, line_of(start)))
    return fill(text, found, covered, "Compose does not read this line")


def _statement(text: str, pos: int, values: Mapping[str, str]) -> tuple[str | None, str | None, int]:
    """One statement from `pos`: (key, value, where the next statement may start)."""
    export = _EXPORT.match(text, pos)
    if export is not None:
        pos += len("export")
        while pos < len(text) and _inline_space(text[pos]):
            pos += 1
    index = pos
    while index < len(text):
        char = text[index]
        if char in "=:\n":
            break
        if not _inline_space(char) and not _key_char(char):
            raise BadInterpolation("unexpected character in the variable name")
        index += 1
    if index >= len(text):  # no terminator: compose reads the text as the value of key ""
        key, inherited, rest = "", False, pos
    else:
        key, inherited, rest = text[pos:index], text[index] == "\n", index + 1
    while key and _go_space(key[-1]):
        key = key[:-1]
    if " " in key:
        raise BadInterpolation("a key cannot contain a space")
    while rest < len(text) and _inline_space(text[rest]):
        rest += 1
    if inherited:
        return None, None, rest
    value, rest = _value(text, rest, values)
    return key, value, rest


def _value(text: str, pos: int, values: Mapping[str, str]) -> tuple[str, int]:
    quote = text[pos] if pos < len(text) and text[pos] in "'\"" else ""
    if not quote:
        newline = text.find("\n", pos)
        stop = len(text) if newline < 0 else newline
        raw = text[pos:stop].split(" #", 1)[0]
        while raw and _go_space(raw[-1]):
            raw = raw[:-1]
        return interpolate(raw, values), stop
    chars: list[str] = []
    escaped = False
    for index in range(pos + 1, len(text)):
        char = text[index]
        if escaped:
            escaped = False
            if char != quote:
                chars.append("\\")
            chars.append(char)
        elif char == "\\":
            escaped = True
        elif char == quote:
            raw = "".join(chars)
            if quote == '"':
                raw = interpolate(_ESCAPE.sub(_unescape, raw), values)
            return raw, index + 1
        else:
            chars.append(char)
    raise BadInterpolation("unterminated quoted value")


def _unescape(match: re.Match[str]) -> str:
    sequence = match.group()[1:]
    if sequence == "$":
        return "$$"  # a literal dollar, kept from interpolation
    if sequence.startswith("0"):  # Go reads exactly three octal digits after \0, else keeps the text
        digits = sequence[1:]
        if len(digits) == 3 and set(digits) <= set("01234567") and int(digits, 8) <= 255:
            return chr(int(digits, 8))
        return match.group()
    return _ESCAPES[sequence]


#: `${A:-${B:-...}}` nested deeper than this is refused (bounded work on any input).
MAX_NESTING = 50


def interpolate(text: str, values: Mapping[str, str], depth: int = 0) -> str:
    """Compose's `$` substitution, resolving names from `values` only (unset: empty)."""
    if depth > MAX_NESTING:
        raise BadInterpolation(f"invalid interpolation: nested more than {MAX_NESTING} levels deep")
    out: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char != "$":
            out.append(char)
            index += 1
            continue
        following = text[index + 1 : index + 2]
        if following == "$":
            out.append("$")
            index += 2
        elif following == "{":
            close = _closing_brace(text, index + 2)
            out.append(_braced(text[index + 2 : close], values, depth))
            index = close + 1
        else:
            name = substitution.NAME.match(text, index + 1)
            if name is None:
                raise BadInterpolation("invalid interpolation: a '$' must start $NAME, ${NAME} or $$")
            out.append(values.get(name.group(), ""))
            index = name.end()
    return "".join(out)


def _closing_brace(text: str, start: int) -> int:
    depth = 1
    for index in range(start, len(text)):
        if text[index] == "{" and text[index - 1] == "$":
            depth += 1
        elif text[index] == "}":
            depth -= 1
            if depth == 0:
                return index
    raise BadInterpolation("invalid interpolation: unclosed '${'")


def _braced(body: str, values: Mapping[str, str], depth: int) -> str:
    parts = substitution.split(body)
    if parts is None:
        raise BadInterpolation("invalid interpolation: a bad name or operator in ${...}")
    name, operator, word = parts
    try:
        return substitution.resolve(values.get(name), operator, lambda: interpolate(word, values, depth + 1))
    except substitution.Unset:
        raise BadInterpolation("a required variable is not set") from None
