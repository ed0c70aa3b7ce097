"""Opt-in `${VAR}` expansion for the dialects whose loaders leave it to a second step.

Next.js runs dotenv-expand over what dotenv parsed, and python-dotenv interpolates unless
told not to. drift offers the same (`expand = true`), resolving names only from the keys of
the same file: never from drift's own environment, which is not the application's. Compose
and shell files are always expanded by their parsers, as their loaders always do.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from dotenv.variables import parse_variables

from drift.dialects.lines import Assignment

_NODE_REFERENCE = re.compile(r"(?<!\\)\$\{([^{}]+)\}|(?<!\\)\$([A-Za-z_][A-Za-z0-9_]*)")
_NODE_OPERATOR = re.compile(r":\+|\+|:-|-")
_ARRAY_INDEX = re.compile(r"0|[1-9][0-9]*")
#: dotenv-expand re-scans after every replacement; a value that keeps growing would loop, or
#: (through `$&` in a replacement) double in size each time.
MAX_REPLACEMENTS = 10_000
MAX_EXPANDED_CHARS = 1024 * 1024
#: The characters all the rescans of one value may add up to (dotenv-expand keeps every
#: intermediate text to detect self-reference: memory, too).
MAX_WORK_CHARS = 16 * 1024 * 1024


class ExpansionLoop(Exception):
    """A value whose expansion never settles."""


def expand_node(assignments: Sequence[Assignment]) -> list[Assignment]:
    """dotenv-expand (12.x) over the parsed keys, with an empty process environment."""
    last: dict[str, Assignment] = {}
    for assignment in assignments:
        last[assignment.key] = assignment
    running: dict[str, str] = {}
    expanded: dict[str, str] = {}
    for key in _js_key_order(list(last)):
        value = _expand_value(last[key].value, running)
        expanded[key] = running[key] = value.replace("\\$", "$")
    return [Assignment(a.key, expanded[a.key], a.line) if last[a.key] is a else a for a in assignments]


def _js_key_order(keys: list[str]) -> list[str]:
    """JavaScript's property order: array-index keys ascending, then the rest as inserted."""
    indexes = sorted((k for k in keys if _ARRAY_INDEX.fullmatch(k) and int(k) < 2**32 - 1), key=int)
    return indexes + [k for k in keys if k not in set(indexes)]


def _expand_value(value: str, running: dict[str, str]) -> str:
    result = value
    seen: set[str] = set()
    work = 0
    for _ in range(MAX_REPLACEMENTS):
        match = _NODE_REFERENCE.search(result)
        if match is None:
            return result
        work += len(result)
        if work > MAX_WORK_CHARS:
            raise ExpansionLoop("the expansion of this value does not settle")
        seen.add(result)
        template = match.group(0)
        expression = match.group(1) or match.group(2)
        operator = _NODE_OPERATOR.search(expression)
        # JavaScript's split(null) splits on the text "null", and join(null) joins with it
        splitter = operator.group(0) if operator else "null"
        parts = expression.split(splitter)
        key = parts.pop(0)
        found: str | None
        if splitter in (":+", "+"):
            default = splitter.join(parts) if running.get(key) else ""
            found = None
        else:
            default = splitter.join(parts)
            found = running.get(key)
        replacement = default if not found or found in seen else found
        result = _js_replace_first(result, template, replacement)
        if len(result) > MAX_EXPANDED_CHARS:
            raise ExpansionLoop("the expansion of this value grows without bound")
        if result == running.get(key):
            return result
    raise ExpansionLoop("the expansion of this value does not settle")


def _js_replace_first(text: str, pattern: str, replacement: str) -> str:
    """String.prototype.replace with a string pattern: the first occurrence, with `$$`, `$&`,
    `` $` `` and `$'` in the replacement meaning what JavaScript makes them mean."""
    at = text.find(pattern)
    if at < 0:
        return text
    before, after = text[:at], text[at + len(pattern) :]
    out: list[str] = []
    size = len(before) + len(after)
    index = 0
    while index < len(replacement):
        char = replacement[index]
        following = replacement[index + 1 : index + 2]
        if char == "$" and following in ("$", "&", "`", "'"):
            piece = {"$": "$", "&": pattern, "`": before, "'": after}[following]
            index += 2
        else:
            piece = char
            index += 1
        out.append(piece)
        size += len(piece)
        if size > MAX_EXPANDED_CHARS:  # `$'` and `` $` `` repeat the text: growth in one step
            raise ExpansionLoop("the expansion of this value grows without bound")
    return before + "".join(out) + after


def expand_python(assignments: Sequence[Assignment]) -> list[Assignment]:
    """python-dotenv's interpolation (`${VAR}`, `${VAR:-default}`) from the file's own keys."""
    values: dict[str, str | None] = {}
    result = []
    for assignment in assignments:
        if assignment.unset:
            values[assignment.key] = None
            result.append(assignment)
            continue
        value = "".join(atom.resolve(values) for atom in parse_variables(assignment.value))
        values[assignment.key] = value
        result.append(Assignment(assignment.key, value, assignment.line))
    return result
