"""What counts as a secret, how a secret is shown, and how it is compared without keeping it.

DESIGN.md (Semantics, Secrets) is the contract implemented here: `names` (what a key's name
says), `values` (credential formats, random-looking tokens, placeholders), `urls`
(passwords and secret query parameters inside URLs) and `fingerprint` (HMAC fingerprints
under a project key, so reuse and change are visible while the value never leaves).
"""

from drift.secrets.fingerprint import FINGERPRINT_ENV, SHORT_FINGERPRINT, Fingerprinter, masked
from drift.secrets.names import (
    BROWSER_PREFIXES,
    NEAR,
    STRONG,
    WEAK,
    is_browser_exposed,
    is_public_by_design,
    is_secret_name,
    name_verdict,
    segments,
)
from drift.secrets.urls import MASK, is_url, mask_url_secrets, url_password, url_passwords
from drift.secrets.values import (
    has_credential_format,
    has_reserved_host,
    is_high_entropy_token,
    is_placeholder,
    is_placeholder_word,
    looks_like_real_credential,
)

__all__ = [
    "BROWSER_PREFIXES",
    "FINGERPRINT_ENV",
    "MASK",
    "NEAR",
    "SHORT_FINGERPRINT",
    "STRONG",
    "WEAK",
    "Fingerprinter",
    "has_credential_format",
    "has_reserved_host",
    "is_browser_exposed",
    "is_high_entropy_token",
    "is_placeholder",
    "is_placeholder_word",
    "is_public_by_design",
    "is_secret_name",
    "is_url",
    "looks_like_real_credential",
    "mask_url_secrets",
    "masked",
    "name_verdict",
    "segments",
    "url_password",
    "url_passwords",
]
