"""The commands that scan and report: check, scan, history, report, baseline, render."""

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
    main,
    output_option,
    progress_printer,
    reports_dir,
    say_skipped,
    schema_option,
    strict_option,
    use_color,
    with_options,
)

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
) -> None:
    """Check environments against the schema; exit 0 clean, 1 drift, 2 usage, 3 unreadable."""
    from drift import api
    from drift.errors import HistoryError
    from drift.report.document import to_document
    from drift.report.emit import emit, needs_matrix
    from drift.report.formats import Format
    from drift.report.output import parse_output

    project = with_options(api.load_project(config, Path.cwd(), schema_path, dialect), fail_on, strict)
    targets = [parse_output(spec, reports_dir(project)) for spec in outputs]
    chosen = Format(fmt)
    # the last saved scan gives statuses; a remote history is read only when --new-only needs it
    remote = project.history.startswith("s3://")
    history = api.history_for(project, must_exist=not new_only) if new_only or not remote else None

    def run(store: HistoryStore | None) -> ScanResult:
        return api.scan(
            project,
            envs,
            with_matrix=needs_matrix(chosen, targets),
            history=store,
            new_only=new_only,
            progress=progress_printer(),
            changed_since=changed_since,
        )

    try:
        result = run(history)
    except HistoryError as exc:
        if new_only:  # --new-only cannot be answered without the history
            raise
        click.echo(f"drift: warning: {exc}; checking without history", err=True)
        result = run(None)
    say_skipped(result)
    deliver(emit(to_document(result), chosen, targets, use_color()), color=use_color())
    finish(result.exit_code)


@main.command("scan")
@config_option
@schema_option
@dialect_option
@allow_commands_option
@click.option("--no-save", is_flag=True, help="Do not save this scan to history.")
@output_option
@fail_on_option
@strict_option
@handle_errors
def scan_command(
    config: Path | None,
    schema_path: Path | None,
    dialect: str | None,
    no_save: bool,
    outputs: Sequence[str],
    fail_on: str | None,
    strict: bool,
) -> None:
    """Scan every environment: reports in reports_dir, history, notification of new drift."""
    from drift import api
    from drift.report import notify
    from drift.report.document import to_document
    from drift.report.emit import emit
    from drift.report.formats import Format
    from drift.report.output import parse_output

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
    result = api.scan(project, history=store, fingerprinter=fingerprint, progress=progress_printer())
    say_skipped(result)
    document = to_document(result)
    # the same delivery as `check`: files, stdout, GitHub annotations and step summary
    text = emit(document, Format.TERMINAL, targets, use_color())
    if not no_save and store is not None:
        api.save_scan(result, store, fingerprint)  # committed last: a killed scan loses nothing
    deliver(text, color=use_color())
    click.echo(
        f"reports: {project.display(reports / 'drift-report.json')}, {project.display(html_path)}"
        + ("" if no_save else f"; saved as scan {result.scan_id}"),
        err=True,
    )
    if project.notify is not None and not no_save:
        for problem in notify.send(project.notify, document, project.display(html_path)):
            click.echo(f"drift: notification failed: {problem}", err=True)
    finish(result.exit_code)


@main.command("history")
@config_option
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1), help="How many scans.")
@click.option("--format", "fmt", type=click.Choice(["terminal", "json"]), default="terminal", show_default=True)
@handle_errors
def history_command(config: Path | None, limit: int, fmt: str) -> None:
    """List past scans with their counts, newest first."""
    import json

    from drift import api

    project = api.load_project(config, Path.cwd())
    store = api.history_for(project, must_exist=True)
    rows = store.summaries(limit) if store is not None else []
    if fmt == "json":
        click.echo(json.dumps([row.__dict__ for row in rows], indent=2))
        return
    if not rows:
        click.echo("No saved scans yet: `drift scan` saves one.")
    for row in rows:
        click.echo(
            f"{row.id}  {row.scanned_at}  exit {row.exit_code}  "
            f"{row.error} errors, {row.warning} warnings, {row.info} info"
        )


@main.command("report")
@config_option
@click.option("--scan", "scan_id", default="latest", show_default=True, help="A scan id from `drift history`.")
@format_option
@output_option
@handle_errors
def report_command(config: Path | None, scan_id: str, fmt: str, outputs: Sequence[str]) -> None:
    """Render any format from a saved scan."""
    from drift import api
    from drift.errors import ConfigError
    from drift.report.document import load_document
    from drift.report.emit import emit
    from drift.report.formats import Format
    from drift.report.output import parse_output

    project = api.load_project(config, Path.cwd())
    targets = [parse_output(spec, reports_dir(project)) for spec in outputs]
    store = api.history_for(project, must_exist=True)
    saved = None if store is None else (store.latest() if scan_id == "latest" else store.get(scan_id))
    if saved is None:
        raise ConfigError(f"{project.history}: no saved scan yet (`drift scan` saves one)")
    document = load_document(saved.report, f"scan {saved.id}")
    click.echo(emit(document, Format(fmt), targets, use_color()), nl=False, color=use_color())


@main.command("baseline")
@config_option
@schema_option
@dialect_option
@allow_commands_option
@click.option(
    "--days", default=90, show_default=True, type=click.IntRange(min=1), help="Days until each entry expires."
)
@handle_errors
def baseline_command(config: Path | None, schema_path: Path | None, dialect: str | None, days: int) -> None:
    """Accept today's drift: write a suppression per current finding to the baseline file."""
    from drift import api
    from drift.actions.baseline import write_baseline

    project = api.load_project(config, Path.cwd(), schema_path, dialect)
    result = api.scan(project._replace(ignores=()), with_matrix=False)
    target = project.baseline or project.root / "drift-baseline.toml"
    count, skipped = write_baseline(target, result.findings, days)
    click.echo(
        f"wrote {count} entries to {project.display(target)}; fill in each reason"
        + (f" ({skipped} source-unavailable findings are never baselined)" if skipped else "")
    )


@main.command()
@click.option(
    "--input",
    "source",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="A JSON report written by drift (the canonical artifact).",
)
@format_option
@output_option
@handle_errors
def render(source: Path, fmt: str, outputs: Sequence[str]) -> None:
    """Re-render any format from a saved JSON report alone."""
    import json

    from drift.errors import ConfigError
    from drift.platform.files import CONFIG_MAX_BYTES, UnreadableFile, read_text
    from drift.report.document import load_document
    from drift.report.emit import emit
    from drift.report.formats import Format
    from drift.report.output import parse_output

    targets = [parse_output(spec, Path("reports")) for spec in outputs]
    try:
        data = json.loads(read_text(source, CONFIG_MAX_BYTES))
    except UnreadableFile as exc:
        raise ConfigError(f"{source}: cannot read the report: {exc}") from None
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{source}: not JSON (line {exc.lineno})") from None
    except RecursionError:
        raise ConfigError(f"{source}: JSON nested too deeply") from None
    document = load_document(data, str(source))
    click.echo(emit(document, Format(fmt), targets, use_color()), nl=False, color=use_color())
