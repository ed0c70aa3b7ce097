"""The registry of output formats: one enum member and one renderer each."""

from __future__ import annotations

import enum
from typing import assert_never

from drift.report.document import Document


class Format(enum.Enum):
    """Every format drift writes; the value is what `--format` and `--output` accept."""

    TERMINAL = "terminal"
    JSON = "json"
    HTML = "html"
    MARKDOWN = "markdown"
    SARIF = "sarif"
    JUNIT = "junit"

    @property
    def needs_matrix(self) -> bool:
        """Whether the renderer shows the environment x key matrix (costly to build)."""
        return self not in (Format.TERMINAL, Format.MARKDOWN, Format.SARIF)


def render(fmt: Format, document: Document, color: bool = False) -> str:
    """Render the document in one format. Renderers are imported on use: jinja2 only loads
    for HTML and Markdown."""
    if fmt is Format.TERMINAL:
        from drift.report import terminal

        return terminal.render(document, color)
    if fmt is Format.JSON:
        from drift.report import json_

        return json_.render(document)
    if fmt is Format.HTML:
        from drift.report import html

        return html.render(document)
    if fmt is Format.MARKDOWN:
        from drift.report import markdown

        return markdown.render(document)
    if fmt is Format.SARIF:
        from drift.report import sarif

        return sarif.render(document)
    if fmt is Format.JUNIT:
        from drift.report import junit

        return junit.render(document)
    assert_never(fmt)
