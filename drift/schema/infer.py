"""Types inferred from example values, for keys whose schema declares none.

`DEBUG=false` says bool, `PORT=3001` a port, `APP_URL=http://localhost:3001` an http(s) URL,
plainly enough that `DISABLE_SIGNUP=flase` or `APP_URL=localhost:3001` in production is
worth a warning. Findings that rest on an inferred type say so (`basis = inferred`) and are
warnings unless `[drift] inferred = "error"`. An inference is kept only when the example
itself is valid for it, so an untouched copy of the example never gives `invalid`.
"""

from __future__ import annotations

import re
from typing import Any

from drift.schema import types
from drift.secrets import is_placeholder, segments

_BOOL_WORDS = frozenset({"true", "false", "yes", "no", "on", "off"})
_INT = re.compile(r"[+-]?[0-9]+")
_FLOAT = re.compile(r"[+-]?[0-9]+\.[0-9]+")
_URL_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*)://\S+")
_EMAIL = re.compile(r"[^@\s:/<>\"]+@[^@\s:/<>\"]+\.[A-Za-z]{2,}")
#: Name words that make a 0 / 1 example a number rather than a flag.
_NUMERIC_WORDS = frozenset(
    {"PORT", "MS", "SECONDS", "SECS", "SEC", "TIMEOUT", "COUNT", "SIZE", "LIMIT", "MAX", "MIN", "TTL", "HOURS", "DAYS",
     "MINUTES", "WORKERS", "RETRIES", "THREADS", "REPLICAS", "ATTEMPTS", "LENGTH", "DEPTH", "LEVEL", "NUMBER", "NUM",
     "ID", "INDEX", "DB", "VERSION", "CONCURRENCY", "POOL", "INTERVAL", "DELAY", "REQUESTS", "WINDOW"}
)  # fmt: skip
#: Schemes a deployment may use in place of the example's.
_SCHEME_FAMILIES = (
    ("http", "https"),
    ("postgres", "postgresql"),
    ("redis", "rediss"),
    ("amqp", "amqps"),
    ("mongodb", "mongodb+srv"),
    ("smtp", "smtps"),
    ("ws", "wss"),
    ("mysql", "mysql2"),
)


def infer(name: str, example: str | None) -> dict[str, Any]:
    """The fields (`type`, `schemes`) the example value implies, or {} when it implies none."""
    if not example or is_placeholder(example) or len(example) > 2048:
        return {}
    words = segments(name)
    guess = _guess(words, example)
    if not guess:
        return {}
    try:
        types.parse(guess["type"], example)
    except types.InvalidValue:
        return {}
    return guess


def _guess(words: tuple[str, ...], example: str) -> dict[str, Any]:
    lowered = example.lower()
    numeric_name = bool(_NUMERIC_WORDS.intersection(words))
    if lowered in _BOOL_WORDS or (example in ("0", "1") and not numeric_name):
        return {"type": "bool"}
    if _INT.fullmatch(example):
        return {"type": "port"} if "PORT" in words else {"type": "int"}
    if _FLOAT.fullmatch(example):
        return {"type": "float"}
    url = _URL_SCHEME.fullmatch(example) if "," not in example else None
    if url is not None:
        scheme = url.group(1).lower()
        family = next((f for f in _SCHEME_FAMILIES if scheme in f), (scheme,))
        return {"type": "url", "schemes": family}
    if _EMAIL.fullmatch(example):
        return {"type": "email"}
    return {}
