"""`drift schema show`: the merged schema as text or JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from drift.schema.build import Schema
from drift.schema.keyspec import KeySpec
from drift.schema.showable import shown
from drift.secrets import MASK

_CONSTRAINTS = (
    "values",
    "schemes",
    "min",
    "max",
    "min_length",
    "max_length",
    "pattern",
    "default",
    "required_if",
    "deprecated",
    "max_age",
)


def _required(spec: KeySpec, environments: Sequence[str]) -> str:
    if spec.required_if is not None:
        return f"if {spec.required_if}"
    envs = [env for env in environments if spec.for_env(env).is_required(env)]
    if len(envs) == len(environments):
        return "yes"
    return ", ".join(envs) if envs else "no"


#: Fields that hold a value of the key itself: shown only under the display policy.
_VALUES = ("default", "equals")


def _fields(spec: KeySpec) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for name in _CONSTRAINTS:
        value = getattr(spec, name)
        if value is not None:
            fields[name] = str(value) if name == "required_if" else (list(value) if isinstance(value, tuple) else value)
    for name in _VALUES:
        if name in fields:
            fields[name] = _shown(spec, fields[name])
    if spec.nonempty:
        fields["nonempty"] = True
    if spec.parity != "free":
        fields["parity"] = spec.parity
    return fields


def as_text(schema: Schema, environments: Sequence[str]) -> str:
    """One block per key: type, required, secret, constraints, overrides, description."""
    lines = []
    for spec in schema.specs.values():
        flags = [spec.type, f"required: {_required(spec, environments)}"]
        if spec.schema_secret:
            flags.append("secret")
        lines.append(f"{spec.name}  ({', '.join(flags)})  [{spec.location or spec.origin}]")
        for name, value in _fields(spec).items():
            lines.append(f"    {name} = {value}")
        for env, override in spec.overrides.items():
            shown = ", ".join(f"{k} = {_override(spec, env, k, v)}" for k, v in override.items())
            lines.append(f"    in {env}: {shown}")
        if spec.description:
            lines.append(f"    # {spec.description}")
    lines.append(f"{len(schema.specs)} keys")
    return "\n".join(lines) + "\n"


def as_json(schema: Schema) -> str:
    """Every key's merged spec as JSON."""
    keys = []
    for spec in schema.specs.values():
        keys.append(
            {
                "name": spec.name,
                "type": spec.type,
                "secret": spec.schema_secret,
                "required": list(spec.required) if isinstance(spec.required, tuple) else spec.required,
                "origin": spec.origin,
                "location": spec.location,
                "description": spec.description,
                **_fields(spec),
                "env": {
                    env: {k: _override(spec, env, k, v) for k, v in o.items()} for env, o in spec.overrides.items()
                },
            }
        )
    return json.dumps({"schema": schema.example_path, "keys": keys}, indent=2, default=list) + "\n"


def _shown(spec: KeySpec, value: Any) -> Any:
    text = shown(spec, str(value))
    return MASK if text is None else value if text == str(value) else text


def _override(spec: KeySpec, env: str, name: str, value: Any) -> Any:
    """An `env.<name>` field as shown: a value of the key only under the display policy."""
    if name == "required_if":
        return str(value)
    if name in _VALUES:
        return _shown(spec.for_env(env), value)
    return list(value) if isinstance(value, tuple) else value
