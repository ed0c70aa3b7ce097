"""`drift init`: a drift.toml from the project's files."""

from __future__ import annotations

from pathlib import Path

import click

from drift.actions import init
from drift.cli import (
    dialect_option,
    handle_errors,
    main,
    schema_option,
)
from drift.config import load_project
from drift.errors import ConfigError
from drift.platform.files import write_atomic


@main.command("init")
@schema_option
@dialect_option
@click.option("--force", is_flag=True, help="Overwrite an existing drift.toml.")
@handle_errors
def init_command(schema_path: Path | None, dialect: str | None, force: bool) -> None:
    """Write a drift.toml for the project here: environments from its env files, and what
    drift would infer written out as declarations to review.

    \b
    Examples:
      drift init
      drift init --schema config/.env.sample --force
    """

    target = Path.cwd() / "drift.toml"
    if target.exists() and not force:
        raise ConfigError("drift.toml already exists; pass --force to overwrite it")
    text = init.propose(Path.cwd(), schema_path, dialect)
    write_atomic(target, text)
    project = load_project(target, Path.cwd())  # what was written must load
    click.echo(
        f"wrote drift.toml: {len(project.environments)} environments, dialect {project.dialect.name}; "
        "review it, then run `drift check`"
    )
