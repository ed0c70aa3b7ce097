"""`drift history`: the saved scans."""

from __future__ import annotations

import json
from pathlib import Path

import click

from drift import api
from drift.cli import (
    config_option,
    handle_errors,
    main,
)


@main.command("history")
@config_option
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1), help="How many scans.")
@click.option("--format", "fmt", type=click.Choice(["terminal", "json"]), default="terminal", show_default=True)
@handle_errors
def history_command(config: Path | None, limit: int, fmt: str) -> None:
    """List past scans with their counts, newest first.

    \b
    Examples:
      drift history
      drift history --limit 5 --format json
    """

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
