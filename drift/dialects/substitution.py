"""`${NAME}`, `${NAME:-word}` and friends: the POSIX parameter expansion that both the shell
and Compose dialects read (each decides what a word may hold and which operators it takes)."""

from __future__ import annotations

import re
from collections.abc import Callable

NAME = re.compile(r"[_A-Za-z][_A-Za-z0-9]*")
#: Longest first, so `:-` is not read as `-`.
OPERATORS = (":-", ":?", ":+", "-", "?", "+")


class Unset(Exception):
    """`${NAME?}` / `${NAME:?}` of a variable that is not set."""


def split(body: str) -> tuple[str, str, str] | None:
    """The name, operator ("" for none) and word of a `${...}` body, or None when the body
    is not one (a bad name or an unknown operator)."""
    name = NAME.match(body)
    if name is None:
        return None
    rest = body[name.end() :]
    if not rest:
        return name.group(), "", ""
    for operator in OPERATORS:
        if rest.startswith(operator):
            return name.group(), operator, rest[len(operator) :]
    return None


def resolve(value: str | None, operator: str, word: Callable[[], str]) -> str:
    """POSIX's rules: `-` the word when unset, `+` the word when set, `?` Unset when unset;
    with `:`, empty counts as unset. `word` is evaluated only when it is used."""
    unset = value is None or (operator.startswith(":") and value == "")
    if operator.endswith("-"):
        return word() if unset else str(value)
    if operator.endswith("?"):
        if unset:
            raise Unset
        return str(value)
    if operator.endswith("+"):
        return "" if unset else word()
    return value or ""
