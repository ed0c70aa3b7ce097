"""`drift scan`: the nightly scan: reports, history, notification of new drift."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from drift import api
from drift.cli import (
    allow_commands_option,
    config_option,
    deliver,
    dialect_option,
    fail_on_option,
    finish,
    handle_errors,
    main,
    output_option,
    push_metrics,
    quiet_option,
    reports_dir,
    sarif_suppressed_option,
    say_skipped,
    schema_option,
    strict_option,
    use_color,
    with_options,
)
from drift.cli.progress import showing
from drift.report import notify
from drift.report.document import to_document
from drift.report.emit import emit
from drift.report.formats import Format
from drift.report.output import parse_output
from drift.report.terminal import summary


@main.command("scan")
@config_option
@schema_option
@dialect_option
@allow_commands_option
@click.option("--no-save", is_flag=True, help="Do not save this scan to history.")
@output_option
@fail_on_option
@strict_option
@quiet_option
@sarif_suppressed_option
@handle_errors
def scan_command(
    config: Path | None,
    schema_path: Path | None,
    dialect: str | None,
    no_save: bool,
    outputs: Sequence[str],
    fail_on: str | None,
    strict: bool,
    quiet: bool,
    sarif_suppressed: bool,
) -> None:
    """Scan every environment: reports in reports_dir, history, notification of new drift.

    \b
    Examples:
      drift scan
      drift scan --quiet --output openmetrics:/var/lib/node_exporter/drift.prom
      drift scan --no-save --output markdown:drift.md

    Exit codes: as `drift check` (0, 1, 2, 3, 4).
    """

    project = with_options(api.load_project(config, Path.cwd(), schema_path, dialect), fail_on, strict)
    reports = reports_dir(project)
    html_path = reports / "drift-report.html"
    targets = [
        (Format.JSON, reports / "drift-report.json"),
        (Format.HTML, html_path),
        *(parse_output(spec, reports) for spec in outputs),
    ]
    store = api.history_for(project)
    fingerprint = api.fingerprinter_for(project, persistent=not no_save)
    with showing(quiet) as progress:
        result = api.scan(project, history=store, fingerprinter=fingerprint, progress=progress)
    say_skipped(result, quiet)
    document = to_document(result)
    # the same delivery as `check`: files, stdout, GitHub annotations and step summary
    text = emit(document, Format.TERMINAL, targets, use_color(), sarif_suppressed)
    if quiet:
        text = summary(document, use_color())
    if not no_save and store is not None:
        api.save_scan(result, store, fingerprint)  # committed last: a killed scan loses nothing
    push_metrics(project, document)
    deliver(text, color=use_color())
    if not quiet:
        click.echo(
            f"reports: {project.display(reports / 'drift-report.json')}, {project.display(html_path)}"
            + ("" if no_save else f"; saved as scan {result.scan_id}"),
            err=True,
        )
    if project.notify is not None and not no_save:
        for problem in notify.send(project.notify, document, project.display(html_path)):
            click.echo(f"drift: notification failed: {problem}", err=True)
    finish(result.exit_code)
