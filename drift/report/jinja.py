"""The Jinja2 environments for the HTML and Markdown templates (the only jinja2 users).

Templates are loaded from the package with StrictUndefined, so a missing field is an error,
never an empty string. HTML autoescaping is on for `*.html.j2` (select_autoescape matches on
the file's last extension, so the `.html.j2` suffix is named explicitly).
"""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from drift.report import inert


@cache
def environment() -> Environment:
    """One environment per process; templates compile once."""
    env = Environment(
        loader=PackageLoader("drift.report", "templates"),
        undefined=StrictUndefined,
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=False, default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = markdown_cell
    return env


def markdown_cell(value: object) -> str:
    """Text safe inside a Markdown table cell (see report.inert.markdown)."""
    return inert.markdown("" if value is None else str(value))
