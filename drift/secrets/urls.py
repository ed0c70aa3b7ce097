"""Passwords inside URLs, found without a URL library (their display: `display.py`).

`urllib.parse` splits userinfo at the first `/` after `://`, so a password holding `/` or
`@` leaks half of itself into the "host"; and it raises on some hostile values. Here the
userinfo of each URL in a value runs from `://` to the last `@` before the next `://`, so a
password is masked whole whatever it holds. Over-masking a strange URL is the price.
"""

from __future__ import annotations

import re

MASK = "••••••"

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://")


def _spans(value: str) -> list[tuple[int, int]]:
    """(start, end) of the text after each `scheme://` up to the next one."""
    starts = [m.end() for m in _SCHEME.finditer(value)]
    ends = [*(m.start() for m in _SCHEME.finditer(value)), len(value)][1:]
    return list(zip(starts, ends, strict=True))


def url_passwords(value: str) -> list[str]:
    """Every URL password in the value (the userinfo after its first `:`)."""
    if "://" not in value:
        return []
    found = []
    for start, end in _spans(value):
        at = value.rfind("@", start, end)
        if at >= 0 and ":" in value[start:at]:
            found.append(value[value.index(":", start, at) + 1 : at])
    return found


def url_password(value: str) -> str | None:
    """The first URL password in a value (`scheme://user:pw@host`), or None."""
    passwords = url_passwords(value)
    return passwords[0] if passwords else None


def is_url(value: str) -> bool:
    """Whether the whole value is one `scheme://...` URL with no white space."""
    match = _SCHEME.match(value)
    return match is not None and not any(c.isspace() for c in value)
