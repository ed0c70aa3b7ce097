"""The JSON report's shape, once: checked before rendering (`drift render --input`, saved
scans), and published as a JSON Schema generated from the same declaration
(`drift/schemas/drift-report.schema.json`, held to `json_schema()` by a test).

A report on disk may have been edited or damaged. Every field a renderer reads is checked for
its type and, where the renderers depend on it, its values (a severity they know, an
environment the report lists, a rule it explains), so a bad report is one ConfigError naming
the field, never a KeyError or TypeError inside a template.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NoReturn

from drift import schema_url
from drift.errors import ConfigError
from drift.model import SEVERITY_LABELS

Spec = Mapping[str, object]

STR, OPT_STR, INT, BOOL = (str,), (str, type(None)), (int,), (bool,)
SEVERITIES = SEVERITY_LABELS
_FINDING: Spec = {
    "id": STR,
    "rule": STR,
    "severity": SEVERITIES,
    "env": OPT_STR,
    "key": OPT_STR,
    "message": STR,
    "expected": OPT_STR,
    "actual": OPT_STR,
    "location": OPT_STR,
    "fix": STR,
    "command": OPT_STR,
    "status": OPT_STR,
    "first_seen": OPT_STR,
    "basis": ("declared", "inferred"),
}
_COUNTS: Spec = dict.fromkeys(SEVERITIES, INT)
_SOURCE: Spec = {"type": STR, "name": STR, "status": STR, "error": OPT_STR, "keys": INT}
_ENVIRONMENT: Spec = {
    "name": STR,
    "status": STR,
    "deployed": BOOL,
    "keys": INT,
    "sources": [_SOURCE],
    "findings": _COUNTS,
}
_CELL: Spec = {"state": STR, "display": OPT_STR, "group": (int, type(None))}
_ROW: Spec = {"key": STR, "declared": BOOL, "secret": BOOL, "status": STR, "findings": INT, "cells": {}}
_RULE: Spec = {"severity": SEVERITIES, "title": STR, "explanation": STR, "fix": STR}
_TREND: Spec = {"scan_id": STR, "scanned_at": STR, "error": INT, "warning": INT}
_DOCUMENT: Spec = {
    "project": STR,
    "scanned_at": STR,
    "schema": OPT_STR,
    "dialect": OPT_STR,
    "fail_on": (*SEVERITIES, None),
    "environments": [_ENVIRONMENT],
    "findings": [_FINDING],
    "matrix": [_ROW],
    "keys": [STR],  # after the matrix, whose rows an older report's `keys` are filled from
    "rules": {},
    "summary": _COUNTS,
    "exit_code": INT,
    "scan_id": OPT_STR,
    "previous_scan": OPT_STR,
    "new_only": BOOL,
    "repository_prefix": STR,
    "duration_seconds": (int, float),
    "suppressed": [{**_FINDING, "reason": STR}],
    "resolved": [_FINDING],
    "unverified": [_FINDING],
    "trend": [_TREND],
}


def check_document(data: Mapping[str, Any], where: str) -> None:
    """Raise ConfigError naming the first field that a renderer could not use."""
    _check(data, _DOCUMENT, where, "")
    envs = {env["name"] for env in data["environments"]}
    for slug, rule in data["rules"].items():
        _check(rule, _RULE, where, f"rules.{slug}")
    for name in ("findings", "suppressed"):
        for index, finding in enumerate(data[name]):
            if finding["env"] is not None and finding["env"] not in envs:
                _fail(where, f"{name}[{index}].env", "names an environment the report does not list")
            if finding["rule"] not in data["rules"]:
                _fail(where, f"{name}[{index}].rule", "names a rule the report does not explain")
    if data["matrix"] and [row["key"] for row in data["matrix"]] != data["keys"]:
        _fail(where, "keys", "must name the matrix's rows, in order")
    for index, row in enumerate(data["matrix"]):
        if set(row["cells"]) != envs:
            _fail(where, f"matrix[{index}].cells", "must hold one cell for each environment the report lists")
        for env, cell in row["cells"].items():
            _check(cell, _CELL, where, f"matrix[{index}].cells.{env}")


def _check(value: object, spec: object, where: str, path: str) -> None:
    if isinstance(spec, Mapping):
        if not isinstance(value, Mapping):
            _fail(where, path, "must be an object")
        for field, inner in spec.items():
            if field not in value:
                _fail(where, f"{path}.{field}".lstrip("."), "is missing")
            _check(value[field], inner, where, f"{path}.{field}".lstrip("."))
    elif isinstance(spec, list):
        if not isinstance(value, list):
            _fail(where, path, "must be a list")
        for index, item in enumerate(value):
            _check(item, spec[0], where, f"{path}[{index}]")
    elif isinstance(spec, tuple) and spec and all(isinstance(s, type) for s in spec):
        if not isinstance(value, spec) or (isinstance(value, bool) and bool not in spec):
            _fail(where, path, "has the wrong type")
    elif isinstance(spec, tuple) and value not in spec:
        _fail(where, path, f"must be one of {', '.join(str(s) for s in spec)}")


def _fail(where: str, path: str, problem: str) -> NoReturn:
    raise ConfigError(f"{where}: drift JSON report: {path} {problem}")


_JSON_TYPES = {str: "string", int: "integer", float: "number", bool: "boolean", type(None): "null"}


def json_schema() -> dict[str, Any]:
    """The report's shape as a JSON Schema (draft 2020-12), from the declaration above: what a
    consumer of `--format json` may rely on (fields may be added; none is removed or changes
    type without a new `schema_version`)."""
    schema = _schema_of(_DOCUMENT)
    schema["properties"]["rules"] = {"type": "object", "additionalProperties": _schema_of(_RULE)}
    row = schema["properties"]["matrix"]["items"]
    row["properties"]["cells"] = {"type": "object", "additionalProperties": _schema_of(_CELL)}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_url("drift-report.schema.json"),
        "title": "drift JSON report",
        **schema,
        "properties": {"schema_version": {"type": "integer"}, **schema["properties"]},
    }


def _schema_of(spec: object) -> dict[str, Any]:
    if isinstance(spec, Mapping):
        if not spec:
            return {"type": "object"}
        return {
            "type": "object",
            "required": list(spec),
            "properties": {field: _schema_of(inner) for field, inner in spec.items()},
        }
    if isinstance(spec, list):
        return {"type": "array", "items": _schema_of(spec[0])}
    assert isinstance(spec, tuple)
    if all(isinstance(s, type) for s in spec):
        return {"type": [_JSON_TYPES[t] for t in spec]}
    return {"enum": list(spec)}
