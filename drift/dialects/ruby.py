"""The `ruby` dialect: the dotenv gem (Rails through dotenv-rails, Mastodon-style apps), as
Debian ships it (2.4), reproduced rule for rule:

- the text is split at every run of `\\n` / `\\r` (so no value spans lines); each line is
  matched whole by the gem's LINE expression: optional `export`, a key of `[A-Za-z0-9_.]`, `=`
  (or `: `), then '...' or "..." (each running to the last matching quote that leaves only a
  comment after it) or unquoted text up to `#`; a line it does not match is skipped without a
  word (drift says so: `malformed`), and `export NAME` for a NAME no line above set makes the
  gem refuse the whole file;
- the value is stripped, one pair of surrounding quotes removed; in "...", `\\n` and `\\r`
  become line breaks and a backslash before anything but `$` is dropped;
- outside single quotes, `$NAME` / `${NAME}` becomes the value an earlier line of the file gave
  NAME, or nothing (never drift's own environment), and `\\$` a literal `$`;
- outside single quotes, `$(...)` runs a shell command when the application loads the file.
  drift never runs it: such a line is `malformed` (its value is unknown until run time).
"""

from __future__ import annotations

import re

from drift.dialects.lines import Assignment, Blank, Comment, Line, Malformed

_LINE = re.compile(
    r"""\A\s*(?:export\s+)?([\w.]+)(?:\s*=\s*|:\s+?)('(?:'|[^'])*'|"(?:"|[^"])*"|[^#\n]+)?\s*(?:\#.*)?\Z""",
    re.ASCII,
)
_SPLIT = re.compile(r"[\n\r]+")
_QUOTED = re.compile(r"\A(['\"])(.*)\1\Z")
_UNESCAPE = re.compile(r"\\([^$])")
_VARIABLE = re.compile(r"(\\)?(\$)(?!\()\{?([A-Z0-9_]+)?\}?", re.IGNORECASE | re.ASCII)
#: Ruby's `String#strip`: leading white space, trailing white space and NUL.
_LEADING = "\t\n\v\f\r "
_TRAILING = _LEADING + "\0"
_PARENS = re.compile(r"[()]")
#: What `String#split` with no pattern splits at.
_WORDS = re.compile(r"[\t\n\v\f\r ]+")

SKIPPED = "the ruby dotenv gem skips this line (not KEY=value), so a key on it is lost"
RUNS = "the ruby dotenv gem runs the $(...) command here when the app loads the file; drift never runs it"


def parse(text: str, known: dict[str, str] | None = None) -> list[Line]:
    """Every line of `text` as the dotenv gem reads it; `known` holds what the lines before
    `text` set (the plain lines read by the shared fast path)."""
    found: list[Line] = []
    values = dict(known or {})
    number = 1
    for chunk in re.split(r"(\r\n|\n|\r)", text):
        if chunk in ("\r\n", "\n", "\r"):
            number += 1
            continue
        found.append(_line(chunk, number, values))
    return found


def _line(line: str, number: int, values: dict[str, str]) -> Line:
    stripped = line.strip(" \t\f\v")
    if not stripped:
        return Blank(number)
    match = _LINE.match(line)
    if match is None:
        words = _WORDS.split(line.strip(_LEADING))
        if words and words[0] == "export":
            if all(name in values for name in words[1:]):
                return Blank(number)  # `export NAME` of a set NAME: nothing to do
            return Malformed(number, "the ruby dotenv gem refuses the whole file: `export` of a name no line sets")
        if stripped.startswith("#"):
            return Comment(stripped[1:].strip(), number)
        return Malformed(number, SKIPPED)
    key, raw = match.group(1), match.group(2) or ""
    value = _value(raw, values)
    if value is None:
        values.pop(key, None)
        return Malformed(number, RUNS, key)
    values[key] = value
    return Assignment(key, value, number)


def _value(raw: str, values: dict[str, str]) -> str | None:
    """`Parser#parse_value` and the substitutions; None when a command would run."""
    value = raw.lstrip(_LEADING).rstrip(_TRAILING)
    quoted = _QUOTED.match(value)
    quote = quoted.group(1) if quoted else None
    if quoted:
        value = quoted.group(2)
    if quote == '"':
        value = _UNESCAPE.sub(r"\1", value.replace("\\n", "\n").replace("\\r", "\r"))
    if quote == "'":
        return value
    return _commands(_VARIABLE.sub(lambda m: _substitute(m, values), value))


def _substitute(match: re.Match[str], values: dict[str, str]) -> str:
    if match.group(1):
        return match.group()[1:]
    if match.group(3):
        return values.get(match.group(3), "")
    return match.group()


#: The `$(` a value may hold before drift stops looking (and reports the line): bounded work.
MAX_COMMANDS = 16


def _commands(value: str) -> str | None:
    """The gem's command substitution without running anything: `\\$(...)` loses its
    backslash; an unescaped `$(...)` (balanced, not empty) would run, so None."""
    out = []
    pos = 0
    for _ in range(MAX_COMMANDS):
        found = value.find("$(", pos)
        if found < 0:
            break
        escaped = found > pos and value[found - 1] == "\\"
        end = _command_end(value, found + 1)
        if end is None:
            out.append(value[pos : found + 1])
            pos = found + 1
            continue
        if not escaped:
            return None
        out.append(value[pos : found - 1] + value[found:end])
        pos = end
    else:
        return None  # more `$(` than any real value holds: each costs a scan, so fail closed
    out.append(value[pos:])
    return "".join(out)


def _command_end(value: str, open_at: int) -> int | None:
    """Where the gem's `\\((?:[^()]|\\g<cmd>)+\\)` starting at `open_at` ends, or None: each
    level holds at least one character or nested group (iterative: no recursion limit)."""
    counts = [0]
    previous = open_at
    for paren in _PARENS.finditer(value, open_at + 1):  # only the parentheses: the text between counts as one
        index = paren.start()
        if index > previous + 1:
            counts[-1] += 1
        previous = index
        if value[index] == "(":
            counts.append(0)
            continue
        if counts[-1] == 0:
            return None
        counts.pop()
        if not counts:
            return index + 1
        counts[-1] += 1
    return None
