"""JSON renderer: the document, serialised with stable key order."""

from __future__ import annotations

import json

from drift.report.document import Document


def render(document: Document) -> str:
    """The document as indented JSON text, ending with a newline."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
