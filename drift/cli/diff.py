"""`drift diff`: env files compared side by side, values masked."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from drift import dialects
from drift.actions import diff
from drift.cli import handle_errors, main
from drift.console import finish
from drift.dialects import DIALECTS
from drift.errors import ConfigError
from drift.schema import load_schema
from drift.secrets import Fingerprinter


@main.command("diff")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--keys-only", is_flag=True, help="Compare key sets only, not values.")
@click.option(
    "--schema",
    "schema_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="An example file whose declarations (@secret, @not-secret, types) decide what is shown.",
)
@click.option("--dialect", type=click.Choice(DIALECTS), help="How the files are read.")
@click.option("--expand", is_flag=True, help="Expand ${VAR} from each file's own keys.")
@handle_errors
def diff_command(
    files: Sequence[Path], keys_only: bool, schema_path: Path | None, dialect: str | None, expand: bool
) -> None:
    """Compare dotenv FILES as a key x file matrix; exit 1 when they differ, 2 when
    unreadable, 3 when a line could not be read.

    \b
    Examples:
      drift diff .env .env.example
      drift diff envs/staging.env envs/production.env --keys-only
    """

    if len(files) < 2:
        raise ConfigError("drift diff needs at least two files")
    detected = dialects.detect(schema_path.parent if schema_path else Path.cwd(), Path.cwd())
    chosen = dialect or detected.name
    specs = {}
    if schema_path is not None:
        specs = load_schema(schema_path, str(schema_path), {}, [], "(no config file)", "", chosen).specs
    values, problems = diff.read_files(files, chosen, expand)
    result = diff.DiffResult(diff.diff(values, keys_only, Fingerprinter.ephemeral(), specs), problems)
    click.echo(diff.render([str(f) for f in files], result), nl=False)
    finish(result.exit_code)
