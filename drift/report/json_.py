"""JSON renderer: the document, serialised with stable key order.

Top-level fields are indented; each finding, matrix row and the like is one compact line,
written by the standard library's C encoder (the pure-Python encoder that indentation needs
took 0.48 s of a 20 x 5,000-key report; this takes about 0.12 s, benchmarks/README.md), and a
report still reads and diffs one record per line.
"""

from __future__ import annotations

import json
from typing import Any

from drift.report.document import Document


def render(document: Document) -> str:
    """The document as JSON text, ending with a newline: its pieces joined once (a large
    report's matrix is 9 MB, which joining field by field copied five times)."""
    parts = ["{\n"]
    for index, (key, value) in enumerate(document.items()):
        parts.append(f",\n  {json.dumps(key)}: " if index else f"  {json.dumps(key)}: ")
        _value(value, parts)
    parts.append("\n}\n")
    return "".join(parts)


def _value(value: Any, parts: list[str]) -> None:
    if isinstance(value, list) and value:
        parts.append("[\n    ")
        for index, record in enumerate(map(_compact, value)):
            parts += (",\n    ", record) if index else (record,)
        parts.append("\n  ]")
    elif isinstance(value, dict) and value:
        parts.append("{\n")
        for index, (name, item) in enumerate(value.items()):
            parts += (",\n" if index else "", "    ", json.dumps(name, ensure_ascii=False), ": ", _compact(item))
        parts.append("\n  }")
    else:
        parts.append(_compact(value))


#: One encoder for every record: `json.dumps` with options builds an encoder per call.
_compact = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
