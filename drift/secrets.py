"""What counts as a secret, how a secret is shown, and how it is compared without keeping it.

DESIGN.md (Semantics, Secrets) is the contract implemented here. Secret values are compared
through HMAC-SHA256 fingerprints under a project key, so that reuse across environments and
changes between scans are visible while the value itself never leaves the process.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import os
import re
import secrets as _stdlib_secrets
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

from drift.errors import ConfigError

FINGERPRINT_ENV = "DRIFT_FINGERPRINT_KEY"
MASK = "••••••"
SHORT_FINGERPRINT = 8

_SECRET_SUFFIXES = frozenset(
    {
        "SECRET",
        "TOKEN",
        "PASSWORD",
        "PASSWD",
        "PASS",
        "PWD",
        "KEY",
        "APIKEY",
        "API_KEY",
        "ACCESS_KEY",
        "PRIVATE_KEY",
        "SIGNING_KEY",
        "CREDENTIALS",
        "DSN",
        "SALT",
        "COOKIE_SECRET",
    }
)
_PUBLIC_BY_DESIGN = frozenset({"PUBLISHABLE_KEY", "ANON_KEY", "PUBLIC_KEY", "SITE_KEY"})
_PROCESS_NAMES = frozenset({"PWD", "OLDPWD"})

#: Prefixes that bundlers inline into browser code: anything under them is public.
BROWSER_PREFIXES = (
    "NEXT_PUBLIC_",
    "VITE_",
    "REACT_APP_",
    "EXPO_PUBLIC_",
    "PUBLIC_",
    "NUXT_PUBLIC_",
    "GATSBY_",
)

_CREDENTIAL_FORMAT = re.compile(
    r"\bAKIA[0-9A-Z]{16}\b"
    r"|\b[sr]k_live_[0-9A-Za-z]{10,}"
    r"|\bgh[pousr]_[A-Za-z0-9]{30,}"
    r"|\bgithub_pat_[A-Za-z0-9_]{30,}"
    r"|\bxox[abposr]-[A-Za-z0-9-]{10,}"
    r"|-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----"
    r"|\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}"
)
#: Cheap pre-filter: every credential format above contains one of these.
_CREDENTIAL_HINT = re.compile(r"AKIA|_live_|gh[pousr]_|github_pat_|xox|PRIVATE KEY|eyJ")

_PLACEHOLDER_WORDS = frozenset({"change-me", "changeme", "change_me", "todo", "tbd", "replace-me", "replaceme"})
_PLACEHOLDER_SHAPE = re.compile(r"x{3,}|<[^<>\s][^<>]*>|your[-_ ].*[-_ ]here", re.IGNORECASE)
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9+/=_.\-]{24,}")
_URL_WITH_PASSWORD = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.\-]*://[^:/@\s]*:)(?P<pw>[^@\s/]*)@")


def is_secret_name(name: str) -> bool:
    """Whether a key's name says it holds a secret (last one or two `_` segments)."""
    upper = name.upper()
    if upper in _PROCESS_NAMES:
        return False
    segments = upper.split("_")
    last_two = "_".join(segments[-2:]) if len(segments) >= 2 else ""
    if last_two in _PUBLIC_BY_DESIGN or (len(segments) == 2 and last_two in _PUBLIC_BY_DESIGN):
        return False
    if segments[-1] == "DSN" and is_browser_exposed(upper):
        return False
    return segments[-1] in _SECRET_SUFFIXES or last_two in _SECRET_SUFFIXES


def is_browser_exposed(name: str) -> bool:
    """Whether a bundler would ship this key to browsers."""
    return name.upper().startswith(BROWSER_PREFIXES)


def has_credential_format(value: str) -> bool:
    """Whether the value looks like a known credential (AWS key id, Stripe, GitHub, ...)."""
    if _CREDENTIAL_HINT.search(value) is None:
        return False
    return _CREDENTIAL_FORMAT.search(value) is not None


def url_password(value: str) -> str | None:
    """The password of a URL value (`scheme://user:pw@host`), or None."""
    match = _URL_WITH_PASSWORD.search(value)
    return match.group("pw") if match else None


def mask_url_passwords(value: str) -> str:
    """The value with every URL password replaced by the mask; the rest stays readable."""
    if "://" not in value:
        return value
    return _URL_WITH_PASSWORD.sub(lambda m: f"{m.group('head')}{MASK}@", value)


def is_placeholder(value: str) -> bool:
    """Whether a value is an obvious placeholder (DESIGN.md Semantics, `placeholder`)."""
    if not value:
        return False
    if "://" in value:
        password = url_password(value)
        if password is not None and _is_placeholder_word(password):
            return True
    # every placeholder word is short; every placeholder shape starts with x, < or "your"
    if len(value) > 12 and value[0] not in "xX<yY":
        return False
    return _is_placeholder_word(value)


def _is_placeholder_word(word: str) -> bool:
    return word.lower() in _PLACEHOLDER_WORDS or _PLACEHOLDER_SHAPE.fullmatch(word) is not None


def looks_like_real_credential(value: str) -> bool:
    """Whether an example value looks like a real credential (rule `secret-in-example`)."""
    if not value or is_placeholder(value):
        return False
    if "://" in value:
        parts = urlsplit(value)
        if parts.hostname in {"localhost", "127.0.0.1", "::1"}:
            return False
        password = url_password(value)
        if password is not None and _is_placeholder_word(password):
            return False
    if has_credential_format(value):
        return True
    return _is_high_entropy_token(value)


def _is_high_entropy_token(value: str) -> bool:
    """A long, random-looking token: what a real key or password pasted into a file looks like.

    Requires letters and digits and an entropy per character that English identifiers and
    hostnames do not reach, so `my_app_v2_production_2024` is not flagged.
    """
    if _TOKEN_SHAPE.fullmatch(value) is None:
        return False
    has_digit = any(c.isdigit() for c in value)
    has_alpha = any(c.isalpha() for c in value)
    if not (has_digit and has_alpha):
        return False
    counts = Counter(value)
    length = len(value)
    entropy = -sum(n / length * math.log2(n / length) for n in counts.values())
    mixed_case = any(c.islower() for c in value) and any(c.isupper() for c in value)
    is_hex = all(c in "0123456789abcdefABCDEF" for c in value)
    return entropy >= 4.0 or (mixed_case and entropy >= 3.5) or (is_hex and length >= 32)


class Fingerprinter:
    """Keyed hashing of values, so equal values compare equal without being kept."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def __call__(self, value: str) -> str:
        return hmac.digest(self._key, value.encode("utf-8", "surrogatepass"), hashlib.sha256).hex()

    def check_value(self) -> str:
        """Identifies the key without revealing it; history refuses scans made with another."""
        return self("drift fingerprint key check")

    @classmethod
    def ephemeral(cls) -> Fingerprinter:
        """A random key for one process: fingerprints comparable only within this run."""
        return cls(_stdlib_secrets.token_bytes(32))

    @classmethod
    def for_project(cls, key_file: Path) -> Fingerprinter:
        """The key from DRIFT_FINGERPRINT_KEY, else from a 0600 key file created on first use."""
        from_env = os.environ.get(FINGERPRINT_ENV)
        if from_env:
            return cls(from_env.encode("utf-8"))
        try:
            return cls(key_file.read_bytes().strip())
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise ConfigError(f"{key_file}: cannot read the fingerprint key ({exc.strerror})") from None
        key = _stdlib_secrets.token_hex(32).encode("ascii")
        try:
            key_file.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return cls(key_file.read_bytes().strip())
        except OSError as exc:
            raise ConfigError(
                f"{key_file}: cannot create the fingerprint key ({exc.strerror}); set {FINGERPRINT_ENV} instead"
            ) from None
        with os.fdopen(fd, "wb") as handle:
            handle.write(key)
        return cls(key)


def masked(fingerprint: str) -> str:
    """How a secret is shown: a mask and a short fingerprint prefix."""
    return f"{MASK} {fingerprint[:SHORT_FINGERPRINT]}"
