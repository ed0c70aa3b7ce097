"""HMAC-SHA256 fingerprints: equal values compare equal without being kept.

The key comes from DRIFT_FINGERPRINT_KEY (a CI secret) or a 0600 key file created on first
use; a key file that is empty or too short is refused, since anyone could then compute the
fingerprints of guessed values.
"""

from __future__ import annotations

import os
from pathlib import Path

from drift.errors import ConfigError
from drift.secrets.urls import MASK

FINGERPRINT_ENV = "DRIFT_FINGERPRINT_KEY"
SHORT_FINGERPRINT = 8
#: A key file shorter than this is refused (the file drift writes holds 64 hex digits).
MIN_KEY_BYTES = 16


class Fingerprinter:
    """Keyed hashing of values, so equal values compare equal without being kept."""

    def __init__(self, key: bytes) -> None:
        self._key = key
        #: Values repeat across environments; each is hashed once per run (in memory only).
        self._known: dict[str, str] = {}

    def __call__(self, value: str) -> str:
        found = self._known.get(value)
        if found is None:
            found = self._known[value] = _digest(self._key, value)
        return found

    def check_value(self) -> str:
        """Identifies the key without revealing it; history refuses scans made with another."""
        return self("drift fingerprint key check")

    @classmethod
    def ephemeral(cls) -> Fingerprinter:
        """A random key for one process: fingerprints comparable only within this run."""
        return cls(os.urandom(32))

    @classmethod
    def for_project(cls, key_file: Path) -> Fingerprinter:
        """The key from DRIFT_FINGERPRINT_KEY, else from a 0600 key file created on first use."""
        from_env = os.environ.get(FINGERPRINT_ENV)
        if from_env:
            return cls(from_env.encode("utf-8"))
        try:
            return cls(_checked(key_file, key_file.read_bytes().strip()))
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise ConfigError(f"{key_file}: cannot read the fingerprint key ({exc.strerror})") from None
        key = os.urandom(32).hex().encode("ascii")
        try:
            key_file.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return cls(_checked(key_file, key_file.read_bytes().strip()))
        except OSError as exc:
            raise ConfigError(
                f"{key_file}: cannot create the fingerprint key ({exc.strerror}); set {FINGERPRINT_ENV} instead"
            ) from None
        with os.fdopen(fd, "wb") as handle:
            handle.write(key)
        return cls(key)


def _digest(key: bytes, value: str) -> str:
    """HMAC-SHA256 of a value, in hex. hashlib loads on the first value that needs it (a
    check of a few plain keys may need none: start-up time)."""
    import hashlib
    import hmac

    return hmac.digest(key, value.encode("utf-8", "surrogatepass"), hashlib.sha256).hex()


def _checked(key_file: Path, key: bytes) -> bytes:
    """Refuse an empty or short key (one another process has created but not yet written
    reads as empty)."""
    if len(key) < MIN_KEY_BYTES:
        raise ConfigError(
            f"{key_file}: the fingerprint key is empty or shorter than {MIN_KEY_BYTES} bytes; "
            f"delete the file to have drift create a new one, or set {FINGERPRINT_ENV}"
        )
    return key


def masked(fingerprint: str) -> str:
    """How a secret is shown: a mask and a short fingerprint prefix."""
    return f"{MASK} {fingerprint[:SHORT_FINGERPRINT]}"
