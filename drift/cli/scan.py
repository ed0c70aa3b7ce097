"""`drift scan`: the nightly scan: reports, history, notification of new drift; sharded,
`drift scan --shard I/N` saves a part and `drift merge` finishes the run as one scan."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from drift import api
from drift.cli import (
    allow_commands_option,
    config_option,
    dialect_option,
    fail_on_option,
    handle_errors,
    main,
    output_option,
    quiet_option,
    sarif_suppressed_option,
    schema_option,
    strict_option,
)
from drift.console import deliver, finish, push_metrics, reports_dir, say_skipped, use_color, with_options
from drift.console.progress import showing
from drift.errors import EXIT_UNAVAILABLE, ConfigError, HistoryError, HistoryUnavailable
from drift.report import notify
from drift.report.document import to_document
from drift.report.emit import emit
from drift.report.formats import Format
from drift.report.output import parse_output
from drift.report.terminal import summary

if TYPE_CHECKING:
    from drift.actions.shard import Shard
    from drift.config import Project
    from drift.history import HistoryStore
    from drift.model import ScanResult
    from drift.secrets import Fingerprinter


@main.command("scan")
@config_option
@schema_option
@dialect_option
@allow_commands_option
@click.option("--no-save", is_flag=True, help="Do not save this scan to history.")
@click.option(
    "--shard",
    metavar="I/N",
    help="Scan shard I of N of the environments and save it for `drift merge` (no report, no notification).",
)
@click.option("--run", "run", metavar="ID", help="The run the shard belongs to (default: the CI's run id).")
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
    shard: str | None,
    run: str | None,
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
      drift scan --shard 3/8 --run "$GITHUB_RUN_ID"

    Exit codes: as `drift check` (0, 1, 2, 3, 4); with --shard, 0 once saved, 3 when a
    source could not be read (saved all the same), 2 when it could not be saved.
    """

    project = with_options(api.load_project(config, Path.cwd(), schema_path, dialect), fail_on, strict)
    if shard is not None:
        from drift.actions.shard import Shard, run_id  # sharding's modules load only for a shard

        if no_save or outputs:
            raise ConfigError("--shard saves a part of a scan and writes no report: drop --no-save and --output")
        _scan_shard(project, Shard.parse(shard), run_id(run), quiet)
    if run is not None:
        raise ConfigError("--run names the run of a shard: use it with --shard")
    store = api.history_for(project)
    fingerprint = api.fingerprinter_for(project, persistent=not no_save)
    with showing(quiet) as progress:
        result = api.scan(project, history=store, fingerprinter=fingerprint, progress=progress)
    say_skipped(result, quiet)
    _publish(project, result, store if not no_save else None, fingerprint, outputs, quiet, sarif_suppressed)


@main.command("merge")
@config_option
@click.option("--run", "run", metavar="ID", help="The run whose shards to merge (default: the CI's run id).")
@output_option
@fail_on_option
@strict_option
@quiet_option
@sarif_suppressed_option
@handle_errors
def merge_command(
    config: Path | None,
    run: str | None,
    outputs: Sequence[str],
    fail_on: str | None,
    strict: bool,
    quiet: bool,
    sarif_suppressed: bool,
) -> None:
    """Merge the saved shards of one run (`drift scan --shard I/N`) into one scan, saved,
    reported and notified as `drift scan` does.

    \b
    Examples:
      drift merge --run "$GITHUB_RUN_ID"
      drift merge --run nightly-42 --output sarif:drift.sarif

    Exit codes: as `drift scan`; 2 when a shard is missing (named) or the shards cannot be
    merged.
    """

    from drift.actions.shard import run_id

    project = with_options(api.load_project(config, Path.cwd()), fail_on, strict)
    store = api.history_for(project)
    assert store is not None
    fingerprint = api.fingerprinter_for(project, persistent=True)
    the_run = run_id(run)
    result = api.merge(project, the_run, store, fingerprinter=fingerprint)
    say_skipped(result, quiet)
    _publish(project, result, store, fingerprint, outputs, quiet, sarif_suppressed, merged=the_run)


def _scan_shard(project: Project, shard: Shard, run: str, quiet: bool) -> NoReturn:
    """Scan and save one shard; exit 3 when one of its sources could not be read."""
    store = api.history_for(project)
    assert store is not None
    fingerprint = api.fingerprinter_for(project, persistent=True)
    try:
        with showing(quiet) as progress:
            record = api.scan_shard(project, shard, run, store, fingerprinter=fingerprint, progress=progress)
    except HistoryUnavailable as exc:  # a shard's 3 means a source; a history it cannot reach is 2
        raise HistoryError(str(exc)) from None
    names = [s.env for s in record.snapshots]
    failed = [s.env for s in record.snapshots if s.status != "ok"]
    if not quiet:
        click.echo(
            f"saved shard {shard} of run {run}: "
            + (
                f"{len(names)} environment{'s' if len(names) != 1 else ''} ({', '.join(names)})"
                if names
                else "no environment"
            )
            + (f"; not read in full: {', '.join(failed)}" if failed else ""),
            err=True,
        )
    finish(EXIT_UNAVAILABLE if failed else 0)


def _publish(
    project: Project,
    result: ScanResult,
    store: HistoryStore | None,
    fingerprint: Fingerprinter,
    outputs: Sequence[str],
    quiet: bool,
    sarif_suppressed: bool,
    merged: str | None = None,
) -> NoReturn:
    """Reports, history (`store`: None with --no-save), metrics and notification of a scan."""
    no_save = store is None
    reports = reports_dir(project)
    html_path = reports / "drift-report.html"
    targets = [
        (Format.JSON, reports / "drift-report.json"),
        (Format.HTML, html_path),
        *(parse_output(spec, reports) for spec in outputs),
    ]
    document = to_document(result)
    # the same delivery as `check`: files, stdout, GitHub annotations and step summary
    text = emit(document, Format.TERMINAL, targets, use_color(), sarif_suppressed)
    if quiet:
        text = summary(document, use_color())
    if store is not None:
        api.save_scan(result, store, fingerprint)  # committed last: a killed scan loses nothing
        if merged is not None:
            store.drop_shards(merged)  # after the merged scan is saved: a killed merge can run again
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
