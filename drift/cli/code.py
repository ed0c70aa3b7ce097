"""`drift code`: the keys the code reads."""

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
from drift.errors import ConfigError
from drift.report import inert


@main.command("code")
@config_option
@click.option("--format", "fmt", type=click.Choice(["terminal", "json"]), default="terminal", show_default=True)
@handle_errors
def code_command(config: Path | None, fmt: str) -> None:
    """Every place the code under `[code] paths` reads a setting: key, file, line and kind
    (direct, default, dynamic).

    \b
    Examples:
      drift code
      drift code --format json
    """

    project = api.load_project(config, Path.cwd())
    reads = api.code_reads(project)
    if reads is None:
        raise ConfigError(
            f'{project.config_display}: no [code] table: say where the code is (`[code] paths = ["src"]`)'
        )
    if fmt == "json":
        rows = [{"key": r.key, "path": r.path, "line": r.line, "kind": r.kind} for r in reads]
        click.echo(json.dumps({"reads": rows}, indent=2))
        return
    for read in reads:
        click.echo(inert.terminal(f"{read.key or '(dynamic)':<32} {read.kind:<8} {read.location}"))
    keys = {r.key for r in reads if r.key is not None}
    dynamic = sum(1 for r in reads if r.key is None)
    click.echo(f"{len(reads)} reads of {len(keys)} keys" + (f", {dynamic} with a computed name" if dynamic else ""))
