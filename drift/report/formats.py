"""The registry of output formats: one enum member and one renderer each."""

from __future__ import annotations

import enum
from typing import assert_never

from drift.report.document import Document


class Format(enum.Enum):
    """Every format drift writes; the value is what `--format` and `--output` accept."""

    TERMINAL = "terminal"
    JSON = "json"

    @property
    def needs_matrix(self) -> bool:
        """Whether the renderer shows the environment x key matrix (costly to build)."""
        return self is not Format.TERMINAL


def render(fmt: Format, document: Document, color: bool = False) -> str:
    """Render the document in one format."""
    if fmt is Format.TERMINAL:
        from drift.report import terminal

        return terminal.render(document, color)
    if fmt is Format.JSON:
        from drift.report import json_

        return json_.render(document)
    assert_never(fmt)
