"""The fast path every dialect shares: lines that mean the same to every loader.

Most lines of real env files are `KEY=value` with nothing to quote, blank lines and `#`
comments. For those lines the five loaders agree, and running each dialect's full parser over
them (python-dotenv's parser matches a regular expression per token) cost three times as much
as drift's whole check. A line is plain when it is exactly one of:

- `NAME=value`: NAME is `[A-Za-z_][A-Za-z0-9_]*`, the value is ASCII letters, digits and
  `_ . / : @ + , % = -` only (no quote, space, `#`, `$`, backslash or `~`: nothing any of the
  loaders treats specially), possibly empty (unless a quote follows on a later line);
- an empty line;
- `#` at the start of the line, then no backslash (systemd continues a comment after one), no
  carriage return and no U+2028 / U+2029 (line ends for the node loader).

A dialect reads the plain lines here and gives the rest of the file to its full parser. The
differential tests hold the two paths to each other and to the real loaders.
"""

from __future__ import annotations

import re

from drift.dialects.lines import Assignment, Blank, Comment, Line

#: A run of plain lines, each ended by `\n`, matched in one step. An empty value is plain only
#: when no quote follows it across blank space: node's loader lets the space before a quoted
#: value span newlines, so `A=` then `""` on the next line is one assignment there.
_RUN = re.compile(
    r"(?:(?:[A-Za-z_][A-Za-z0-9_]*=(?:[A-Za-z0-9_./:@+,%=-]+|(?=\n(?!\s*[\"'`])))"
    r"|#[^\\\r\n\u2028\u2029]*|)\n)*"
)


def read(text: str, pos: int, number: int, out: list[Line]) -> tuple[int, int]:
    """Append to `out` the plain lines of `text` from `pos` (a line start, line `number`).

    Returns where the first line that is not plain starts and its number. A last line with
    no newline after it is left to the full parser (the loaders differ on what follows it).
    """
    match = _RUN.match(text, pos)
    end = match.end() if match else pos
    if end == pos:
        return pos, number
    append = out.append
    new = tuple.__new__  # the records built directly, without their keyword-taking __new__: a
    # fifth of this loop's time, which runs once per line of every file (20 x 5,000 lines)
    for line in text[pos : end - 1].split("\n"):
        if not line:
            append(new(Blank, (number,)))
        elif line[0] == "#":
            append(new(Comment, (line[1:].strip(), number)))
        else:
            key, _, value = line.partition("=")
            append(new(Assignment, (key, value, number, False, False)))
        number += 1
    return end, number


def starts(text: str, pos: int) -> bool:
    """Whether the line at `pos` is plain."""
    match = _RUN.match(text, pos)
    return match is not None and match.end() > pos
