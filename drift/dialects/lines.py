"""What every dialect turns a dotenv text into: numbered lines (named tuples: cheap to
create by the hundred thousand, and to define on every start-up).

The `.env.example` parser needs comments and blank lines (descriptions and their ends), the
collectors need assignments and the lines a loader would reject; one line model serves both.
"""

from bisect import bisect_left
from typing import NamedTuple


class Assignment(NamedTuple):
    """`KEY=value` as the loader reads it."""

    key: str
    value: str
    line: int
    #: The loader drops the key here although an earlier line set it (python-dotenv's bare
    #: `KEY`, which comes with a Malformed line saying so).
    unset: bool = False
    #: The application reads no value here on purpose (Laravel's `null` / `empty` keywords):
    #: in an example file, a known optional key.
    null: bool = False


class Comment(NamedTuple):
    """A `# ...` line; `text` is what follows the `#`, stripped."""

    text: str
    line: int


class Blank(NamedTuple):
    """An empty line: it ends the comment block that describes the next key."""

    line: int


class Malformed(NamedTuple):
    """A line the dialect's loader rejects or silently skips; a key on it may be lost."""

    line: int
    reason: str
    #: The key the line sets when the loader would compute its value at run time (a command
    #: the ruby gem runs): the key is there, its value unknown.
    key: str | None = None


Line = Assignment | Comment | Blank | Malformed


class LineIndex:
    """Line numbers of character offsets in one text (`\\n` ends a line).

    Counting the newlines before an offset for every statement made a parser quadratic in
    the file's length (a 5,000-line file took half a second); the newlines are found once.
    """

    __slots__ = ("_newlines",)

    def __init__(self, text: str) -> None:
        newlines: list[int] = []
        index = text.find("\n")
        while index >= 0:
            newlines.append(index)
            index = text.find("\n", index + 1)
        self._newlines = newlines

    def __call__(self, offset: int) -> int:
        """The 1-based line number of `offset`."""
        return bisect_left(self._newlines, offset) + 1


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
