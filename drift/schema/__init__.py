"""The schema stage: KeySpecs from `.env.example` annotations and drift.toml `[keys]` tables.

The names below are imported on first use: `drift diff` and the engine's value checks need
KeySpec and the types without the example parser, and start-up time counts on those paths.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from drift.schema.build import Schema, load_schema
    from drift.schema.keyspec import Condition, KeySpec

__all__ = ["Condition", "KeySpec", "Schema", "load_schema"]
_HOMES = {"Schema": "build", "load_schema": "build", "Condition": "keyspec", "KeySpec": "keyspec"}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(importlib.import_module(f"drift.schema.{_HOMES[name]}"), name)
    raise AttributeError(f"module 'drift.schema' has no attribute {name!r}")
