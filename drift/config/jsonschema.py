"""drift.toml's shape as a JSON Schema, generated from the declarations the configuration
reader itself checks against: the top-level tables, `[drift]`'s fields, each source type's
options (with their types and help, from the collectors), the AWS fields, the key fields of
`[keys.NAME]` and their per-environment overrides, and the finding-side tables. Editors that
read TOML with a schema (Even Better TOML / taplo, with `#:schema` or their settings)
complete and check drift.toml with it; `drift/schemas/drift.toml.schema.json` is this output, and a
test holds the file to it and every example configuration to the file.

Field names are exact (an unknown field is an error, as drift says too); values are typed
where the code declares a type (source options), any value elsewhere: drift's own checks
stay the authority on values.
"""

from __future__ import annotations

from typing import Any

from drift import schema_url
from drift.collectors import registry
from drift.config import _DRIFT_FIELDS, _TOP_TABLES, CODE_FIELDS, METRICS_FIELDS, SETTINGS_FIELDS
from drift.config.environments import _ENV_FIELDS, _SOURCE_COMMON
from drift.config.findings import _ASSERT_FIELDS, _IGNORE_FIELDS, _NOTIFY_FIELDS
from drift.schema import keyspec
from drift.settings import AWS_FIELDS

_JSON = {str: "string", int: "integer", float: "number", bool: "boolean", list: "array", dict: "object"}
_ANY: dict[str, Any] = {}


def _table(fields: dict[str, Any], description: str = "") -> dict[str, Any]:
    found: dict[str, Any] = {"type": "object", "properties": fields, "additionalProperties": False}
    if description:
        found["description"] = description
    return found


def _names(names: tuple[str, ...] | list[str]) -> dict[str, Any]:
    return dict.fromkeys(names, _ANY)


def _source(kind: str) -> dict[str, Any]:
    cls = registry.lookup(kind)
    assert cls is not None
    options: dict[str, Any] = {"type": {"const": kind}, **_names(_SOURCE_COMMON[1:])}
    for name, option in cls.options.items():
        types = sorted({_JSON[t] for t in option.types if t in _JSON})
        options[name] = {"type": types[0] if len(types) == 1 else types, "description": option.help}
    required = ["type", *(name for name, option in cls.options.items() if option.required)]
    return {**_table(options), "required": required}


def json_schema() -> dict[str, Any]:
    """drift.toml as a JSON Schema (draft 2020-12)."""
    key = _table(
        {
            **_names(list(keyspec.FIELDS)),
            "env": {"type": "object", "additionalProperties": _table(_names(list(keyspec.ENV_FIELDS)))},
        }
    )
    environment = _table(
        {
            "deployed": {"type": "boolean"},
            "aws": _table(_names(AWS_FIELDS)),
            "sources": {"type": "array", "items": {"oneOf": [_source(kind) for kind in registry.kinds()]}},
        }
    )
    assert set(environment["properties"]) == set(_ENV_FIELDS)
    tables: dict[str, Any] = {
        "drift": _table(_names(_DRIFT_FIELDS), "settings of the whole run"),
        "environments": {"type": "object", "additionalProperties": environment},
        "keys": {"type": "object", "additionalProperties": key},
        "ignore": {"type": "array", "items": _table(_names(_IGNORE_FIELDS))},
        "notify": _table(_names(_NOTIFY_FIELDS)),
        "assert": {"type": "array", "items": _table(_names(_ASSERT_FIELDS))},
        "code": _table(_names(CODE_FIELDS)),
        "settings": _table(_names(SETTINGS_FIELDS)),
        "metrics": _table(_names(METRICS_FIELDS)),
    }
    assert set(tables) == set(_TOP_TABLES)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_url("drift.toml.schema.json"),
        "title": "drift.toml",
        **_table(tables),
    }
