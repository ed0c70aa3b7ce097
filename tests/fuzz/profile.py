"""The hypothesis settings every property shares: 150 examples in `make test`, 5,000 in the
nightly `make fuzz` (DRIFT_FUZZ_PROFILE=nightly)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_PROFILES = {"default": 150, "nightly": 5000}
FUZZ = settings(
    max_examples=_PROFILES[os.environ.get("DRIFT_FUZZ_PROFILE", "default")],
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
