"""The one scrubber for text drift did not write itself: a program's stderr, a remote or
database error, a comment copied from the example. Such text is shown only after every part
that may carry a secret is masked:

- every URL, part by part (`display.redact_urls`);
- the value of an assignment or header whose name is secret by drift's own name rules
  (`DB_PASSWORD=...`, `export API_TOKEN=...`, `client_secret: ...`, `--password ...`,
  `Authorization: Bearer ...`, `Cookie: ...`);
- any word in a credential format or random-looking by the measured token threshold.
"""

from __future__ import annotations

import re

from drift.platform.runtime import LazyPattern
from drift.secrets.display import redact_urls
from drift.secrets.names import is_secret_name
from drift.secrets.urls import MASK
from drift.secrets.values import has_credential_format, is_high_entropy_token

#: A name (or `--flag`), then what follows it: `=`, `:`, a quote, or (after a flag) a space.
_NAME = LazyPattern(r"(?:--)?[A-Za-z_][A-Za-z0-9_.\-]*")
_AFTER = LazyPattern(r"""["']?(\s*[=:]\s*|\s+)["']?([^\s"',;&]+)""")
#: Headers whose whole value is a credential whatever it looks like.
_HEADER = LazyPattern(r"(?i)\b(authorization|proxy-authorization|cookie|set-cookie|x-api-key)(\s*[:=]\s*)([^\r\n]+)")
_WORD = re.compile(r"[^\s\"'=:,;()\[\]{}<>]+")


def scrub(text: str) -> str:
    """`text` with every part that may carry a secret masked (see the module doc)."""
    text = redact_urls(text)
    text = _HEADER.sub(lambda m: f"{m.group(1)}{m.group(2)}{MASK}", text)
    text = _assignments(text)
    return _WORD.sub(lambda m: MASK if _secret_like(m.group()) else m.group(), text)


def _assignments(text: str) -> str:
    """Mask the value after every secret name (`DB_PASSWORD=...`, `--password ...`)."""
    spans: list[tuple[int, int]] = []
    for name in _NAME.finditer(text):
        if spans and name.start() < spans[-1][1]:
            continue  # inside a value already masked
        flag = name.group().startswith("--")
        word = name.group().lstrip("-").replace("-", "_")
        if not is_secret_name(word):
            continue
        after = _AFTER.match(text, name.end())
        if after is None or (not after.group(1).strip() and not flag) or after.group(2) == MASK:
            continue  # `word word` is an assignment only after a flag
        spans.append(after.span(2))
    pieces = []
    pos = 0
    for start, end in spans:  # in order, never overlapping: one pass, linear in the text
        pieces += [text[pos:start], MASK]
        pos = end
    pieces.append(text[pos:])
    return "".join(pieces)


def _secret_like(word: str) -> bool:
    return has_credential_format(word) or is_high_entropy_token(word)
