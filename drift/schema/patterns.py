"""Schema patterns (`pattern = ...`, `@pattern`), matched with a time bound.

A pattern comes from a schema file, which a pull request can change, and Python's `re` has no
bound: `(a+)+$` against thirty-odd `a`s runs for minutes. The `regex` package matches with
`re`'s syntax and semantics and takes a timeout, so a pattern that backtracks
catastrophically gives an `invalid` finding saying the check could not complete, instead of
a hung CI job.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import regex

#: Seconds one value may take to match one pattern.
MATCH_SECONDS = 0.1


class PatternTimeout(Exception):
    """The match did not complete within MATCH_SECONDS."""


class BadPattern(ValueError):
    """The pattern does not compile; `position` says where, when known."""

    def __init__(self, position: int | None) -> None:
        super().__init__(position)
        self.position = position


@lru_cache(maxsize=4096)
def compiled(pattern: str) -> regex.Pattern[str]:
    """The compiled pattern; BadPattern for a bad one. (`regex` is imported here, on first
    use: most schemas have no pattern, and the check path's start-up time matters.)"""
    import regex

    try:
        return regex.compile(pattern)
    except (regex.error, RecursionError, OverflowError, ValueError) as exc:
        position = getattr(exc, "pos", None)
        raise BadPattern(position if isinstance(position, int) else None) from None


def full_match(pattern: str, value: str) -> bool:
    """Whether the whole value matches; PatternTimeout when that cannot be decided in time."""
    try:
        return compiled(pattern).fullmatch(value, timeout=MATCH_SECONDS) is not None
    except TimeoutError:
        raise PatternTimeout(pattern) from None
