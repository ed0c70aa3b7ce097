"""Value types: what a valid value of each type is, and its typed form for comparisons.

Messages describe what was expected and never repeat the value, which may be a secret.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import NamedTuple
from urllib.parse import urlsplit

TYPES = ("str", "int", "float", "bool", "url", "email", "port", "enum", "json", "csv", "duration")
#: Types whose `min` / `max` bound a number (csv: the number of items).
NUMERIC_TYPES = frozenset({"int", "float", "port", "duration", "csv"})

_INT = re.compile(r"[+-]?[0-9]+")
_FLOAT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")
_DURATION_PART = re.compile(r"([0-9]+(?:\.[0-9]+)?)(ms|s|m|h|d|w)")
_DURATION_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0, "w": 604800.0}
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


class InvalidValue(ValueError):
    """The value is not of the type; the message says what was expected."""


#: Longer integers are refused: Python's int() stops at 4,300 digits, and no setting needs 100.
MAX_INT_DIGITS = 100


class Parsed(NamedTuple):
    """A value read as its type: `typed` for comparisons, `magnitude` for min / max (an int
    stays an int, so a huge value is compared exactly, never through a float)."""

    typed: object
    magnitude: float | int | None = None


def parse_duration(text: str) -> float:
    """Seconds in a duration such as `90d`, `12h`, `1h30m`, `250ms`."""
    if len(text) > 64:
        raise InvalidValue("a duration such as 30s, 15m, 12h, 90d or 1h30m")
    position = 0
    total = 0.0
    for match in _DURATION_PART.finditer(text):
        if match.start() != position:
            break
        total += float(match.group(1)) * _DURATION_UNITS[match.group(2)]
        position = match.end()
    if position == 0 or position != len(text):
        raise InvalidValue("a duration such as 30s, 15m, 12h, 90d or 1h30m")
    return total


def is_float(text: str) -> bool:
    """Whether the text is a plain finite decimal number (no `_`, nan or inf)."""
    return len(text) <= 64 and _FLOAT.fullmatch(text) is not None and math.isfinite(float(text))


def _int(value: str) -> Parsed:
    if not _INT.fullmatch(value):
        raise InvalidValue("an integer (optional sign and digits only)")
    if len(value.lstrip("+-")) > MAX_INT_DIGITS:
        raise InvalidValue(f"an integer of at most {MAX_INT_DIGITS} digits")
    number = int(value)
    return Parsed(number, number)


def _float(value: str) -> Parsed:
    if len(value) > 64 or not _FLOAT.fullmatch(value):
        raise InvalidValue("a number")
    number = float(value)
    if not math.isfinite(number):
        raise InvalidValue("a finite number")
    return Parsed(number, number)


def _bool(value: str) -> Parsed:
    lowered = value.lower()
    if lowered in _TRUE:
        return Parsed(True)
    if lowered in _FALSE:
        return Parsed(False)
    raise InvalidValue("a boolean (1/0, true/false, yes/no, on/off)")


def _port(value: str) -> Parsed:
    if not _INT.fullmatch(value) or len(value) > 6 or not 1 <= int(value) <= 65535:
        raise InvalidValue("a port number from 1 to 65535")
    return Parsed(int(value), int(value))


def _url(value: str) -> Parsed:
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        raise InvalidValue("an absolute URL") from None
    if not parts.scheme or not parts.netloc or any(c.isspace() for c in value):
        raise InvalidValue("an absolute URL (scheme://host...)")
    return Parsed(value)


def _email(value: str) -> Parsed:
    if not _EMAIL.fullmatch(value):
        raise InvalidValue("an email address")
    return Parsed(value.lower())


def _json(value: str) -> Parsed:
    from drift.platform import jsontext  # for `json` keys only: the check path's start-up does without it

    try:
        return Parsed(jsontext.loads(value))
    except jsontext.TooDeep:
        raise InvalidValue(f"JSON nested at most {jsontext.MAX_DEPTH} levels deep") from None
    except ValueError:
        raise InvalidValue("valid JSON") from None


def _csv(value: str) -> Parsed:
    items = tuple(item.strip() for item in value.split(","))
    return Parsed(items, float(len(items)))


def _duration(value: str) -> Parsed:
    seconds = parse_duration(value)
    return Parsed(seconds, seconds)


def _str(value: str) -> Parsed:
    return Parsed(value, None)


PARSERS: dict[str, Callable[[str], Parsed]] = {
    "str": _str,
    "enum": _str,
    "int": _int,
    "float": _float,
    "bool": _bool,
    "port": _port,
    "url": _url,
    "email": _email,
    "json": _json,
    "csv": _csv,
    "duration": _duration,
}


def parse(type_name: str, value: str) -> Parsed:
    """Read a value as its type; raises InvalidValue saying what was expected."""
    return PARSERS[type_name](value)


def typed_or_raw(type_name: str, value: str) -> object:
    """The typed value for comparisons, or the raw string where the value is not valid."""
    try:
        return PARSERS[type_name](value).typed
    except InvalidValue:
        return value


def comparable(typed: object) -> object:
    """A hashable form of a typed value (JSON objects and lists become their canonical text)."""
    if isinstance(typed, (dict, list)):
        import json

        return json.dumps(typed, sort_keys=True, separators=(",", ":"))
    return typed
