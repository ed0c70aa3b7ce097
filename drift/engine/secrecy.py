"""Which values are secret for which purpose, and how every value is displayed.

Display fails closed (DESIGN.md Semantics, issue #8): a value is shown only when drift
positively knows it is not a secret: the key is declared `secret = false`, or its declared
or inferred type is bool, int, float, port, duration or enum and the value is valid for it,
or the value is a URL (shown part by part: `secrets/display.py`).
Everything else, undeclared keys included, is a mask and a fingerprint prefix.

Recognition (schema, store, name, value) decides the rules: `secret-reuse`, `placeholder`,
`secret-public`, `secret-plaintext`. What it rests on is the finding's `basis`: a
declaration, a store's word, a credential format or a secret word in the name is
`declared`; a near-miss name or a random-looking value is `inferred`.
"""

from collections.abc import Iterable
from typing import NamedTuple

from drift.model import Entry
from drift.platform.suggest import NearMisses
from drift.schema.keyspec import KeySpec
from drift.schema.showable import showable
from drift.secrets import (
    NEAR,
    SHORT_FINGERPRINT,
    STRONG,
    WEAK,
    Fingerprinter,
    has_credential_format,
    is_browser_exposed,
    is_high_entropy_token,
    is_identifier_name,
    is_public_by_design,
    is_setting_name,
    is_setting_value,
    masked,
    name_verdict,
    redact_urls,
    url_passwords,
)

STORE_SECRET_MIN_LENGTH = 16
DECLARED, INFERRED = "declared", "inferred"


class Secrecy(NamedTuple):
    """How one value must be treated."""

    #: Counts as a secret for rules.
    for_rules: bool
    #: Shown only as a mask and fingerprint prefix.
    masked: bool
    #: Counts for `secret-reuse` (a rule secret, or a URL carrying a password).
    shareable: bool
    #: What `for_rules` rests on: `declared` or `inferred`.
    basis: str = DECLARED


def classify(key: str, spec: KeySpec | None, entry: Entry, near_secret: NearMisses | None = None) -> Secrecy:
    """The secrecy of one entry under its (resolved) spec. `near_secret` finds declared
    secret keys one edit away from `key` (`NEXTAUTH_SECERT` for `NEXTAUTH_SECRET`)."""
    value = entry.value or ""
    explicit = spec.secret if spec is not None else None
    if explicit is False:
        return Secrecy(False, entry.store_secret, False)
    public = is_browser_exposed(key)
    if explicit:
        return Secrecy(True, True, bool(value))
    if is_setting_name(key) and is_setting_value(value) and not entry.store_secret:
        # a flag or a number under a name that toggles or counts: a setting, whatever else the
        # name says (`DISABLE_EMAIL_PASSWORD_SIGNUP=false`); shown only if the type says so
        return Secrecy(False, not showable(spec, value), False)
    verdict = name_verdict(key)
    if (value and has_credential_format(value)) or verdict == STRONG or (verdict == WEAK and not public):
        return Secrecy(True, True, bool(value) and not public)
    if entry.store_secret:
        counts = len(value) >= STORE_SECRET_MIN_LENGTH
        return Secrecy(counts, True, counts and not public)
    near = verdict in (NEAR, WEAK) or (near_secret is not None and near_secret.closest(key) is not None)
    if near or (value and _random_secret(key, spec, value)):
        return Secrecy(True, True, bool(value) and not public, INFERRED)
    return Secrecy(False, not showable(spec, value), bool(url_passwords(value)) and not public)


def _random_secret(key: str, spec: KeySpec | None, value: str) -> bool:
    """Whether a random-looking value is an (inferred) secret: not under a name public by
    design or an identifier's (`..._ID`), and not the example's own value (the example file
    is committed: what it holds is public, or already reported as `secret-in-example`)."""
    if is_public_by_design(key) or is_identifier_name(key):
        return False
    if spec is not None and spec.example == value:
        return False
    return is_high_entropy_token(value)


class SecrecyCache:
    """classify() once per distinct (key, value, store flag, spec): the per-environment and
    cross-environment rules and the matrix all need it, this is the hot path, and most
    values are the same in most environments. Lives for one scan, in memory only."""

    def __init__(self, declared_secrets: Iterable[str] = ()) -> None:
        self._known: dict[tuple[str, str | None, bool, int], Secrecy] = {}
        self._declared_secrets = list(declared_secrets)
        self._near: NearMisses | None = None

    def of(self, key: str, spec: KeySpec | None, entry: Entry) -> Secrecy:
        # the schema keeps every spec alive for the scan, so id() identifies it
        identity = (key, entry.value, entry.store_secret, id(spec))
        found = self._known.get(identity)
        if found is None:
            if self._near is None and spec is None and self._declared_secrets:
                self._near = NearMisses(self._declared_secrets)
            found = self._known[identity] = classify(key, spec, entry, self._near if spec is None else None)
        return found


def display(value: str | None, secrecy: Secrecy, fingerprint: Fingerprinter) -> str | None:
    """The value as any output may show it: masked with a fingerprint prefix, or (when
    drift knows it is no secret) as it is, a URL part by part; a URL with a masked part
    carries its fingerprint prefix, so that equal URLs look equal and different ones differ."""
    if value is None:
        return None
    if secrecy.masked and value:
        return masked(fingerprint(value))
    text = redact_urls(value)
    return text if text == value else f"{text} ({fingerprint(value)[:SHORT_FINGERPRINT]})"
