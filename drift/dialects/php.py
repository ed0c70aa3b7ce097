"""The `php` dialect: vlucas/phpdotenv 5 (Laravel's and most PHP applications' loader), then
what Laravel's `env()` makes of a value.

phpdotenv reads in three steps, reproduced here:

1. `Lines::process`: the text is split at `\\r\\n`, `\\n` or `\\r`; a line holding `="` whose
   quotes do not close starts a multi-line value that runs to the next line holding a `"` not
   after a backslash (a comment line can start one too: phpdotenv does not know comments
   yet); blank lines and lines starting with `#` are dropped.
2. `EntryParser`: each entry splits at its first `=` (both sides trimmed of PHP's `trim`
   characters); `export ` is dropped from a name; a name may be quoted and must match
   `[A-Za-z0-9_.]+`; the value goes through a token state machine: unquoted text ends at
   white space (anything but a comment after it is refused: "unexpected whitespace"),
   '...' is literal, "..." knows the escapes `\\"`, `\\\\`, `\\$`, `\\f`, `\\n`, `\\r`, `\\t`,
   `\\v` and refuses any other, a quote left open is refused. A name with no `=` clears the
   variable.
3. `Resolver`: `${NAME}` in unquoted and double-quoted text is replaced by the value an earlier
   line of the file gave NAME; anything else (`$NAME`, an unknown name) stays as written.

phpdotenv refuses the whole file at its first bad entry (the application does not start);
drift reports each refused entry as `malformed` and reads the others. Then Laravel's `env()`:
`null`, `(null)`, `empty` and `(empty)` (any case) read as no value, `(true)` / `(false)` as the
flags. Nothing comes from drift's own environment.
"""

from __future__ import annotations

import re

from drift.dialects.lines import Assignment, Blank, Comment, Line, Malformed

#: PHP's `trim()` characters, and `ctype_space()`'s.
_TRIM = " \t\n\r\0\x0b"
_CTYPE_SPACE = " \t\n\r\x0b\x0c"
_SPLIT = re.compile(r"\r\n|\n|\r")
#: The lexer's tokens (phpdotenv's `Lexer::PATTERNS`, on characters).
_TOKEN = re.compile(r"[\r\n]{1,1000}|[^\S\r\n]{1,1000}|\\|'|\"|#|\$|[^\s\\'\"#$]{1,1000}", re.ASCII)
_CLOSING_QUOTE = re.compile(r'(?=([^\\]"))')
_NAME = re.compile(r"[a-zA-Z0-9_.]+")
_VARIABLE = re.compile(r"\$\{([a-zA-Z0-9_.]+)\}")
#: What Laravel's `env()` reads a value as, by its lower-cased text.
_QUOTED = re.compile(r"(['\"])(.*)\1")
_NO_VALUE = frozenset({"null", "(null)", "empty", "(empty)"})
_LARAVEL = {"null": "", "(null)": "", "empty": "", "(empty)": "", "(true)": "true", "(false)": "false"}

INITIAL, UNQUOTED, SINGLE, DOUBLE, ESCAPE, WHITESPACE, COMMENT = range(7)


class Refused(Exception):
    """phpdotenv's InvalidFileException, with its cause."""


def parse(text: str) -> list[Line]:
    """Every line of `text` as phpdotenv reads it, values as Laravel's `env()` returns them."""
    if text.startswith("\ufeff"):  # phpdotenv's reader drops a UTF-8 byte-order mark
        text = text[1:]
    found: list[Line] = []
    known: dict[str, str] = {}
    for first, entry in _entries(_SPLIT.split(text)):
        if entry is None:
            found.append(Malformed(first, _UNCLOSED))
            continue
        stripped = entry.strip(_TRIM)
        if not stripped:
            found.append(Blank(first))
            continue
        if stripped.startswith("#"):
            found.append(Comment(stripped[1:].split("\n", 1)[0].strip(), first))
            # a comment holding `="` runs on like a value: keys on its other lines are lost
            lost = [n for n, body in enumerate(entry.split("\n")[1:], first + 1) if body.strip(_TRIM)]
            found.extend(Malformed(n, _SWALLOWED) for n in lost)
            continue
        try:
            name, value = _entry(entry, known)
        except Refused as exc:
            found.append(Malformed(first, f"phpdotenv refuses this line ({exc}), and with it the whole file"))
            continue
        if value is None:
            known.pop(name, None)
            found.append(Assignment(name, "", first, unset=True))
            continue
        known[name] = value
        found.append(Assignment(name, laravel(value), first, null=value.lower() in _NO_VALUE))
    return found


_UNCLOSED = "a quoted value never closed: phpdotenv drops this line and every line after it"
_SWALLOWED = 'phpdotenv reads this line as part of a comment above (its `="` never closed): a key here is lost'


def laravel(value: str) -> str:
    """What Laravel's `env()` returns for a value phpdotenv read (`Illuminate\\Support\\Env`):
    the keywords, then one pair of surrounding quotes dropped."""
    keyword = _LARAVEL.get(value.lower())
    if keyword is not None:
        return keyword
    quoted = _QUOTED.fullmatch(value)
    return quoted.group(2) if quoted else value


def _entries(lines: list[str]) -> list[tuple[int, str | None]]:
    """(first line, text) of each entry: `Lines::multilineProcess`; text None for a multi-line
    value that never closes (phpdotenv drops it without a word)."""
    out: list[tuple[int, str | None]] = []
    buffer: list[str] = []
    start = 0
    for number, line in enumerate(lines, start=1):
        started = '="' in line and not _stops(line, True)
        if started or buffer:
            if not buffer:
                start = number
            buffer.append(line)
            if _stops(line, started):
                out.append((start, "\n".join(buffer)))
                buffer = []
            continue
        out.append((number, line))
    if buffer:
        out.append((start, None))
    return out


def _stops(line: str, started: bool) -> bool:
    """`Lines::looksLikeMultilineStop`: a `"` not after a backslash (two, on the first line)."""
    if line == '"':
        return True
    count = len(_CLOSING_QUOTE.findall(line.replace("\\\\", "")))
    return count > 1 if started else count >= 1


def _entry(entry: str, known: dict[str, str]) -> tuple[str, str | None]:
    if "=" in entry:
        raw_name, raw_value = (part.strip(_TRIM) for part in entry.split("=", 1))
        if raw_name == "":
            raise Refused("an unexpected equals")
    else:
        raw_name, raw_value = entry, None
    name = raw_name
    if len(name) > 8 and name.startswith("export") and name[6] in _CTYPE_SPACE:
        name = name[6:].lstrip(_TRIM)
    if len(name) >= 3 and name[0] == name[-1] and name[0] in "\"'":
        name = name[1:-1]
    if not _NAME.fullmatch(name):
        raise Refused("an invalid name")
    if raw_value is None:
        return name, None
    return name, _value(raw_value, known)


def _value(value: str, known: dict[str, str]) -> str:
    """`EntryParser::parseValue` and `Resolver::resolve`."""
    if value.strip(_TRIM) == "":
        return ""
    chars: list[str] = []
    length = 0
    variables: list[int] = []
    state = INITIAL
    for token in _TOKEN.findall(value):
        text, variable, state = _step(state, token)
        if variable:
            variables.append(length)
        chars.append(text)
        length += len(text)
    if state in (SINGLE, DOUBLE, ESCAPE):
        raise Refused("a missing closing quote")
    text = "".join(chars)
    # `${NAME}` spans never hold another `$`, so resolving left to right in one pass gives what
    # phpdotenv's right-to-left replacements give, in linear time
    pieces = []
    pos = 0
    for index in variables:
        match = _VARIABLE.match(text, index)
        if match is not None and match.group(1) in known:
            pieces += [text[pos:index], known[match.group(1)]]
            pos = match.end()
    pieces.append(text[pos:])
    return "".join(pieces)


def _step(state: int, token: str) -> tuple[str, bool, int]:
    """One token through `EntryParser::processToken`: (text appended, a `$` to resolve, state)."""
    space = all(c in _CTYPE_SPACE for c in token)
    if state in (INITIAL, UNQUOTED):
        if token == "'" and state == INITIAL:
            return "", False, SINGLE
        if token == '"' and state == INITIAL:
            return "", False, DOUBLE
        if token == "#":
            return "", False, COMMENT
        if state == UNQUOTED and space:
            return "", False, WHITESPACE
        return token, token == "$", UNQUOTED
    if state == SINGLE:
        return ("", False, WHITESPACE) if token == "'" else (token, False, SINGLE)
    if state == DOUBLE:
        if token == '"':
            return "", False, WHITESPACE
        if token == "\\":
            return "", False, ESCAPE
        return token, token == "$", DOUBLE
    if state == ESCAPE:
        if token in ('"', "\\", "$"):
            return token, False, DOUBLE
        if token[0] in "fnrtv":
            return {"f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}[token[0]] + token[1:], False, DOUBLE
        raise Refused("an unexpected escape sequence")
    if state == WHITESPACE:
        if token == "#":
            return "", False, COMMENT
        if not space:
            raise Refused("unexpected whitespace")
        return "", False, WHITESPACE
    return "", False, COMMENT
