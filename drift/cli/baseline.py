"""`drift baseline`: today's findings written as suppressions that expire."""

from __future__ import annotations

from pathlib import Path

import click

from drift import api
from drift.actions.baseline import write_baseline
from drift.cli import (
    allow_commands_option,
    config_option,
    dialect_option,
    handle_errors,
    main,
    schema_option,
)


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
    """Accept today's drift: write a suppression per current finding to the baseline file.

    \b
    Examples:
      drift baseline
      drift baseline --days 30

    Exit codes: 0 written; 2 usage or configuration error; 3 a source could not be read.
    """

    project = api.load_project(config, Path.cwd(), schema_path, dialect)
    result = api.scan(project._replace(ignores=()), with_matrix=False)
    target = project.baseline or project.root / "drift-baseline.toml"
    count, skipped = write_baseline(target, result.findings, days)
    click.echo(
        f"wrote {count} entries to {project.display(target)}; fill in each reason"
        + (f" ({skipped} source-unavailable findings are never baselined)" if skipped else "")
    )
