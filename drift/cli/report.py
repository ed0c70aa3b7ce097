"""`drift report`: a saved scan rendered again."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from drift import api
from drift.cli import config_option, format_option, handle_errors, main, output_option, sarif_suppressed_option
from drift.console import deliver, reports_dir, use_color
from drift.errors import ConfigError
from drift.report.document import load_document
from drift.report.emit import emit
from drift.report.formats import Format
from drift.report.output import parse_output


@main.command("report")
@config_option
@click.option("--scan", "scan_id", default="latest", show_default=True, help="A scan id from `drift history`.")
@format_option
@output_option
@sarif_suppressed_option
@handle_errors
def report_command(config: Path | None, scan_id: str, fmt: str, outputs: Sequence[str], sarif_suppressed: bool) -> None:
    """Render any format from a saved scan.

    \b
    Examples:
      drift report --format markdown
      drift report --scan 20261205T031700.000000Z-1a2b3c --format html --output html:old.html
    """

    project = api.load_project(config, Path.cwd())
    targets = [parse_output(spec, reports_dir(project)) for spec in outputs]
    store = api.history_for(project, must_exist=True)
    saved = None if store is None else (store.latest() if scan_id == "latest" else store.get(scan_id))
    if saved is None:
        raise ConfigError(f"{project.history}: no saved scan yet (`drift scan` saves one)")
    document = load_document(saved.report, f"scan {saved.id}")
    deliver(emit(document, Format(fmt), targets, use_color(), sarif_suppressed), color=use_color())
