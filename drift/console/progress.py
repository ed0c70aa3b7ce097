"""Progress while sources are read: on a terminal, a spinner for each source being read, with
the items read and requests made so far by the sources that count them (SSM, Secrets
Manager), and a line for each one done (through `rich`, on stderr); in a CI log (`CI` set, as
GitHub, GitLab and the other runners set it), one plain line per source as it finishes, with
its keys, requests and time, so a slow account shows where the time went; otherwise, and
with `--quiet`, nothing."""

from __future__ import annotations

import _thread
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from drift.console import say
from drift.report.inert import terminal


def _done(keys: int, seconds: float, requests: int) -> str:
    """What a finished source's line says after its status: `(1,000 keys, 120 requests, 10.1 s)`."""
    made = f", {requests:,} request{'s' if requests != 1 else ''}" if requests else ""
    return f"({keys:,} keys{made}, {seconds:.1f} s)"


class CiLines:
    """One line per finished source (a log is read afterwards: nothing while it reads)."""

    def __call__(
        self, env: str, source: str, status: str | None, keys: int = 0, seconds: float = 0.0, requests: int = 0
    ) -> None:
        if status is not None:
            say(f"drift: {terminal(f'{env}: {source}')} {status} {_done(keys, seconds, requests)}")

    def advance(self, env: str, source: str, items: int, requests: int) -> None:
        """Nothing until the source is done."""

    def stop(self) -> None:
        """Nothing to tidy."""


class Spinners:
    """A spinner per source being read; a line (mark, keys, time) for each one done."""

    def __init__(self, console: Any = None) -> None:
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn

        self.console = console or Console(stderr=True)
        self.bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), console=self.console, transient=True)
        self.tasks: dict[tuple[str, str], Any] = {}
        self.lock = _thread.allocate_lock()  # threading.Lock, without loading `threading` at start-up
        self.bar.start()

    def __call__(
        self, env: str, source: str, status: str | None, keys: int = 0, seconds: float = 0.0, requests: int = 0
    ) -> None:
        with self.lock:
            if status is None:
                self.tasks[(env, source)] = self.bar.add_task(_label(env, source), total=None)
                return
            task = self.tasks.pop((env, source), None)
            if task is not None:
                self.bar.remove_task(task)
        mark = "[green]✓[/]" if status == "ok" else "[red]✗[/]"
        self.bar.console.print(f"{mark} {_label(env, source)} {status} {_done(keys, seconds, requests)}")

    def advance(self, env: str, source: str, items: int, requests: int) -> None:
        """The source's spinner says how far it has come."""
        with self.lock:
            task = self.tasks.get((env, source))
            if task is not None:
                counts = f"{items:,} read, {requests:,} request{'s' if requests != 1 else ''}"
                self.bar.update(task, description=f"{_label(env, source)} [dim]{counts}[/]")

    def stop(self) -> None:
        """End the live display (its spinners vanish; the finished lines stay)."""
        self.bar.stop()


def _label(env: str, source: str) -> str:
    """A source's name as the display shows it: names come from files, so one inert line
    with no markup."""
    from rich.markup import escape

    return escape(terminal(f"{env}: {source}"))


@contextmanager
def showing(quiet: bool) -> Iterator[CiLines | Spinners | None]:
    """The progress display for one scan, ended when the scan is (a live display left
    running would draw over the report)."""
    progress = progress_for(quiet)
    try:
        yield progress
    finally:
        if progress is not None:
            progress.stop()


def progress_for(quiet: bool) -> CiLines | Spinners | None:
    """The progress display this run gets, if any."""
    if quiet:
        return None
    if sys.stderr.isatty():
        return Spinners()
    if os.environ.get("CI"):
        return CiLines()
    return None
