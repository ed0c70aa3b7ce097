"""Running work whose cost drift cannot count, each piece under a time and a memory bound.

CEL's runtime counts comprehension steps, not bytes or seconds: `X.map(a, X.map(b, a + b))`
over a 64 KiB list builds 1.6 GB in 7 s inside one C++ call that Python cannot interrupt.
So the pieces run in a forked child with an address-space limit, which reports each outcome
as it is reached; the parent waits at most `seconds` for each. A piece that runs out of time
or memory kills the child and is reported as such; the pieces after it run in a new child.
A fork costs milliseconds (copy-on-write), once per environment in the usual case where
nothing runs away. Where there is no fork (not POSIX), pieces run in the process, unbounded.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
#: What an outcome is: JSON-representable, since it crosses a pipe.
Outcome = bool | str | None

#: The longest one piece may run.
SECONDS = 2.0
#: The memory one piece may add to the process.
EXTRA_BYTES = 256 * 1024 * 1024


class Exceeded(str):
    """An outcome the child did not reach: why (time or memory), in words."""


def run_each(pieces: Sequence[T], work: Callable[[T], Outcome], seconds: float = SECONDS) -> list[Outcome]:
    """`work(piece)` for each piece in order, each bounded; an `Exceeded` for one that was not."""
    if not hasattr(os, "fork"):
        return [work(piece) for piece in pieces]
    outcomes: list[Outcome] = []
    while len(outcomes) < len(pieces):
        outcomes += _in_child(pieces[len(outcomes) :], work, seconds)
    return outcomes


def _in_child(pieces: Sequence[T], work: Callable[[T], Outcome], seconds: float) -> list[Outcome]:
    """Outcomes of a prefix of `pieces` from one child: all of them, or those before the one
    that exceeded its bound, then that one's `Exceeded`."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child: coverage does not follow a fork
        _child(read_end, write_end, pieces, work)
    os.close(write_end)
    outcomes: list[Outcome] = []
    pending = b""
    try:
        while len(outcomes) < len(pieces):
            ready, _, _ = select.select([read_end], [], [], seconds)
            if not ready:
                outcomes.append(Exceeded(f"did not finish within {seconds:g} s"))
                break
            chunk = os.read(read_end, 65536)
            if not chunk:  # the child ended before its answer: it could not allocate
                outcomes.append(Exceeded(f"needed more than {EXTRA_BYTES // 2**20} MB"))
                break
            *lines, pending = (pending + chunk).split(b"\n")
            outcomes += [json.loads(line) for line in lines]
    finally:
        os.close(read_end)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    return outcomes


def _child(read_end: int, write_end: int, pieces: Sequence[T], work: Callable[[T], Outcome]) -> None:
    """Bound the address space, silence standard error (a C++ runtime's last words), answer
    piece by piece, and leave without running the parent's exit handlers."""
    status = 0
    try:
        os.close(read_end)
        _limit_memory()
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 2)
        for piece in pieces:
            os.write(write_end, json.dumps(work(piece)).encode() + b"\n")
    except BaseException:  # MemoryError and the like: the parent reads the early end
        status = 1
    finally:
        os._exit(status)


def _limit_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    try:
        size = int(Path("/proc/self/statm").read_text(encoding="ascii").split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:  # no /proc: the time bound still holds
        return
    resource.setrlimit(resource.RLIMIT_AS, (size + EXTRA_BYTES, size + EXTRA_BYTES))
