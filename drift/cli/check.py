"""`drift check`: the pre-deploy check (and the pre-commit hook's)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from drift.cli import (
    allow_commands_option,
    config_option,
    deliver,
    dialect_option,
    fail_on_option,
    finish,
    format_option,
    handle_errors,
    if_present_option,
    load_if_present,
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

if TYPE_CHECKING:
    from drift.history import HistoryStore
    from drift.model import ScanResult


@main.command()
@config_option
@schema_option
@dialect_option
@allow_commands_option
@click.option("--env", "envs", multiple=True, metavar="NAME", help="Environment to check (repeatable; default all).")
@fail_on_option
@format_option
@output_option
@click.option("--new-only", is_flag=True, help="Fail only on findings new since the last saved scan.")
@click.option("--changed-since", metavar="REF", help="Code findings only for reads on lines added since this git ref.")
@strict_option
@quiet_option
@if_present_option
@sarif_suppressed_option
@handle_errors
def check(
    config: Path | None,
    schema_path: Path | None,
    dialect: str | None,
    envs: Sequence[str],
    fail_on: str | None,
    fmt: str,
    outputs: Sequence[str],
    new_only: bool,
    changed_since: str | None,
    strict: bool,
    quiet: bool,
    if_present: bool,
    sarif_suppressed: bool,
) -> None:
    """Check environments against the schema; exit 0 clean, 1 drift, 2 usage, 3 unreadable.

    \b
    Examples:
      drift check
      drift check --env staging --env production --new-only --output sarif:drift.sarif
      drift check --format json --fail-on warning > drift.json
      drift check --allow-commands --env preview

    Exit codes: 0 no drift at or above --fail-on; 1 drift; 2 usage or configuration
    error; 3 a source could not be read; 4 internal error.
    """
    from drift import api
    from drift.errors import HistoryError
    from drift.report.document import to_document
    from drift.report.emit import emit, needs_matrix
    from drift.report.formats import Format
    from drift.report.output import parse_output

    project = load_if_present(lambda: api.load_project(config, Path.cwd(), schema_path, dialect), if_present)
    project = with_options(project, fail_on, strict)
    targets = [parse_output(spec, reports_dir(project)) for spec in outputs]
    chosen = Format(fmt)
    # the last saved scan gives statuses; a remote history is read only when --new-only needs it
    remote = project.history.startswith("s3://")
    history = api.history_for(project, must_exist=not new_only) if new_only or not remote else None

    def run(store: HistoryStore | None) -> ScanResult:
        with showing(quiet) as progress:
            return api.scan(
                project,
                envs,
                with_matrix=needs_matrix(chosen, targets),
                history=store,
                new_only=new_only,
                progress=progress,
                changed_since=changed_since,
            )

    try:
        result = run(history)
    except HistoryError as exc:
        if new_only:  # --new-only cannot be answered without the history
            raise
        click.echo(f"drift: warning: {exc}; checking without history", err=True)
        result = run(None)
    say_skipped(result, quiet)
    document = to_document(result)
    text = emit(document, chosen, targets, use_color(), sarif_suppressed)
    if quiet and chosen is Format.TERMINAL:
        from drift.report.terminal import summary

        text = summary(document, use_color())
    push_metrics(project, document)
    deliver(text, color=use_color())
    finish(result.exit_code)
