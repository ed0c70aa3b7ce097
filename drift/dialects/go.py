"""The `go` dialect: joho/godotenv (1.5, as Debian ships it), the loader of most Go services,
reproduced step for step from its `parser.go`:

- `\\r\\n` becomes `\\n`; a statement starts at the first character that is not white space
  (Go's `unicode.IsSpace`); a statement starting with `#` runs to the end of its line;
- the key: `export` and white space dropped, then every byte up to `=` or `:` must be a
  letter, a digit, `_`, `.` or white space (godotenv judges each byte of a UTF-8 character
  as if it were a character of its own, so most accented names are refused) and is kept with
  inner spaces, trailing white space trimmed;
- an unquoted value runs to the end of the line; the last ` #` on it starts a comment; white
  space around is trimmed;
- a quoted value runs to the first matching quote not right after a backslash, across lines;
  what follows the closing quote on that line is read as the next statement; in "...", `\\n`
  and `\\r` become line breaks and a backslash before anything but `$` is dropped;
- in unquoted and double-quoted values `$NAME` / `${NAME}` (upper-case names) becomes the value
  an earlier statement set, or nothing; `\\$` is a literal `$` (never drift's own environment).

godotenv refuses the whole file at its first error (the service does not start): drift reports
that line as `malformed` and reads nothing after it.
"""

from __future__ import annotations

import re
import unicodedata

from drift.dialects.lines import Assignment, Line, LineIndex, Malformed, fill

#: Go's `unicode.IsSpace`.
GO_SPACE = frozenset("\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
                     "\u2028\u2029\u202f\u205f\u3000")  # fmt: skip
#: godotenv's `isSpace`: white space that is not a line break.
_SPACE = "\t\v\f\r \x85\xa0"
_ESCAPE = re.compile(r"\\.")
_UNESCAPE = re.compile(r"\\([^$])")
_EXPAND = re.compile(r"(\\)?(\$)(\()?\{?([A-Z0-9_]+)?\}?")

REFUSED = "godotenv refuses the whole file here ({}), so the service does not start"


class Refused(Exception):
    """godotenv's parse error, at an offset."""

    def __init__(self, offset: int, reason: str) -> None:
        super().__init__(reason)
        self.offset = offset
        self.reason = reason


def parse(text: str, known: dict[str, str] | None = None) -> list[Line]:
    """Every statement of `text` as godotenv reads it; `known` holds what the lines before
    `text` set (the plain lines read by the shared fast path)."""
    text = text.replace("\r\n", "\n")
    line_of = LineIndex(text)
    values = dict(known or {})
    found: list[Line] = []
    covered: set[int] = set()
    pos: int | None = 0
    try:
        while pos is not None and (start := _statement_start(text, pos)) is not None:
            key, pos = _key(text, start)
            value, pos = _value(text, pos, values)
            first, last = line_of(start), line_of(max(start, (len(text) if pos is None else pos) - 1))
            covered.update(range(first, last + 1))
            if key == "":
                found.append(Malformed(first, "godotenv reads this as a value with no name"))
                continue
            values[key] = value
            found.append(Assignment(key, value, first))
    except Refused as exc:
        line = line_of(exc.offset)
        found.append(Malformed(line, REFUSED.format(exc.reason)))
        covered.update(range(line, text.count("\n") + 2))
    return fill(text, found, covered, "godotenv does not read this line")


def _statement_start(text: str, pos: int) -> int | None:
    """`getStatementStart`: the next character that is not white space, past comment lines."""
    while True:
        while pos < len(text) and text[pos] in GO_SPACE:
            pos += 1
        if pos >= len(text):
            return None
        if text[pos] != "#":
            return pos
        newline = text.find("\n", pos)
        if newline < 0:
            return None
        pos = newline


def _key(text: str, pos: int) -> tuple[str, int]:
    """`locateKeyName`: the key and where its value starts."""
    while pos < len(text) and text[pos] in _SPACE:
        pos += 1
    if text.startswith("export", pos) and pos + 6 < len(text) and text[pos + 6] in _SPACE:
        pos += 6
        while pos < len(text) and text[pos] in _SPACE:
            pos += 1
    start = pos
    if start >= len(text):
        raise Refused(min(start, max(len(text) - 1, 0)), "nothing after `export`")
    for index in range(pos, len(text)):
        char = text[index]
        if char in "=:":
            key = text[start:index].rstrip("".join(GO_SPACE))
            value = index + 1
            while value < len(text) and text[value] in _SPACE:
                value += 1
            return key, value
        if not _key_character(char):
            raise Refused(index, "an unexpected character in a name")
    return "", start  # no `=` before the end: the rest is a value with an empty name


def _key_character(char: str) -> bool:
    """Whether godotenv accepts the character in a name, byte by byte as it judges them."""
    if char.isascii():
        return char.isalnum() or char in "_." or char in _SPACE
    for byte in char.encode("utf-8", "surrogatepass"):
        category = unicodedata.category(chr(byte))
        if not (chr(byte) in _SPACE or category.startswith("L") or category in ("Nd", "Nl", "No")):
            return False
    return True


def _value(text: str, pos: int, values: dict[str, str]) -> tuple[str, int | None]:
    """`extractVarValue`: the value and where the next statement may start (None: the end)."""
    if pos >= len(text):
        return "", None
    quote = text[pos]
    if quote not in "\"'":
        end = min((i for i in (text.find("\n", pos), text.find("\r", pos)) if i >= 0), default=len(text))
        line = text[pos:end]
        cut = len(line)
        for index in range(len(line) - 1, 0, -1):
            if line[index] == "#" and line[index - 1] in _SPACE:
                cut = index
                break
        return _expand(line[:cut].strip(_SPACE), values), end
    for index in range(pos + 1, len(text)):
        if text[index] == quote and text[index - 1] != "\\":
            value = text[pos:index].lstrip(quote).rstrip(quote)
            if quote == '"':
                value = _expand(_escapes(value), values)
            return value, index + 1
    raise Refused(pos, "a quoted value never closed")


def _escapes(value: str) -> str:
    """`expandEscapes`: `\\n` and `\\r`, then a backslash dropped before anything but `$`."""
    value = _ESCAPE.sub(lambda m: {"n": "\n", "r": "\r"}.get(m.group()[1], m.group()), value)
    return _UNESCAPE.sub(r"\1", value)


def _expand(value: str, values: dict[str, str]) -> str:
    """`expandVariables`, from the statements before (never the process environment)."""

    def one(match: re.Match[str]) -> str:
        if match.group(1):
            return match.group()[1:]
        if match.group(4):
            return values.get(match.group(4), "")
        return match.group()

    return _EXPAND.sub(one, value)
