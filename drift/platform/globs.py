"""Key globs (`FEATURE_*`) as drift.toml uses them: in `[keys]` tables and source filters."""

from __future__ import annotations

_GLOB_CHARS = frozenset("*?[")


def is_glob(name: str) -> bool:
    """Whether a name is a glob rather than one key."""
    return not _GLOB_CHARS.isdisjoint(name)


def is_valid_glob(pattern: str) -> bool:
    """False for a pattern fnmatch would silently misread (an unclosed or nested `[`)."""
    depth = 0
    for char in pattern:
        if char == "[":
            if depth:
                return False
            depth = 1
        elif char == "]" and depth:
            depth = 0
    return depth == 0
