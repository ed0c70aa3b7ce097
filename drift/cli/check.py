"""`drift check`: the pre-deploy check (and the pre-commit hook's)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from drift.cli import (
    allow_commands_option,
    config_option,
    dialect_option,
    fail_on_option,
    format_option,
    handle_errors,
    if_present_option,
    main,
    output_option,
    quiet_option,
    sarif_suppressed_option,
    schema_option,
    strict_option,
)
from drift.console.check import CheckOptions, run_check


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
@quiet_option
@if_present_option
@sarif_suppressed_option
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
    quiet: bool,
    if_present: bool,
    sarif_suppressed: bool,
) -> None:
    """Check environments against the schema; exit 0 clean, 1 drift, 2 usage, 3 unreadable.

    \b
    Examples:
      drift check
      drift check --env staging --env production --new-only --output sarif:drift.sarif
      drift check --format json --fail-on warning > drift.json
      drift check --allow-commands --env preview

    Exit codes: 0 no drift at or above --fail-on; 1 drift; 2 usage or configuration
    error; 3 a source could not be read; 4 internal error.
    """
    run_check(
        CheckOptions(
            config=config,
            schema_path=schema_path,
            dialect=dialect,
            envs=envs,
            fail_on=fail_on,
            fmt=fmt,
            outputs=outputs,
            new_only=new_only,
            changed_since=changed_since,
            strict=strict,
            quiet=quiet,
            if_present=if_present,
            sarif_suppressed=sarif_suppressed,
        )
    )
