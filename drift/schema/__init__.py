"""The schema stage: KeySpecs from `.env.example` annotations and drift.toml `[keys]` tables."""

from drift.schema.build import Schema, load_schema
from drift.schema.keyspec import Condition, KeySpec

__all__ = ["Condition", "KeySpec", "Schema", "load_schema"]
