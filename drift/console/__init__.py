"""What a drift command does at the console, without click: colour, writing a report to
standard output, stderr lines, exit codes and the error contract.

It is its own layer below `drift.cli` so that `drift check` can run from a pre-commit hook
without loading click (`drift.console.check`): click and the modules it pulls in are a fifth
of a small check's start-up (benchmarks/README.md). The click commands use these same
functions, so both ways into a check behave alike by construction.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from drift.errors import EXIT_INTERNAL, DriftError
from drift.platform.runtime import paused_gc

if TYPE_CHECKING:
    from drift.config import Project
    from drift.model import ScanResult
    from drift.report.document import Document

#: A command whose reader closed its standard output: the shell's code for SIGPIPE.
EXIT_PIPE_CLOSED = 141

#: An ANSI escape sequence, as click.echo strips them from output that is not coloured.
_ANSI = re.compile(r"\033\[[;?0-9]*[a-zA-Z]")


def use_color() -> bool:
    """Colour when stdout is a terminal, or when FORCE_COLOR or CLICOLOR_FORCE asks for it
    (a CI log that renders ANSI); never when NO_COLOR is set (no-color.org: it wins)."""
    if os.environ.get("NO_COLOR"):
        return False
    if any(os.environ.get(name, "0") not in ("", "0") for name in ("FORCE_COLOR", "CLICOLOR_FORCE")):
        return True
    return sys.stdout.isatty()


def say(message: str, err: bool = True, nl: bool = True, color: bool | None = None) -> None:
    """One message on stderr (or stdout), as click.echo writes it: escape sequences kept only
    when colour is asked for, or, left to the stream, when it is a terminal."""
    stream = sys.stderr if err else sys.stdout
    if "\x1b" in message and not (color if color is not None else stream.isatty()):
        message = _ANSI.sub("", message)
    stream.write(message + "\n" if nl else message)
    stream.flush()


def _quiet_stdout() -> None:
    """Point standard output at /dev/null, so that the interpreter's last flush does not fail
    on the closed pipe again."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def deliver(text: str | Iterable[str], color: bool | None = None) -> None:
    """A report on standard output, whole or in the pieces a streamed format is made in
    (`report.formats.pieces`); a reader that closed the pipe early (`| head -1`) does not
    change the exit code, which is the check's."""
    try:
        for piece in (text,) if isinstance(text, str) else text:
            say(piece, err=False, nl=False, color=color)
    except BrokenPipeError:
        _quiet_stdout()


def masked_traceback(exc: BaseException) -> str:
    """The traceback's frames (file, line, function, source line) without the exception's
    message or any local variable, either of which may hold a secret value."""
    import traceback

    frames = traceback.extract_tb(exc.__traceback__)
    lines = [f"  {f.filename}:{f.lineno} in {f.name}: {f.line or ''}" for f in frames]
    return "drift internal error, frames (values masked):\n" + "\n".join(lines) + f"\n{type(exc).__name__}"


@contextlib.contextmanager
def failures_handled(passing: tuple[type[BaseException], ...] = ()) -> Iterator[None]:
    """Print DriftErrors as one clear message (never a traceback) and exit with their code;
    anything unanticipated is one line naming the exception type (never its message, which
    may hold a value) and exit 4. `DRIFT_DEBUG=1` / `--debug` adds the traceback's frames.
    `passing` are exceptions the caller's framework handles itself (click's exits)."""
    try:
        with paused_gc():
            yield
    except DriftError as exc:
        from drift.report.inert import lines  # a message may name a key from a file: inert

        say(lines(f"drift: error: {exc}"))
        sys.exit(exc.exit_code)
    except BrokenPipeError:  # the reader left (`drift ... | head -1`): nothing more to say
        _quiet_stdout()
        sys.exit(EXIT_PIPE_CLOSED)
    except BaseException as exc:  # the contract: no traceback, never 0 or 1
        if isinstance(exc, (SystemExit, KeyboardInterrupt, *passing)):
            raise
        say(f"drift: internal error ({type(exc).__name__}); this is a bug in drift")
        if os.environ.get("DRIFT_DEBUG"):
            say(masked_traceback(exc))
        sys.exit(EXIT_INTERNAL)


def finish(code: int) -> NoReturn:
    """Exit with a scan's exit code."""
    sys.exit(code)


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


def load_if_present(load: Callable[[], Project], if_present: bool) -> Project:
    """The project; with `--if-present`, a folder with nothing to check ends the run here with
    one line and exit 0 (what a pre-commit hook wants in a repository with no schema yet)."""
    from drift.errors import NothingToCheck

    try:
        return load()
    except NothingToCheck:
        if not if_present:
            raise
        say("drift: nothing to check here (no drift.toml and no example file)")
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

        say(f"drift: warning: {terminal(problem)}")


def say_skipped(result: ScanResult, quiet: bool = False) -> None:
    """One info line on stderr for each environment the run left out (see `api._absent`),
    unless `--quiet`."""
    from drift.report.inert import terminal

    for line in () if quiet else result.skipped:
        say(f"drift: info: {terminal(line)}")
