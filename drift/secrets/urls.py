"""Passwords and secret query parameters inside URLs, found without a URL library.

`urllib.parse` splits userinfo at the first `/` after `://`, so a password holding `/` or
`@` leaks half of itself into the "host"; and it raises on some hostile values. Here the
userinfo of each URL in a value runs from `://` to the last `@` before the next `://`, so a
password is masked whole whatever it holds. Over-masking a strange URL is the price.
"""

from __future__ import annotations

import re

from drift.secrets.names import is_query_secret

MASK = "••••••"

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://")
_QUERY_PAIR = re.compile(r"([^&;=#\s]+)=([^&;#\s]*)")


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


def mask_url_secrets(value: str) -> str:
    """The value with every URL password and every secret-named query value masked."""
    if "://" not in value:
        return value
    out: list[str] = [value[: _spans(value)[0][0]]]
    for start, end in _spans(value):
        part = value[start:end]
        at = part.rfind("@")
        if at >= 0 and ":" in part[:at]:
            colon = part.index(":")
            part = f"{part[: colon + 1]}{MASK}{part[at:]}"
            at = colon + 1 + len(MASK)
        out.append(_mask_query(part, max(at, 0)))
    return "".join(out)


def _mask_query(part: str, after: int) -> str:
    question = part.find("?", after)
    if question < 0:
        return part

    def hide(match: re.Match[str]) -> str:
        name, secret = match.group(1), match.group(2)
        return f"{name}={MASK}" if secret and is_query_secret(name) else match.group(0)

    return part[: question + 1] + _QUERY_PAIR.sub(hide, part[question + 1 :])
