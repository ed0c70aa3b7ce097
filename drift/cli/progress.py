"""Progress while sources are read: on a terminal, a spinner for each source being read and
a line for each one done (through `rich`, on stderr); in a CI log (`CI` set, as GitHub,
GitLab and the other runners set it), one plain line per source as it finishes, with its
keys and time, so a slow account shows where the time went; otherwise, and with `--quiet`,
nothing."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from drift.report.inert import terminal


class CiLines:
    """One line per finished source."""

    def __call__(self, env: str, source: str, status: str | None, keys: int = 0, seconds: float = 0.0) -> None:
        if status is not None:
            click.echo(f"drift: {terminal(f'{env}: {source}')} {status} ({keys:,} keys, {seconds:.1f} s)", err=True)

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
        self.lock = threading.Lock()
        self.bar.start()

    def __call__(self, env: str, source: str, status: str | None, keys: int = 0, seconds: float = 0.0) -> None:
        from rich.markup import escape

        with self.lock:
            if status is None:
                self.tasks[(env, source)] = self.bar.add_task(escape(terminal(f"{env}: {source}")), total=None)
                return
            task = self.tasks.pop((env, source), None)
            if task is not None:
                self.bar.remove_task(task)
        mark = "[green]✓[/]" if status == "ok" else "[red]✗[/]"
        label = escape(terminal(f"{env}: {source}"))  # names from files: one inert line, no markup
        self.bar.console.print(f"{mark} {label} {status} ({keys:,} keys, {seconds:.1f} s)")

    def stop(self) -> None:
        """End the live display (its spinners vanish; the finished lines stay)."""
        self.bar.stop()


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
