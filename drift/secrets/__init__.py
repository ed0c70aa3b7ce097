"""What counts as a secret, how a secret is shown, and how it is compared without keeping it.

DESIGN.md (Semantics, Secrets) is the contract implemented here: `names` (what a key's name
says), `values` (credential formats, random-looking tokens, placeholders), `urls`
(passwords inside URLs), `display` (URLs shown part by part) and `fingerprint` (HMAC fingerprints
under a project key, so reuse and change are visible while the value never leaves).
"""

from drift.secrets.display import redact_url, redact_urls
from drift.secrets.fingerprint import FINGERPRINT_ENV, SHORT_FINGERPRINT, Fingerprinter, masked
from drift.secrets.names import (
    BROWSER_PREFIXES,
    NEAR,
    STRONG,
    WEAK,
    is_browser_exposed,
    is_identifier_name,
    is_public_by_design,
    is_secret_name,
    is_setting_name,
    name_verdict,
    segments,
)
from drift.secrets.urls import MASK, is_url, url_password, url_passwords
from drift.secrets.values import (
    ENTROPY,
    FORMAT,
    credential_evidence,
    has_credential_format,
    has_reserved_host,
    is_high_entropy_token,
    is_placeholder,
    is_placeholder_word,
    is_setting_value,
    looks_like_real_credential,
)

__all__ = [
    "BROWSER_PREFIXES",
    "ENTROPY",
    "FINGERPRINT_ENV",
    "FORMAT",
    "MASK",
    "NEAR",
    "SHORT_FINGERPRINT",
    "STRONG",
    "WEAK",
    "Fingerprinter",
    "credential_evidence",
    "has_credential_format",
    "has_reserved_host",
    "is_browser_exposed",
    "is_high_entropy_token",
    "is_identifier_name",
    "is_placeholder",
    "is_placeholder_word",
    "is_public_by_design",
    "is_secret_name",
    "is_setting_name",
    "is_setting_value",
    "is_url",
    "looks_like_real_credential",
    "masked",
    "name_verdict",
    "redact_url",
    "redact_urls",
    "segments",
    "url_password",
    "url_passwords",
]
