"""JSON from outside drift (a command's output, a report or plan file, a stored value, a
saved scan) read one way: parsed, then refused past MAX_DEPTH levels of nesting, or when a
string holds a lone surrogate.

The standard library's parser recursed in C up to the interpreter's limit before Python
3.13 (a RecursionError near 1,000 levels) and no longer does: the same file was refused on
3.11 and read on 3.13, and what reads the result (validation, rendering) recurses in Python.
One bound, checked here without recursion, makes the answer the same on every Python.

JSON may write half of a UTF-16 pair alone (`"\\ud800"`), and Python reads it into a string
that is not text: no UTF-8 output can carry it, so a report, a plan or a value holding one
made `drift render --format json` (and every writer after it) fail with an internal error.
Such a document is refused here as not JSON, where each reader already reports that.
"""

from __future__ import annotations

from typing import Any

from drift.platform.runtime import LazyPattern

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
    shown = _suspect(text)
    if shown is not None and _holds_lone_surrogate(data):
        lone = next((m for m in _SURROGATE.finditer(shown) if m.group(1)), None)
        where = lone.start(1) if lone else 0  # (an escaped backslash can hide which one)
        raise json.JSONDecodeError("a lone surrogate, half of a character", shown, where)
    return data


def _suspect(text: str | bytes) -> str | None:
    """The text as the parser read it, when it may have given a string a surrogate; None
    when it cannot have, found by a byte or substring search (a report is megabytes). A
    surrogate comes from an escape (`\\udXXX`), or from bytes that encode one (the parser
    decodes with `surrogatepass`: in UTF-8, always a 0xED byte). A text given as a string
    is trusted to be text: a surrogate there was in the value before it was JSON."""
    if isinstance(text, bytes):
        from json import detect_encoding

        encoding = detect_encoding(text)
        if encoding == "utf-8" and b"\\u" not in text and b"\xed" not in text:
            return None
        text = text.decode(encoding, "surrogatepass")
        return text if _SURROGATE.search(text) else None
    return text if "\\u" in text and _SURROGATE.search(text) else None


#: A surrogate pair's escapes, or (group 1) a surrogate alone: its escape, or itself.
_SURROGATE = LazyPattern(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|(\\u[dD][89a-fA-F][0-9a-fA-F]{2}|[\ud800-\udfff])"
)
_LONE_SURROGATE = LazyPattern("[\ud800-\udfff]")


def _holds_lone_surrogate(data: Any) -> bool:
    """Whether a string of the parsed document (a key or a value) holds a lone surrogate,
    walked with a stack (the depth is bounded already)."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _LONE_SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            stack += item.keys()
            stack += item.values()
        elif isinstance(item, list):
            stack += item
    return False


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
