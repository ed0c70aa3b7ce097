"""What a value alone says: a known credential format, a random-looking token, a placeholder.

The entropy threshold is measured, not guessed: `devtools/entropy_threshold.py` scores
generated secrets against a corpus of real-world non-secret values
(tests/fixtures/entropy/) and docs/entropy-threshold.md keeps the figures.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import cache, lru_cache

from drift.platform.runtime import CaselessPattern
from drift.secrets.urls import url_passwords


@cache
def _credential_format() -> re.Pattern[str]:
    """Known credential formats. Compiled for the first value that passes `_CREDENTIAL_HINT`
    (start-up time): most values never need it."""
    return re.compile(
        r"\bAKIA[0-9A-Z]{16}\b"
        r"|\b[sr]k_live_[0-9A-Za-z]{10,}"
        r"|\bgh[pousr]_[A-Za-z0-9]{30,}"
        r"|\bgithub_pat_[A-Za-z0-9_]{30,}"
        r"|\bxox[abposr]-[A-Za-z0-9-]{10,}"
        r"|-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----"
        r"|\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}"
        r"|\bsntry[su]_[A-Za-z0-9+/=_-]{20,}"
        r"|\bglpat-[A-Za-z0-9_-]{20}"
        r"|\bnpm_[A-Za-z0-9]{36}"
        r"|\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}"
    )


#: Cheap pre-filter: every credential format above contains one of these.
_CREDENTIAL_HINT = re.compile(r"AKIA|_live_|gh[pousr]_|github_pat_|xox|PRIVATE KEY|eyJ|sntry|glpat-|npm_|SG\.")

_PLACEHOLDER_WORDS = frozenset(
    {"change-me", "changeme", "change_me", "todo", "tbd", "replace-me", "replaceme", "replace_me", "fixme"}
)
_PLACEHOLDER_SHAPE = re.compile(r"x{3,}|<[^<>\s][^<>]*>|your[-_ ].*[-_ ]here", re.IGNORECASE)


@cache
def _placeholder_inside() -> re.Pattern[str]:
    """Placeholder text anywhere in a value: `your-...`, a run of x, fake / dummy / sample
    words, `replace-with-...`. Compiled for the first value that passes `_PLACEHOLDER_HINT`
    (start-up time)."""
    return re.compile(
        r"\byour[-_][a-z]|(?<![A-Za-z0-9])x{3,}(?![A-Za-z0-9])|\b(?:fake|dummy|sample|placeholder)(?:\b|_)"
        r"|\breplace[-_]with[-_]",
        re.IGNORECASE,
    )


@cache
def _reserved_host() -> re.Pattern[str]:
    """Host names reserved for documentation and tests (RFC 2606, RFC 6761). Compiled for the
    first value that passes `_RESERVED_HINT` (start-up time)."""
    return re.compile(
        r"(?:^|[./@])(?:example\.(?:com|net|org)|[a-z0-9-]+\.(?:example|test|invalid))(?=$|[:/?#,\s>\"'])"
        r"|(?:^|[./@])(?:example|test|invalid)(?=$|[:/?#,\s])",
        re.IGNORECASE,
    )


_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9+/=_.\-!@#$%^&*()]{24,}")
_SEPARATORS = re.compile(r"[-_./]")
#: Letter runs that read like words: one case, three letters or more, a vowel.
_WORDS = re.compile(r"(?<![A-Za-z])(?:[a-z]{3,}|[A-Z]{3,})(?![A-Za-z])")
#: Share of a separated value's characters in word-like runs above which it is a name.
WORDY_SHARE = 0.4
#: Measured by devtools/entropy_threshold.py (docs/entropy-threshold.md).
ENTROPY_BITS = 3.75
MIXED_CASE_ENTROPY_BITS = 3.25
HEX_MIN_LENGTH = 32


def has_credential_format(value: str) -> bool:
    """Whether the value looks like a known credential (AWS key id, Stripe, GitHub, ...)."""
    if _CREDENTIAL_HINT.search(value) is None:
        return False
    return _credential_format().search(value) is not None


def is_high_entropy_token(value: str) -> bool:
    """A long, random-looking token: what a real key or password pasted into a file looks
    like, whatever the key is called.

    Requires letters and digits and an entropy per character that identifiers, host names
    and paths do not reach.
    """
    if len(value) > 4096 or _TOKEN_SHAPE.fullmatch(value) is None:
        return False
    if not (any(c.isdigit() for c in value) and any(c.isalpha() for c in value)):
        return False
    if _is_wordy(value):
        return False
    entropy = shannon_entropy(value)
    mixed_case = any(c.islower() for c in value) and any(c.isupper() for c in value)
    is_hex = all(c in "0123456789abcdefABCDEF" for c in value)
    return (
        entropy >= ENTROPY_BITS
        or (mixed_case and entropy >= MIXED_CASE_ENTROPY_BITS)
        or (is_hex and len(value) >= HEX_MIN_LENGTH)
    )


def _is_wordy(value: str) -> bool:
    """Words joined by separators (`billing-invoices-2024-q4-export`, a host name, a path):
    random tokens rarely hold two separators and long one-case runs with vowels."""
    if len(_SEPARATORS.findall(value)) < 2:
        return False
    words = sum(len(m.group()) for m in _WORDS.finditer(value) if any(v in m.group().lower() for v in "aeiouy"))
    return words >= WORDY_SHARE * len(value)


def shannon_entropy(value: str) -> float:
    """Bits per character of the value's own character distribution."""
    length = len(value)
    if not length:
        return 0.0
    return -sum(n / length * math.log2(n / length) for n in Counter(value).values())


_SETTING_VALUE = re.compile(r"(?i:true|false|yes|no|on|off)|[+-]?[0-9]{1,9}(?:\.[0-9]{1,6})?")


def is_setting_value(value: str) -> bool:
    """A flag or a small number: `true`, `off`, `0`, `3600`, `0.25`. No credential is one,
    so such a value never counts as a shared secret, and under a name that toggles or
    counts it is a setting."""
    return _SETTING_VALUE.fullmatch(value) is not None


def is_placeholder_word(word: str) -> bool:
    """A whole value that is a placeholder: change-me, TODO, xxx, <...>, your-...-here."""
    return word.lower() in _PLACEHOLDER_WORDS or _PLACEHOLDER_SHAPE.fullmatch(word) is not None


#: Every placeholder word, shape and URL contains one of these: a cheap first look.
_PLACEHOLDER_HINT = CaselessPattern(r"change|todo|tbd|xxx|<|your|fake|dummy|sample|placeholder|replace|fixme|://")
_RESERVED_HINT = CaselessPattern(r"example|test|invalid")


@lru_cache(maxsize=65536)
def is_placeholder(value: str) -> bool:
    """Whether a value is an obvious placeholder (DESIGN.md Semantics and issue #8):
    placeholder words and shapes, `your-...` / `xxx` / fake / dummy / sample / `replace-with-`
    inside the value, or a URL whose password is a placeholder word."""
    if not value or len(value) > 4096 or not _PLACEHOLDER_HINT.found(value):
        return False
    if is_placeholder_word(value) or _placeholder_inside().search(value) is not None:
        return True
    return any(is_placeholder_word(p) for p in url_passwords(value))


@lru_cache(maxsize=65536)
def has_reserved_host(value: str) -> bool:
    """Whether the value names a host reserved for documentation or tests: example.com,
    *.example, *.test, *.invalid (RFC 2606 and RFC 6761). Fine in development, a
    placeholder left behind in a deployed environment."""
    if len(value) > 4096 or not _RESERVED_HINT.found(value):
        return False
    return _reserved_host().search(value) is not None


def _is_local_url(value: str) -> bool:
    host = value.split("://", 1)[1].rsplit("@", 1)[-1].split("/", 1)[0]
    return host.split(":", 1)[0].strip("[]") in {"localhost", "127.0.0.1", "::1"}


def looks_like_real_credential(value: str) -> bool:
    """Whether an example value looks like a real credential (rule `secret-in-example`)."""
    return credential_evidence(value) is not None


FORMAT, ENTROPY = "format", "entropy"


def credential_evidence(value: str) -> str | None:
    """What makes an example value look like a real credential: `format` (a known credential
    format: certain) or `entropy` (random-looking only: a guess, since public ids look so
    too), or None."""
    if not value or is_placeholder(value):
        return None
    if "://" in value:
        if _is_local_url(value):
            return None
        if any(is_placeholder_word(p) for p in url_passwords(value)):
            return None
    if has_credential_format(value):
        return FORMAT
    return ENTROPY if is_high_entropy_token(value) else None
