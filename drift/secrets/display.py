"""URLs shown part by part, each part only where drift knows it carries no secret.

A URL is worth showing (which host, which database, which path), but secrets ride in every
part of one: user info (`https://<token>@cache:6380`, not only `user:password@`), query values
(`?sslpassword=`, `?X-Amz-Signature=`, `?sig=`), webhook and bot paths
(`hooks.slack.com/services/T…/B…/<token>`, `discord.com/api/webhooks/<id>/<token>`,
`api.telegram.org/bot<token>/…`) and any segment that is itself a credential. So the display
fails closed, as the rest of the display policy does:

- user info is masked whole (user and password alike);
- a query value is shown only for a parameter on a short allow-list of harmless ones
  (`sslmode`, `schema`, `charset`, `region`, `timeout`, ...), and a bare query word never;
- every path segment after a `hooks` / `webhook(s)` / `webhookb2` segment, and on a host
  known to put the token in its path (Slack's, Discord's, Telegram's, Office 365's, Zapier's),
  every segment after the host's fixed prefix, is masked;
- any host label, path segment, query value or fragment in a credential format, random-looking
  by the measured token threshold, or holding a bot token (`<digits>:<token>`) is masked;
- a fragment holding `name=value` pairs is masked like a query.

Each URL inside a longer text (an error line, a list of origins) is redacted the same way,
so the same function serves the reports, plan, sync, `schema show` and the scrubbed stderr.
"""

from __future__ import annotations

import re

from drift.platform.runtime import LazyPattern
from drift.secrets.urls import MASK
from drift.secrets.values import has_credential_format, is_high_entropy_token

#: Query parameters whose values configure a connection and never carry a credential.
SAFE_QUERY_PARAMETERS = frozenset(
    {
        "application_name",
        "authmechanism",
        "authsource",
        "charset",
        "connect_timeout",
        "connection_limit",
        "connecttimeoutms",
        "directconnection",
        "encoding",
        "family",
        "maxpoolsize",
        "minpoolsize",
        "pgbouncer",
        "pool_timeout",
        "readpreference",
        "region",
        "replicaset",
        "retrywrites",
        "schema",
        "serverselectiontimeoutms",
        "socket_timeout",
        "sockettimeoutms",
        "ssl",
        "sslmode",
        "statement_cache_size",
        "timeout",
        "tls",
        "w",
    }
)
#: Hosts that put the credential in the path, with how many leading segments are fixed words.
TOKEN_PATH_HOSTS = {
    "hooks.slack.com": 1,
    "discord.com": 2,
    "discordapp.com": 2,
    "ptb.discord.com": 2,
    "canary.discord.com": 2,
    "api.telegram.org": 0,
    "outlook.office.com": 1,
    "outlook.office365.com": 1,
    "hooks.zapier.com": 2,
    "maker.ifttt.com": 0,
}
#: Host suffixes with the same habit (Office 365 connectors: `<tenant>.webhook.office.com`).
_TOKEN_PATH_SUFFIXES = ((".webhook.office.com", 1),)
#: Path segments after which everything is a hook's id and token, on any host.
_HOOK_SEGMENTS = frozenset({"hooks", "hook", "webhook", "webhooks", "webhookb2", "incomingwebhook"})

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://")
#: A URL inside free text ends at white space or a quote.
_URL_IN_TEXT = LazyPattern(r"[A-Za-z][A-Za-z0-9+.\-]*://[^\s\"'<>`]*")
#: A host name or address with an optional numeric port, and nothing else.
#: (A dotted name, so that `user:1234/pass@host` is not read as host `user`, port 1234.)
_PLAIN_AUTHORITY = LazyPattern(r"(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+|localhost|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?")
#: `bot123456:AA...` (Telegram) or any `<digits>:<long token>` segment.
_BOT_TOKEN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{20,}")


def redact_url(url: str) -> str:
    """One URL (`scheme://...`, no white space) with every part that may carry a secret masked."""
    scheme = _SCHEME.match(url)
    if scheme is None:
        return url
    rest = url[scheme.end() :]
    head = url[: scheme.end()]
    at = _userinfo_end(rest)
    if at >= 0:
        head += MASK + "@"
        rest = rest[at + 1 :]
    rest, _, fragment = rest.partition("#")
    rest, question, query = rest.partition("?")
    authority, slash, path = rest.partition("/")
    host, colon, port = authority.rpartition(":") if _has_port(authority) else (authority, "", "")
    shown_host = ".".join(_segment(label) for label in host.split("."))
    shown = head + shown_host
    if colon:
        shown += ":" + (port if port.isdigit() else MASK)
    if slash:
        shown += "/" + _path(host.lower(), path)
    if question:
        shown += "?" + _pairs(query)
    if fragment:
        shown += "#" + (_pairs(fragment) if "=" in fragment else _segment(fragment))
    return shown


def redact_urls(text: str) -> str:
    """`text` with every URL in it redacted by `redact_url`."""
    if "://" not in text:
        return text
    out = []
    end = 0
    for match in _URL_IN_TEXT.finditer(text):
        out.append(text[end : match.start()])
        url = match.group()
        # a list of URLs (`https://a,http://b`): each URL ends where the next one starts
        starts = [m.start() for m in _SCHEME.finditer(url)][1:]
        pieces = [url[a:b] for a, b in zip([0, *starts], [*starts, len(url)], strict=True)]
        for piece in pieces:
            body = piece.rstrip(",;")
            out.append(redact_url(body) + piece[len(body) :])
        end = match.end()
    out.append(text[end:])
    return "".join(out)


def _userinfo_end(rest: str) -> int:
    """Where the user info ends (its last `@`), or -1. A password may hold `/`, `?`, `#` or
    `@`, so the user info runs to the last `@` (fail closed), unless what comes before the
    first `/` is already a whole host and port: then an `@` after it is the path's
    (`/webhookb2/<id>@<tenant>/`, `/@scope/package`)."""
    at = rest.rfind("@")
    end = min((i for i in (rest.find(c) for c in "/?#") if i >= 0), default=len(rest))
    if at < end or rest[end] != "/":
        return at
    return -1 if _PLAIN_AUTHORITY.fullmatch(rest[:end]) else at


def _has_port(authority: str) -> bool:
    """`host:port`, not an IPv6 literal's colons."""
    return ":" in authority and not authority.endswith("]")


def _fixed_segments(host: str) -> int | None:
    if host in TOKEN_PATH_HOSTS:
        return TOKEN_PATH_HOSTS[host]
    for suffix, fixed in _TOKEN_PATH_SUFFIXES:
        if host.endswith(suffix):
            return fixed
    return None


def _path(host: str, path: str) -> str:
    fixed = _fixed_segments(host)
    shown = []
    hidden = False
    for index, segment in enumerate(path.split("/")):
        if fixed is not None and index >= fixed and segment:
            hidden = True
        shown.append(MASK if hidden and segment else _segment(segment))
        if segment.lower() in _HOOK_SEGMENTS:
            hidden = True
    return "/".join(shown)


def _pairs(query: str) -> str:
    out = []
    for pair in re.split(r"([&;])", query):
        if pair in ("&", ";", ""):
            out.append(pair)
            continue
        name, equals, value = pair.partition("=")
        if not equals:
            out.append(MASK)  # a bare word: `?<token>` is how some services pass one
        elif value and (name.lower() not in SAFE_QUERY_PARAMETERS or _segment(value) != value):
            out.append(f"{_segment(name)}={MASK}")
        else:
            out.append(f"{_segment(name)}={value}")
    return "".join(out)


def _segment(text: str) -> str:
    """One host label, path segment, name or value: masked when it is a credential."""
    if not text:
        return text
    if has_credential_format(text) or is_high_entropy_token(text) or _BOT_TOKEN.search(text):
        return MASK
    return text
