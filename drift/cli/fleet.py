"""`drift fleet`: one report over the latest scans of many projects' histories."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from drift.cli import handle_errors, main
from drift.console import deliver, finish, use_color
from drift.errors import ConfigError
from drift.model import FAIL_ON_LEVELS
from drift.report.fleet import FORMATS


@main.command("fleet")
@click.argument("locations", nargs=-1, required=True, metavar="LOCATION...")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="terminal", show_default=True)
@click.option(
    "--output", "outputs", multiple=True, metavar="FORMAT:PATH", help="Also write FORMAT to PATH (repeatable)."
)
@click.option(
    "--stale-days",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="A project with no scan in this many days is stale (a nightly job that stopped).",
)
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON_LEVELS),
    default="error",
    show_default=True,
    help="Lowest severity, in any project's latest scan, that fails the run (a stale project is an error).",
)
@handle_errors
def fleet_command(locations: Sequence[str], fmt: str, outputs: Sequence[str], stale_days: int, fail_on: str) -> None:
    """Summarise the latest saved scan of every project: which services drift, since when,
    whether it is getting better, and which stopped being scanned.

    Each LOCATION is one project's history (a SQLite file or s3://bucket/prefix), or a folder
    or an S3 prefix ending in / under which every history file or sub-prefix is a project.
    Histories are only read; values never reach them, so none reaches this report.

    \b
    Examples:
      drift fleet s3://platform-drift/history/
      drift fleet s3://platform-drift/history/ --format html --output markdown:fleet.md
      drift fleet histories/ --stale-days 3 --output openmetrics:/var/lib/node_exporter/fleet.prom

    Exit codes: 0 clean; 1 a finding at or above --fail-on in a project's latest scan, or a
    stale project; 3 a history could not be read (the others are still reported); 2 a bad
    location; 4 an internal error.
    """
    from drift.actions import fleet
    from drift.model import Severity
    from drift.platform.files import write_atomic
    from drift.report.fleet import render

    targets = [_target(spec) for spec in outputs]
    client: list[Any] = []

    def s3() -> Any:
        if not client:
            from drift.platform.aws import AwsTarget, SessionPool

            client.append(SessionPool().client("s3", AwsTarget.of({}, {})))
        return client[0]

    document = fleet.to_document(fleet.gather(fleet.histories(locations, s3), stale_days))
    for target_fmt, path in targets:
        write_atomic(path, render(document, target_fmt))
    deliver(render(document, fmt), color=use_color())
    worst = fleet.Fleet.worst_of(document)
    if fail_on != "none" and worst is not None and worst >= Severity.parse(fail_on):
        finish(1)
    finish(3 if document["summary"]["unreadable"] else 0)


def _target(spec: str) -> tuple[str, Path]:
    fmt, sep, path = spec.partition(":")
    if not sep or fmt not in FORMATS or fmt == "terminal" or not path:
        raise ConfigError(f"--output {spec!r}: write FORMAT:PATH, FORMAT one of {', '.join(FORMATS[1:])}")
    return fmt, Path(path)
