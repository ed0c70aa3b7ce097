"""The `drift` command line: a thin click layer over `drift.api`.

It parses options, chooses colour, maps errors to exit codes, and decides the little that is
about running in a terminal (a damaged history warns and `check` goes on without it); the
work is in `drift.api` and the stages. Heavy modules (boto3, jinja2, the CEL runtime, regex)
are imported only by the paths that need them.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from functools import wraps
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from drift import __version__
from drift.dialects import DIALECTS
from drift.errors import EXIT_INTERNAL, DriftError
from drift.platform.runtime import paused_gc
from drift.report.formats import Format

if TYPE_CHECKING:
    from drift.config import Project
    from drift.model import ScanResult
    from drift.report.document import Document

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
    type=click.Choice(["error", "warning", "info", "none"]),
    help="Lowest severity that fails the run (default: [drift] fail_on, else error).",
)
strict_option = click.option(
    "--strict", is_flag=True, help="Findings that rest on an inference are errors, not warnings."
)


def use_color() -> bool:
    """Colour when stdout is a terminal, or when FORCE_COLOR or CLICOLOR_FORCE asks for it
    (a CI log that renders ANSI); never when NO_COLOR is set (no-color.org: it wins)."""
    if os.environ.get("NO_COLOR"):
        return False
    if any(os.environ.get(name, "0") not in ("", "0") for name in ("FORCE_COLOR", "CLICOLOR_FORCE")):
        return True
    return sys.stdout.isatty()


def handle_errors(func: F) -> F:
    """Print DriftErrors as one clear message (never a traceback) and exit with their code;
    anything unanticipated is one line naming the exception type (never its message, which
    may hold a value) and exit 4. `DRIFT_DEBUG=1` / `--debug` adds the traceback's frames."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            with paused_gc():
                return func(*args, **kwargs)
        except DriftError as exc:
            from drift.report.inert import lines  # a message may name a key from a file: inert

            click.echo(lines(f"drift: error: {exc}"), err=True)
            sys.exit(exc.exit_code)
        except BrokenPipeError:  # the reader left (`drift ... | head -1`): nothing more to say
            _quiet_stdout()
            sys.exit(EXIT_PIPE_CLOSED)
        except (SystemExit, KeyboardInterrupt, click.exceptions.Exit, click.ClickException):
            raise
        except BaseException as exc:  # the contract: no traceback, never 0 or 1
            click.echo(f"drift: internal error ({type(exc).__name__}); this is a bug in drift", err=True)
            if os.environ.get("DRIFT_DEBUG"):
                click.echo(masked_traceback(exc), err=True)
            sys.exit(EXIT_INTERNAL)

    return wrapper  # type: ignore[return-value]


#: A command whose reader closed its standard output: the shell's code for SIGPIPE.
EXIT_PIPE_CLOSED = 141


def _quiet_stdout() -> None:
    """Point standard output at /dev/null, so that the interpreter's last flush does not fail
    on the closed pipe again."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def deliver(text: str, color: bool | None = None) -> None:
    """A report on standard output; a reader that closed the pipe early (`| head -1`) does not
    change the exit code, which is the check's."""
    try:
        click.echo(text, nl=False, color=color)
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_stdout()


def masked_traceback(exc: BaseException) -> str:
    """The traceback's frames (file, line, function, source line) without the exception's
    message or any local variable, either of which may hold a secret value."""
    import traceback

    frames = traceback.extract_tb(exc.__traceback__)
    lines = [f"  {f.filename}:{f.lineno} in {f.name}: {f.line or ''}" for f in frames]
    return "drift internal error, frames (values masked):\n" + "\n".join(lines) + f"\n{type(exc).__name__}"


def finish(code: int) -> NoReturn:
    """Exit with a scan's exit code."""
    sys.exit(code)


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


def reports_dir(project: Project) -> Path:
    """Where bare `--output FORMAT` files go: `[drift] reports_dir`, else ./reports."""
    return project.reports_dir or Path("reports")


def with_options(project: Project, fail_on: str | None, strict: bool) -> Project:
    """The project with `--fail-on` and `--strict` applied."""
    from drift.config import parse_fail_on
    from drift.model import Severity

    if fail_on is not None:
        project = project._replace(fail_on=parse_fail_on(fail_on, "--fail-on"))
    if strict:
        project = project._replace(inferred=Severity.ERROR)
    return project


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


def load_if_present(load: Callable[[], Project], if_present: bool) -> Project:
    """The project; with `--if-present`, a folder with nothing to check ends the run here with
    one line and exit 0 (what a pre-commit hook wants in a repository with no schema yet)."""
    from drift.errors import NothingToCheck

    try:
        return load()
    except NothingToCheck:
        if not if_present:
            raise
        click.echo("drift: nothing to check here (no drift.toml and no example file)", err=True)
        sys.exit(0)


def push_metrics(project: Project, document: Document) -> None:
    """`[metrics]`: the run's metrics to the Pushgateway; a failed push is one warning line
    (the gateway's address is configuration, shown; the exit code stays the scan's)."""
    if project.metrics is None:
        return
    from drift.report.metrics import push

    problem = push(document, project.metrics.pushgateway, project.metrics.job)
    if problem is not None:
        from drift.report.inert import terminal

        click.echo(f"drift: warning: {terminal(problem)}", err=True)


def say_skipped(result: ScanResult, quiet: bool = False) -> None:
    """One info line on stderr for each environment the run left out (see `api._absent`),
    unless `--quiet`."""
    from drift.report.inert import terminal

    for line in () if quiet else result.skipped:
        click.echo(f"drift: info: {terminal(line)}", err=True)
