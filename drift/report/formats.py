"""The registry of output formats: one row each (its name, file suffix, whether it shows the
matrix, its renderer). The click choices, `--output` file names and dispatch all read it, so
adding a format is one renderer module plus one row here.
"""

import enum
import importlib
from collections.abc import Iterable
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
    CODEQUALITY = "codequality"
    OPENMETRICS = "openmetrics"

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
    #: What the format is for, as the README's format table says it.
    purpose: str = ""
    #: Whether the renderer takes the `color` flag.
    colored: bool = False
    #: False for a format that counts findings (metrics) rather than listing each.
    per_finding: bool = True
    #: Whether the renderer yields the text in pieces, written as they are made (`pieces`).
    streamed: bool = False


FORMATS: dict[Format, FormatInfo] = {
    Format.TERMINAL: FormatInfo(
        "txt", False, "drift.report.terminal:render", "people at a terminal or reading a CI log", colored=True
    ),
    Format.JSON: FormatInfo(
        "json",
        True,
        "drift.report.json_:pieces",
        "programs; the canonical artifact `drift render` reads",
        streamed=True,
    ),
    Format.HTML: FormatInfo("html", True, "drift.report.html:render", "the engineer's report: one self-contained page"),
    Format.MARKDOWN: FormatInfo(
        "md", False, "drift.report.markdown:render", "pull-request comments and step summaries"
    ),
    Format.SARIF: FormatInfo(
        "sarif", False, "drift.report.sarif:render", "code scanning (GitHub, and any SARIF 2.1.0 reader)"
    ),
    Format.JUNIT: FormatInfo(
        "xml", False, "drift.report.junit:render", "CI test reports (GitLab, Jenkins, Azure DevOps)"
    ),
    Format.CODEQUALITY: FormatInfo(
        "codequality.json", False, "drift.report.codequality:render", "GitLab's Code Quality merge-request widget"
    ),
    Format.OPENMETRICS: FormatInfo(
        "prom",
        False,
        "drift.report.metrics:render",
        "Prometheus: node_exporter's textfile collector (metrics)",
        per_finding=False,
    ),
}


def markdown_table() -> str:
    """Every format as the README's table (`drift explain --formats --markdown`); a test holds
    the README to it."""
    lines = ["| format | `--output FORMAT` writes | for |", "| --- | --- | --- |"]
    for fmt, info in FORMATS.items():
        lines.append(f"| `{fmt.value}` | `drift-report.{info.suffix}` | {info.purpose} |")
    return "\n".join(lines) + "\n"


def render(fmt: Format, document: "Document", color: bool = False) -> str:
    """Render the document in one format."""
    return "".join(pieces(fmt, document, color))


def pieces(fmt: Format, document: "Document", color: bool = False) -> Iterable[str]:
    """The document in one format, in the pieces to write: a streamed format's are made as
    they are written (a large JSON report is never held whole); any other's is its whole
    text, rendered now."""
    info = FORMATS[fmt]
    module, _, name = info.renderer.partition(":")
    renderer = getattr(importlib.import_module(module), name)
    made: Iterable[str] | str = renderer(document, color) if info.colored else renderer(document)
    return (made,) if isinstance(made, str) else made
