"""The `shell` dialect: what a POSIX shell's `set -a; . ./file` assigns, without running it.

Assignments (`NAME=value`, `export NAME=value`, several on a line, `;` between them) are
read with the shell's quoting: single quotes literal, double quotes with `\\$ \\" \\\\ \\``
escapes, backslashes and line continuations outside quotes. `$NAME`, `${NAME}` and
`${NAME:-word}` / `${NAME-word}` / `${NAME:+word}` / `${NAME+word}` expand from the
assignments above them in the same file, and to nothing otherwise, as in a clean environment
(`env -i`): drift's own environment never leaks in.

Anything that would run or depend on the machine is refused as `malformed` rather than
guessed: a command, a pipe or redirection, `$(...)` and backquotes, `$((...))`, special
parameters (`$1`, `$$`, ...), tilde expansion, and bash's `$'...'` / `$"..."` quoting.
The differential tests hold this to bash itself.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from drift.dialects import substitution
from drift.dialects.lines import Assignment, Line, LineIndex, Malformed, fill

_ASSIGNMENT = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)=")
_EXPORT_ARG = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_OPERATORS = "&|<>()"
_BLANKS = " \t"


class _Refused(Exception):
    """Something drift will not evaluate; the message never holds a value."""


@dataclass
class _Word:
    """One shell word: its text after quote removal and expansion, and how it began."""

    text: str
    line: int
    #: `NAME` when the word is an assignment (`NAME=` unquoted at its start).
    assigns: str | None = None
    #: Whether any part was quoted (a quoted word is never `export`).
    quoted: bool = False


@dataclass
class _Command:
    words: list[_Word] = field(default_factory=list)
    first_line: int = 0
    last_line: int = 0


class _Reader:
    def __init__(self, text: str, known: Mapping[str, str]) -> None:
        self.text = text
        self.pos = 0
        self.values: dict[str, str] = dict(known)
        self.line_of = LineIndex(text)

    def line(self, at: int | None = None) -> int:
        return self.line_of(self.pos if at is None else at)

    def peek(self, offset: int = 0) -> str:
        index = self.pos + offset
        return self.text[index] if index < len(self.text) else ""

    def command(self) -> _Command | None:
        """The next simple command, or None at the end of the text."""
        text = self.text
        command = _Command()
        while self.pos < len(text):
            char = text[self.pos]
            if char in _BLANKS:
                self.pos += 1
            elif char == "\\" and self.peek(1) == "\n":
                self.pos += 2
            elif char == "#":
                newline = text.find("\n", self.pos)
                self.pos = len(text) if newline < 0 else newline
            elif char in "\n;":
                self.pos += 1
                if command.words:
                    command.last_line = self.line(self.pos - 1)
                    return command
            elif char in _OPERATORS:
                raise _Refused("a pipe, redirection, background job or subshell would run something")
            else:
                if not command.words:
                    command.first_line = self.line()
                word = self.word()
                command.words.append(word)
                if all(w.assigns is not None for w in command.words):
                    # a prefix of assignments takes effect word by word: `A=1 B=$A` sets B to 1
                    self.values[str(word.assigns)] = word.text
        if command.words:
            command.last_line = self.line(len(text) - 1)
            return command
        return None

    def word(self) -> _Word:
        word = _Word("", self.line())
        assignment = _ASSIGNMENT.match(self.text, self.pos)
        parts: list[str] = []
        if assignment is not None:
            word.assigns = assignment.group(1)
            self.pos = assignment.end()
            if self.peek() == "~":
                raise _Refused("tilde expansion depends on the machine")
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char in _BLANKS or char in "\n;" or char in _OPERATORS:
                break
            if char == "\\":
                following = self.peek(1)
                self.pos += 2
                if following != "\n":
                    parts.append(following)
                word.quoted = True
            elif char == "'":
                close = text.find("'", self.pos + 1)
                if close < 0:
                    raise _Refused("unterminated single quote")
                parts.append(text[self.pos + 1 : close])
                self.pos = close + 1
                word.quoted = True
            elif char == '"':
                parts.append(self.double_quoted())
                word.quoted = True
            elif char == "$":
                parts.append(self.dollar())
            elif char == "`":
                raise _Refused("command substitution would run a command")
            else:
                if word.assigns is not None and char == ":" and self.peek(1) == "~":
                    raise _Refused("tilde expansion depends on the machine")
                if word.assigns is None and char in "*?[{~":
                    raise _Refused("pathname, brace or tilde expansion outside an assignment")
                parts.append(char)
                self.pos += 1
        word.text = "".join(parts)
        return word

    def double_quoted(self) -> str:
        text = self.text
        self.pos += 1
        parts: list[str] = []
        while self.pos < len(text):
            char = text[self.pos]
            if char == '"':
                self.pos += 1
                return "".join(parts)
            if char == "\\":
                following = self.peek(1)
                if following in ("$", "`", '"', "\\"):
                    parts.append(following)
                elif following != "\n":
                    parts.append("\\" + following)
                self.pos += 2
            elif char == "$":
                parts.append(self.dollar())
            elif char == "`":
                raise _Refused("command substitution would run a command")
            else:
                parts.append(char)
                self.pos += 1
        raise _Refused("unterminated double quote")

    def dollar(self) -> str:
        following = self.peek(1)
        if following == "{":
            close = self.text.find("}", self.pos + 2)
            if close < 0:
                raise _Refused("unterminated ${")
            body = self.text[self.pos + 2 : close]
            self.pos = close + 1
            return _braced(body, self.values)
        name = substitution.NAME.match(self.text, self.pos + 1)
        if name is not None:
            self.pos = name.end()
            return self.values.get(name.group(), "")
        if following in ("(", "'", '"') or following.isdigit() or (following and following in "@*#?-$!"):
            raise _Refused("command substitution, special parameters and bash quoting are not evaluated")
        self.pos += 1
        return "$"


def _braced(body: str, values: Mapping[str, str]) -> str:
    parts = substitution.split(body)
    if parts is None or "?" in parts[1]:
        raise _Refused("only ${NAME} and ${NAME:-word} forms are evaluated")
    name, operator, word = parts
    if any(c in word for c in "'\"\\`$~"):
        raise _Refused("only plain words are evaluated inside ${...}")
    return substitution.resolve(values.get(name), operator, lambda: word)


def _performed(command: _Command) -> list[Assignment]:
    """The assignments a complete command makes, or _Refused when it would do more."""
    words = command.words
    if all(w.assigns is not None for w in words):
        return [Assignment(str(w.assigns), w.text, w.line) for w in words]
    first = words[0]
    if first.assigns is None and not first.quoted and first.text == "export":
        done: list[Assignment] = []
        for word in words[1:]:
            if word.assigns is not None:
                done.append(Assignment(word.assigns, word.text, word.line))
            elif word.quoted or not _EXPORT_ARG.fullmatch(word.text):
                raise _Refused("export takes NAME or NAME=value")
        return done
    raise _Refused("a command would run (only assignments and export are read)")


def parse(text: str, known: Mapping[str, str] | None = None) -> list[Line]:
    """Every assignment a shell would make sourcing `text` with `set -a`; `known` holds what
    the lines above `text` set, when `text` is the rest of a file."""
    reader = _Reader(text, known or {})
    line_of = reader.line_of
    found: list[Line] = []
    covered: set[int] = set()
    while True:
        start = reader.pos
        before = dict(reader.values)
        try:
            command = reader.command()
        except _Refused as exc:
            reader.values = before
            first = _first_text(text, start)
            stop = _skip_line(text, reader.pos)
            found.append(Malformed(line_of(first), f"a shell would not be read safely here: {exc}"))
            covered.update(range(line_of(first), line_of(max(first, stop - 1)) + 1))
            reader.pos = stop
            continue
        if command is None:
            break
        covered.update(range(command.first_line, command.last_line + 1))
        try:
            done = _performed(command)
        except _Refused as exc:
            reader.values = before
            found.append(Malformed(command.first_line, f"a shell would not be read safely here: {exc}"))
            continue
        for assignment in done:
            reader.values[assignment.key] = assignment.value
        found.extend(done)
    return fill(text, found, covered, "a shell would not read this line")


def _first_text(text: str, start: int) -> int:
    """Where the refused command starts (past blanks, newlines, separators and comments)."""
    index = start
    while index < len(text) - 1 and text[index] in " \t\n;#":
        if text[index] == "#":
            newline = text.find("\n", index)
            if newline < 0:
                break
            index = newline
        index += 1
    return index


def _skip_line(text: str, pos: int) -> int:
    newline = text.find("\n", pos)
    return len(text) if newline < 0 else newline + 1
