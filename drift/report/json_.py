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
    """The document as JSON text, ending with a newline."""
    fields = []
    for key, value in document.items():
        fields.append(f"  {json.dumps(key)}: {_value(value)}")
    return "{\n" + ",\n".join(fields) + "\n}\n"


def _value(value: Any) -> str:
    if isinstance(value, list) and value:
        return "[\n    " + ",\n    ".join(map(_compact, value)) + "\n  ]"
    if isinstance(value, dict) and value:
        items = (f"    {json.dumps(k, ensure_ascii=False)}: {_compact(v)}" for k, v in value.items())
        return "{\n" + ",\n".join(items) + "\n  }"
    return _compact(value)


#: One encoder for every record: `json.dumps` with options builds an encoder per call.
_compact = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
