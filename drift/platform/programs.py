"""Running a program whose output drift reads (a platform's CLI, `kubectl`, `helm template`,
`ssh`), with bounds.

A program is an argv list, never a shell line. It gets no standard input, its own process
group (so a timeout kills what it started too), a time limit, and a cap on the bytes read
from its output: a hung or chatty program is a clear failure, not a hung scan. Failures say
the program, the exit status and the last line of its standard error with anything that
looks secret masked, never what it printed on standard output.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from drift.secrets.scrub import scrub

DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_BYTES = 16 * 1024 * 1024
#: How much of standard error is kept, for the last line of a failure.
STDERR_TAIL = 4096


#: Programs named by the configuration run only when this is set (or `--allow-commands` is
#: given): both are outside the repository, where a pull request cannot reach.
ALLOW_ENV = "DRIFT_ALLOW_COMMANDS"


def allowed() -> bool:
    """Whether the user allowed the programs a configuration names, from outside it."""
    return os.environ.get(ALLOW_ENV, "").strip().lower() in ("1", "true", "yes")


def refusal(what: str) -> str:
    """Why `what` is not run, and how to allow it."""
    return (
        f"{what} runs a program, and drift.toml alone (which a pull request can edit) cannot allow that: "
        f"pass --allow-commands or set {ALLOW_ENV}=1 where the run is set up"
    )


class CommandFailed(Exception):
    """The program could not be run, timed out, printed too much or exited non-zero; the
    message is safe to show."""


@dataclass(frozen=True, slots=True)
class Output:
    """What a program printed."""

    stdout: bytes


def run(
    argv: Sequence[str],
    cwd: Path,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    env: Mapping[str, str] | None = None,
) -> Output:
    """Run `argv` to completion and return its output; CommandFailed otherwise."""
    program = Path(argv[0]).name if argv else "(empty argv)"
    if not argv:
        raise CommandFailed("the command is empty")
    try:
        process = subprocess.Popen(
            list(argv),
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=dict(env) if env is not None else None,
            start_new_session=True,
        )
    except FileNotFoundError:
        raise CommandFailed(f"{program}: program not found (is it installed and on PATH?)") from None
    except PermissionError:
        raise CommandFailed(f"{program}: permission denied") from None
    except OSError as exc:
        raise CommandFailed(f"{program}: cannot be run ({exc.strerror or type(exc).__name__})") from None
    try:
        stdout, stderr = _read(process, timeout, max_bytes, program)
    finally:
        _stop(process)
    tail = last_line(stderr)
    if process.returncode != 0:
        status = f"signal {-process.returncode}" if process.returncode < 0 else f"status {process.returncode}"
        raise CommandFailed(f"{program} exited with {status}" + (f": {tail}" if tail else ""))
    return Output(stdout)


def _read(process: subprocess.Popen[bytes], timeout: float, max_bytes: int, program: str) -> tuple[bytes, bytes]:
    """Both pipes until the program closes them, within the time and size limits."""
    assert process.stdout is not None and process.stderr is not None
    deadline = time.monotonic() + timeout
    out, err = bytearray(), bytearray()
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ, out)
        selector.register(process.stderr, selectors.EVENT_READ, err)
        while selector.get_map():
            left = deadline - time.monotonic()
            if left <= 0:
                raise CommandFailed(f"{program} did not finish within {timeout:g} s")
            ready = selector.select(min(left, 0.05))
            if not ready and process.poll() is not None:
                break  # the program ended; a child it left holds the pipes open: `_stop` ends it
            for key, _ in ready:
                chunk = os.read(key.fd, 65536)
                if not chunk:
                    selector.unregister(key.fileobj)
                    continue
                buffer: bytearray = key.data
                buffer.extend(chunk)
                if buffer is out and len(out) > max_bytes:
                    raise CommandFailed(f"{program} printed more than {max_bytes:,} bytes")
                if buffer is err and len(err) > 2 * STDERR_TAIL:
                    del err[: len(err) - STDERR_TAIL]
    try:
        process.wait(timeout=max(0.1, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        raise CommandFailed(f"{program} did not finish within {timeout:g} s") from None
    return bytes(out), bytes(err)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Kill the program's whole process group, whether or not the program itself has ended (a
    child it left in the background keeps running otherwise), and reap it. The group's id
    cannot have been reused while any member lives; an empty group is ProcessLookupError."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    for pipe in (process.stdout, process.stderr):
        if pipe is not None:
            pipe.close()


def last_line(stderr: bytes) -> str:
    """The last non-blank line of standard error, at most 200 characters, through the one
    scrubber for text drift did not write (`secrets/scrub.py`)."""
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    if not lines:
        return ""
    line = scrub(lines[-1])
    line = "".join(c if c.isprintable() else "?" for c in line)
    return line[:200] + ("..." if len(line) > 200 else "")
