"""JSON from outside drift (a command's output, a report or plan file, a stored value, a
saved scan) read one way: parsed, then refused past MAX_DEPTH levels of nesting.

The standard library's parser recursed in C up to the interpreter's limit before Python
3.13 (a RecursionError near 1,000 levels) and no longer does: the same file was refused on
3.11 and read on 3.13, and what reads the result (validation, rendering) recurses in Python.
One bound, checked here without recursion, makes the answer the same on every Python.
"""

from __future__ import annotations

from typing import Any

#: No configuration drift reads nests this deep; every real one nests under ten.
MAX_DEPTH = 256


class TooDeep(ValueError):
    """The JSON nests deeper than MAX_DEPTH (a ValueError, as malformed JSON is)."""


def loads(text: str | bytes) -> Any:
    """The parsed JSON; ValueError when it is not JSON, TooDeep when it nests too deeply."""
    import json  # loaded when JSON is read: the pre-commit check's start-up does without it

    try:
        data = json.loads(text)
    except RecursionError:
        raise TooDeep(f"nested more than {MAX_DEPTH} levels deep") from None
    if _deeper_than(data, MAX_DEPTH):
        raise TooDeep(f"nested more than {MAX_DEPTH} levels deep")
    return data


def _deeper_than(data: Any, limit: int) -> bool:
    """Whether containers nest more than `limit` levels, walked with a stack of iterators."""
    if not isinstance(data, (dict, list)):
        return False
    stack = [iter(data.values() if isinstance(data, dict) else data)]
    while stack:
        item = next(stack[-1], _END)
        if item is _END:
            stack.pop()
        elif isinstance(item, (dict, list)):
            if len(stack) >= limit:
                return True
            stack.append(iter(item.values() if isinstance(item, dict) else item))
    return False


_END = object()
