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
        self._hmac: _Hmac | None = None

    def __call__(self, value: str) -> str:
        found = self._known.get(value)
        if found is None:
            if self._hmac is None:
                self._hmac = _Hmac(self._key)
            found = self._known[value] = self._hmac.hexdigest(value.encode("utf-8", "surrogatepass"))
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


class _Hmac:
    """HMAC-SHA256 (RFC 2104) with the key's inner and outer hash states worked out once:
    `hmac.digest` sets the key up again for every value, which made it 2.3 us a value
    against 0.9 us here, and a scan of 20 x 5,000 keys hashes 13,000 distinct values
    (tests/test_secrets.py holds it to `hmac.digest`). hashlib loads on the first value that
    needs it (a check of a few plain keys may need none: start-up time)."""

    def __init__(self, key: bytes) -> None:
        import hashlib

        if len(key) > _BLOCK:
            key = hashlib.sha256(key).digest()
        key = key.ljust(_BLOCK, b"\0")
        self._inner = hashlib.sha256(key.translate(_INNER_PAD))
        self._outer = hashlib.sha256(key.translate(_OUTER_PAD))

    def hexdigest(self, message: bytes) -> str:
        inner = self._inner.copy()
        inner.update(message)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.hexdigest()


#: SHA-256's block size, and the key XOR-ed with HMAC's pads (as byte translation tables).
_BLOCK = 64
_INNER_PAD = bytes(x ^ 0x36 for x in range(256))
_OUTER_PAD = bytes(x ^ 0x5C for x in range(256))


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
