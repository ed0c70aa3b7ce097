"""`drift sync`: a developer's file brought up to the example."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from drift import api
from drift.actions import sync
from drift.cli import config_option, handle_errors, main, schema_option
from drift.console import finish
from drift.errors import ConfigError


@main.command("sync")
@config_option
@schema_option
@click.option("--env", "envs", multiple=True, help="An environment whose dotenv file to sync (default: local).")
@click.option("--all", "everything", is_flag=True, help="Add optional keys too, not only required ones.")
@click.option("--rename", is_flag=True, help="Rename near-miss keys to the declared name they resemble.")
@click.option("--write", is_flag=True, help="Apply the change (a backup is kept); without it, show it.")
@handle_errors
def sync_command(
    config: Path | None, schema_path: Path | None, envs: Sequence[str], everything: bool, rename: bool, write: bool
) -> None:
    """Add the keys the schema requires to an environment's dotenv file, as the example has
    them; without --write, print the diff and exit 1 if anything would change.

    \b
    Examples:
      drift sync
      drift sync --env local --all --write
      drift sync --rename --write
    """

    project = api.load_project(config, Path.cwd(), schema_path)
    if envs:
        selected = api.select_environments(project, envs)
    elif "local" in project.environments:
        selected = [project.environments["local"]]
    else:
        raise ConfigError("no `local` environment: name the environments to sync with --env")
    syncs = sync.plan(project, api.load_project_schema(project), selected, everything, rename)
    click.echo(sync.render(syncs), nl=False)
    refused = [s for s in syncs if s.refused is not None]
    if write:
        for backup in sync.write(syncs):
            click.echo(f"kept the previous file as {project.display(backup)}")
    if refused:
        raise ConfigError(f"{len(refused)} file(s) left alone (see above)")
    finish(0 if write or not any(s.changes for s in syncs) else 1)
