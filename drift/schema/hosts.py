"""Hosts that only mean something on a developer's machine: `localhost`, loopback and
unspecified addresses, Docker Desktop's `host.docker.internal`, mDNS `.local` names and the
reserved `.test` / `.localhost` domains. A deployed environment pointing at one is talking to
itself or to nothing (rule `local-value`), and `drift sync` never copies such an example value
into a deployed environment's file."""

from __future__ import annotations

import re
from functools import lru_cache

_DEV_NAMES = frozenset({"localhost", "host.docker.internal", "gateway.docker.internal", "docker.for.mac.localhost"})
_DEV_SUFFIXES = (".localhost", ".local", ".test", ".docker.internal")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://")
#: Name words of keys whose bare value is a host to reach (not an address to bind to).
_HOST_WORDS = frozenset({"HOST", "HOSTNAME", "SERVER", "ENDPOINT", "DOMAIN"})
_BIND_WORDS = frozenset({"BIND", "LISTEN", "INTERFACE", "IFACE"})


def local_host(name: str, value: str) -> str | None:
    """What kind of developer-only host `value` points at (`localhost`, `a loopback address`,
    ...: words of drift's, never the value's text), or None. A value whose URLs are all local
    counts, and the whole value when the key's name says it is a host to reach (`DB_HOST`,
    `SMTP_SERVER`); bind addresses (`HOST=0.0.0.0`, `LISTEN_ADDR`) are not hosts to reach."""
    if len(value) > 4096:
        return None
    words = _words(name)
    if _BIND_WORDS.intersection(words):
        return None
    if "://" in value:
        # every URL of the value local: a list that also names real hosts (CORS origins with
        # a developer's `http://localhost:3000` beside them) is not pointing at a dev machine
        kinds = [_kind(_host_of(value[match.end() :])) for match in _SCHEME.finditer(value)]
        return kinds[0] if kinds and all(kinds) else None
    if len(words) >= 2 and words[-1] in _HOST_WORDS:
        host = value.strip().rsplit(":", 1)[0] if value.count(":") == 1 else value.strip()
        return _kind(host.strip("[]"))
    return None


@lru_cache(maxsize=4096)
def _words(name: str) -> tuple[str, ...]:
    """A key name's words (`DB_HOST` -> DB, HOST): worked out once per name, not per value."""
    return tuple(re.split(r"[_.\-]+", name.upper()))


def _host_of(rest: str) -> str:
    authority = re.split(r"[/?#\s,]", rest, maxsplit=1)[0]
    authority = authority.rsplit("@", 1)[-1]
    if authority.startswith("["):
        return authority[1 : authority.find("]")] if "]" in authority else ""
    return authority.rsplit(":", 1)[0] if authority.count(":") == 1 else authority


def _kind(host: str) -> str | None:
    lowered = host.lower().rstrip(".")
    if not lowered:
        return None
    if lowered in _DEV_NAMES:
        return lowered
    for suffix in _DEV_SUFFIXES:
        if lowered.endswith(suffix):
            return f"a {suffix} name"
    import ipaddress  # only where a host is neither a known name nor suffix: not at start-up

    try:
        address = ipaddress.ip_address(lowered)
    except ValueError:
        return None
    if address.is_loopback:
        return "a loopback address"
    return "an unspecified address" if address.is_unspecified else None
