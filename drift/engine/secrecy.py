"""Which values are secret for which purpose, and how every value is displayed.

Three degrees (DESIGN.md Semantics): secret for the rules (`secret-reuse`, `placeholder`,
`secret-public`), masked in output, or plain. A value a store marks secret is always masked,
but counts for the rules only from 16 characters, so a SecureString `5432` is no credential.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from drift.model import Entry
from drift.schema.keyspec import KeySpec
from drift.secrets import Fingerprinter, has_credential_format, is_secret_name, mask_url_passwords, masked, url_password

STORE_SECRET_MIN_LENGTH = 16

name_is_secret = lru_cache(maxsize=65536)(is_secret_name)


@dataclass(frozen=True, slots=True)
class Secrecy:
    """How one value must be treated."""

    #: Counts as a secret for rules.
    for_rules: bool
    #: Shown only as a mask and fingerprint prefix.
    masked: bool
    #: Counts for `secret-reuse` (a rule secret, or a URL carrying a password).
    shareable: bool


PLAIN = Secrecy(False, False, False)


def classify(key: str, spec: KeySpec | None, entry: Entry) -> Secrecy:
    """The secrecy of one entry under its (resolved) spec."""
    value = entry.value or ""
    explicit = spec.secret if spec is not None else None
    if explicit is False:
        return Secrecy(False, entry.store_secret, False)
    if explicit or name_is_secret(key) or (value and has_credential_format(value)):
        return Secrecy(True, True, bool(value))
    if entry.store_secret:
        counts = len(value) >= STORE_SECRET_MIN_LENGTH
        return Secrecy(counts, True, counts)
    if "://" in value and url_password(value):
        return Secrecy(False, False, True)
    return PLAIN


class SecrecyCache:
    """classify() once per (environment, key): the per-environment and cross-environment
    rules and the matrix all need it, and this is the hot path."""

    def __init__(self) -> None:
        self._known: dict[tuple[str, str], Secrecy] = {}

    def of(self, env: str, key: str, spec: KeySpec | None, entry: Entry) -> Secrecy:
        found = self._known.get((env, key))
        if found is None:
            found = self._known[(env, key)] = classify(key, spec, entry)
        return found


def display(value: str | None, secrecy: Secrecy, fingerprint: Fingerprinter) -> str | None:
    """The value as any output may show it: masked with a fingerprint prefix, or with URL
    passwords masked."""
    if value is None:
        return None
    if secrecy.masked and value:
        return masked(fingerprint(value))
    return mask_url_passwords(value)
