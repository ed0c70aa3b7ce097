"""The `drift` command line: a thin click layer over `drift.api`.

It parses options and hands them to the commands' bodies; colour, exit codes and the error
contract are `drift.console`'s (click-free, so that `drift check` can run without click), and
the work is in `drift.api` and the stages. Heavy modules (boto3, jinja2, the CEL runtime, regex)
are imported only by the paths that need them.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import wraps
from importlib import import_module
from pathlib import Path
from typing import Any, TypeVar

import click

from drift import __version__
from drift.console import failures_handled
from drift.dialects import DIALECTS
from drift.model import FAIL_ON_LEVELS
from drift.report.formats import Format

F = TypeVar("F", bound=Callable[..., Any])

config_option = click.option(
    "--config",
    "config",
    type=click.Path(path_type=Path, dir_okay=False),
    help="drift.toml or pyproject.toml to use (default: found in the current folder).",
)
schema_option = click.option(
    "--schema",
    "schema_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The example file to use as the schema (default: [drift] schema, else .env.example, "
    ".env.sample, .env.template, .env.dist or .env.*.sample).",
)
dialect_option = click.option(
    "--dialect",
    type=click.Choice(DIALECTS),
    help="How the application's loader reads env files (default: [drift] dialect, else detected).",
)
fail_on_option = click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON_LEVELS),
    help="Lowest severity that fails the run (default: [drift] fail_on, else error).",
)
strict_option = click.option(
    "--strict", is_flag=True, help="Findings that rest on an inference are errors, not warnings."
)


def handle_errors(func: F) -> F:
    """The error contract (`drift.console.failures_handled`) around a command; click's own
    exits (usage errors, --help, --version) pass through to click."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with failures_handled((click.exceptions.Exit, click.ClickException)):
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


#: The module in drift/cli/ that defines each command (one a command; `apply` lives with
#: `plan`). A command's module loads when the command is run or listed, so `drift check` does
#: not load `drift diff`'s (start-up time); a test holds this map to the commands the modules
#: define.
COMMANDS = {
    **{name: name for name in ("check", "scan", "history", "report", "baseline", "render", "diff", "sync", "plan")},
    **{name: name for name in ("code", "init", "explain", "schema", "completion", "fleet")},
    "apply": "plan",
    "merge": "scan",
}


class _Commands(click.Group):
    """The command group, loading each command's module on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS:
            import_module(f"drift.cli.{COMMANDS[cmd_name]}")  # registers its commands on `main`
        return super().get_command(ctx, cmd_name)


def _allow_commands(context: click.Context, parameter: click.Parameter, value: bool) -> None:
    """`--allow-commands`: the user's leave, from outside the repository's configuration, for
    the programs a configuration names (the `command` source, a kubernetes `command`, an
    ssh_config that executes)."""
    if value:
        from drift.platform.programs import ALLOW_ENV

        os.environ[ALLOW_ENV] = "1"


allow_commands_option = click.option(
    "--allow-commands",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_allow_commands,
    help="Run the programs the configuration names (command sources, a kubernetes command, an "
    "ssh_config that executes); also DRIFT_ALLOW_COMMANDS=1. drift.toml alone never allows it.",
)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="drift")
@click.option("--debug", is_flag=True, help="On an internal error, print the traceback (values masked).")
@allow_commands_option
def main(debug: bool) -> None:
    """Detect configuration drift between environments and the .env.example schema."""
    if debug:
        os.environ["DRIFT_DEBUG"] = "1"


format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice([f.value for f in Format]),
    default="terminal",
    show_default=True,
    help="What to print on stdout.",
)
output_option = click.option(
    "--output",
    "outputs",
    multiple=True,
    metavar="FORMAT:PATH",
    help="Also write FORMAT to PATH (repeatable), e.g. html:reports/drift-report.html.",
)


quiet_option = click.option(
    "--quiet", "-q", is_flag=True, help="Print only the summary and exit code (report files are written in full)."
)


sarif_suppressed_option = click.option(
    "--sarif-include-suppressed",
    "sarif_suppressed",
    is_flag=True,
    help="Keep suppressed and baselined findings in SARIF, marked suppressed (code scanning opens them as alerts).",
)


if_present_option = click.option(
    "--if-present",
    is_flag=True,
    help="Exit 0 with one line when there is nothing to check (no drift.toml and no example file).",
)
