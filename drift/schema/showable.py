"""Whether drift positively knows a value is no secret, so that it may be shown: the display
policy (README, "What a report shows"), in the schema layer so that `schema show` and the
reports decide alike."""

from __future__ import annotations

from drift.schema import types
from drift.schema.keyspec import KeySpec
from drift.secrets import is_url

#: Types whose valid values are never secrets: they may be shown.
SHOWABLE_TYPES = frozenset({"bool", "int", "float", "port", "duration", "enum"})


def showable(spec: KeySpec | None, value: str) -> bool:
    """Whether drift positively knows the value is not a secret (see the module doc)."""
    if not value:
        return True
    if spec is None:
        return False
    if spec.secret is False:
        return True
    if spec.type in SHOWABLE_TYPES:
        try:
            types.parse(spec.type, value)
        except types.InvalidValue:
            return False
        return spec.type != "enum" or (spec.values is not None and value in spec.values)
    return is_url(value)
