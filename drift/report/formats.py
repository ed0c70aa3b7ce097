"""The registry of output formats: one row each (its name, file suffix, whether it shows the
matrix, its renderer). The click choices, `--output` file names and dispatch all read it, so
adding a format is one renderer module plus one row here.
"""

from __future__ import annotations

import enum
import importlib
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
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
        return FORMATS[self].needs_matrix

    @property
    def suffix(self) -> str:
        """The file suffix of `--output FORMAT` without a path."""
        return FORMATS[self].suffix


class FormatInfo(NamedTuple):
    """One format's row."""

    suffix: str
    needs_matrix: bool
    #: `module:function`, imported on use (jinja2 only loads for HTML and Markdown).
    renderer: str
    #: Whether the renderer takes the `color` flag.
    colored: bool = False


FORMATS: dict[Format, FormatInfo] = {
    Format.TERMINAL: FormatInfo("txt", False, "drift.report.terminal:render", colored=True),
    Format.JSON: FormatInfo("json", True, "drift.report.json_:render"),
    Format.HTML: FormatInfo("html", True, "drift.report.html:render"),
    Format.MARKDOWN: FormatInfo("md", False, "drift.report.markdown:render"),
    Format.SARIF: FormatInfo("sarif", False, "drift.report.sarif:render"),
    Format.JUNIT: FormatInfo("xml", True, "drift.report.junit:render"),
}


def render(fmt: Format, document: Document, color: bool = False) -> str:
    """Render the document in one format."""
    info = FORMATS[fmt]
    module, _, name = info.renderer.partition(":")
    renderer = getattr(importlib.import_module(module), name)
    text: str = renderer(document, color) if info.colored else renderer(document)
    return text
