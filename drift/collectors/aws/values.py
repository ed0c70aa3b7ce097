"""Turning stored secret text into keys: Secrets Manager JSON objects and plain strings."""

from __future__ import annotations

import json


def json_text(value: object) -> str:
    """A JSON member as a key's value: strings as they are, null as empty, the rest as JSON."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":"))


def json_object(text: str) -> dict[str, object] | None:
    """The secret as a JSON object, or None when it is a plain string (or other JSON)."""
    try:
        parsed = json.loads(text)
    except ValueError:
        return None
    return parsed if isinstance(parsed, dict) else None
