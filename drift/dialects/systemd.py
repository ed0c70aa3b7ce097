"""systemd's `EnvironmentFile=` format, as `load_env_file()` (src/basic/env-file.c) reads it.

A character-level state machine, like systemd's own:

- leading whitespace is skipped; a line starting with `#` or `;` is a comment (a comment line
  ending in `\\` does not continue onto the next line);
- the key runs to `=` (trailing whitespace stripped); a line without `=` is dropped;
- after `=`, whitespace is skipped; then any mix of unquoted text, '...' (literal) and
  "..." (where `\\` escapes `"`, `\\`, backquote and `$`, and keeps itself before anything
  else) is concatenated, whitespace between quoted parts dropped;
- unquoted, `\\` takes the next character literally; `\\` before a newline joins the lines;
  trailing whitespace of an unquoted value is stripped;
- a quote left open runs to the end of the file.

Nothing is expanded (`$VAR` stays as written, as systemd passes it on). A key that is not a
valid variable name is ignored by systemd when it builds the environment: `malformed`.
"""

from __future__ import annotations

import re

from drift.dialects.lines import Assignment, Blank, Comment, Line, Malformed

_WHITESPACE = " \t\n\r"
_NEWLINE = "\n\r"
_NEEDS_ESCAPE = '"\\`$'
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def parse(text: str) -> list[Line]:
    """Every assignment, comment and rejected line of an environment file."""
    found: list[Line] = []
    state = "pre_key"
    key: list[str] = []
    value: list[str] = []
    key_line = line = 1
    value_end: int | None = None  # where trailing whitespace of an unquoted value begins
    comment: list[str] = []

    def push() -> None:
        name = "".join(key).rstrip(_WHITESPACE)
        text_value = "".join(value[:value_end] if value_end is not None else value)
        if _NAME.fullmatch(name):
            found.append(Assignment(name, text_value, key_line))
        else:
            found.append(Malformed(key_line, "not a valid variable name; systemd leaves it out"))

    for char in text:
        if state == "pre_key":
            if char in "#;":
                state, comment = "comment", []
            elif char in _NEWLINE:
                found.append(Blank(line))
            elif char not in _WHITESPACE:
                state, key, key_line = "key", [char], line
        elif state == "key":
            if char in _NEWLINE:
                found.append(Malformed(key_line, "no '=': systemd skips the line"))
                state = "pre_key"
            elif char == "=":
                state, value, value_end = "pre_value", [], None
            else:
                key.append(char)
        elif state == "pre_value":
            if char in _NEWLINE:
                push()
                state = "pre_key"
            elif char == "'":
                state = "single"
            elif char == '"':
                state = "double"
            elif char == "\\":
                state = "value_escape"
            elif char not in _WHITESPACE:
                state = "value"
                value.append(char)
        elif state == "value":
            if char in _NEWLINE:
                push()
                state = "pre_key"
            elif char == "\\":
                state, value_end = "value_escape", None
            else:
                if char not in _WHITESPACE:
                    value_end = None
                elif value_end is None:
                    value_end = len(value)
                value.append(char)
        elif state == "value_escape":
            state = "value"
            if char not in _NEWLINE:
                value.append(char)
        elif state == "single":
            if char == "'":
                state = "pre_value"
            else:
                value.append(char)
        elif state == "double":
            if char == '"':
                state = "pre_value"
            elif char == "\\":
                state = "double_escape"
            else:
                value.append(char)
        elif state == "double_escape":
            state = "double"
            if char in _NEEDS_ESCAPE:
                value.append(char)
            elif char != "\n":
                value.extend(("\\", char))
        elif state == "comment":
            if char == "\\":
                state = "comment_escape"
            elif char in _NEWLINE:
                found.append(Comment("".join(comment).strip(), line))
                state = "pre_key"
            else:
                comment.append(char)
        elif state == "comment_escape":
            state = "pre_key" if char in _NEWLINE else "comment"
            if char in _NEWLINE:
                found.append(Comment("".join(comment).strip(), line))
        if char == "\n":
            line += 1
    if state in ("pre_value", "value", "value_escape", "single", "double", "double_escape"):
        if state != "value":
            value_end = None
        push()
    elif state == "key":
        found.append(Malformed(key_line, "no '=': systemd skips the line"))
    return found
