"""`drift schema show` and `drift schema lint`."""

from __future__ import annotations

from pathlib import Path

import click

from drift import api
from drift.cli import config_option, dialect_option, handle_errors, if_present_option, main, schema_option
from drift.console import finish, load_if_present
from drift.engine.lint import lint
from drift.model import Severity
from drift.report import inert
from drift.schema import show


@main.group()
def schema() -> None:
    """Show or lint the merged schema (.env.example + drift.toml [keys])."""


@schema.command("show")
@config_option
@schema_option
@dialect_option
@click.option("--format", "fmt", type=click.Choice(["terminal", "json"]), default="terminal", show_default=True)
@handle_errors
def schema_show(config: Path | None, schema_path: Path | None, dialect: str | None, fmt: str) -> None:
    """Print every declared key with its merged spec.

    \b
    Examples:
      drift schema show
      drift schema show --format json
    """

    project = api.load_project(config, Path.cwd(), schema_path, dialect)
    loaded = api.load_project_schema(project)
    text = show.as_json(loaded) if fmt == "json" else show.as_text(loaded, list(project.environments))
    if fmt != "json":  # keys and descriptions come from files: one inert line each
        text = inert.lines(text.rstrip("\n")) + "\n"
    click.echo(text, nl=False)


@schema.command("lint")
@config_option
@schema_option
@dialect_option
@if_present_option
@handle_errors
def schema_lint(config: Path | None, schema_path: Path | None, dialect: str | None, if_present: bool) -> None:
    """Check the schema itself; exit 1 when it has errors.

    \b
    Examples:
      drift schema lint
      drift schema lint --if-present
    """

    project = load_if_present(lambda: api.load_project(config, Path.cwd(), schema_path, dialect), if_present)
    findings = lint(api.load_project_schema(project), project.assertions)
    for finding in findings:
        where = f" ({finding.location})" if finding.location else ""
        click.echo(inert.terminal(f"{finding.severity.label:<8} {finding.rule:<18} {finding.message}{where}"))
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    click.echo(f"{len(findings)} problems ({errors} errors)" if findings else "The schema is clean.")
    finish(1 if errors else 0)
