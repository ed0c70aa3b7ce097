"""Parsing that several collectors share, in one place so that no collector imports another
to parse: dotenv text (a file, an ECS environment file, a remote file, a program's output),
JSON members as values (Secrets Manager, ECS references, a program's JSON), and the values
of a ConfigMap or Secret (manifests, `kubectl` output).

The JSON and base64 modules load where they are used: a pre-commit check reads dotenv files
only, and its start-up is its whole cost."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from drift import dialects
from drift.collectors.base import SourceData
from drift.model import Entry

#: An Entry's fields after its location, as its defaults give them: no store flags, no metadata.
_UNFLAGGED = tuple(Entry._field_defaults[name] for name in Entry._fields[4:])


def read_env_text(text: str, dialect: str, expand: bool, shown: str, source: str | None = None) -> SourceData:
    """Entries of a dotenv text (a file, an ECS environment file), with its problems."""
    read = dialects.read(text, dialect, expand, shown)
    source = source or f"dotenv:{shown}"
    # built directly (as `Entry(key, value, source, location)` would): the named tuple's own
    # __new__ costs as much again as the rest, 100,000 times on 20 x 5,000 keys
    new, unflagged = tuple.__new__, _UNFLAGGED
    entries = [new(Entry, (key, a.value, source, f"{shown}:{a.line}", *unflagged)) for key, a in read.values.items()]
    # a key whose value only the running application computes: there, value unknown
    entries += [Entry(key, None, source, f"{shown}:{line}") for key, line in read.unknown.items()]
    return SourceData(entries, read.problems, read.malformed)


def object_values(obj: Mapping[str, Any], secret: bool) -> tuple[dict[str, tuple[str, int]], list[str]]:
    """A ConfigMap's or Secret's values with the line of each key (0 when unknown), and the
    keys of a Secret whose `data` is not base64 of UTF-8 text. A Secret's `stringData` wins
    over its `data`, as the API server merges them."""
    import base64
    import binascii

    found: dict[str, tuple[str, int]] = {}
    undecodable: list[str] = []
    for section in ("data", "stringData") if secret else ("data",):
        values = obj.get(section)
        if not isinstance(values, Mapping):
            continue
        lines = getattr(values, "lines", {})
        for key, value in values.items():
            if not isinstance(value, str):
                continue
            if section == "data" and secret:
                try:
                    value = base64.b64decode(value, validate=True).decode("utf-8")
                except (binascii.Error, UnicodeDecodeError, ValueError):
                    undecodable.append(key)
                    continue
            found[key] = (value, lines.get(key, 0))
    return found, undecodable


def json_text(value: object) -> str | None:
    """A JSON member as the text an environment variable would hold: a string as it is, true
    and false, a number or a structure as compact JSON; None for null, which holds no value
    (the key is set, its value unknown: never taken for empty)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    import json

    return json.dumps(value, separators=(",", ":"))


def json_object(text: str) -> dict[str, object] | None:
    """The text as a JSON object, or None when it is a plain string (or other JSON)."""
    from drift.platform import jsontext

    try:
        parsed = jsontext.loads(text)
    except ValueError:  # not JSON, or nested too deeply: a plain string
        return None
    return parsed if isinstance(parsed, dict) else None
