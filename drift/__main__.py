"""`python -m drift` and the `drift` command.

The cyclic collector is off from the first import: a run is one short process whose objects
live until it ends (drift.platform.runtime says why), and importing drift's modules alone triggered
enough collections to cost 5% of a small check's start-up (benchmarks/README.md).

`drift check` in its plain forms (what the pre-commit hooks run) is read without click
(drift.console.check.run_hook); everything else, and anything that path does not read, goes
to click.

The process leaves without the interpreter's teardown (`leave`): freeing a large scan's
objects one by one took 25-40 ms of a 20 x 5,000-key check that had already said everything.
"""

import atexit
import gc
import os
import sys


def run() -> None:
    """Run the command line."""
    gc.disable()
    try:
        _command()
    except SystemExit as done:
        leave(done)


def _command() -> None:
    if sys.argv[1:2] == ["check"]:
        from drift.console.check import run_hook

        run_hook(sys.argv[2:])  # exits, unless click must read these arguments
    from drift.cli import main

    main()


def leave(done: SystemExit) -> None:
    """Exit with `done`'s code once the output is flushed, skipping the teardown, when
    nothing else is waiting for the end: no exit handler registered and no other thread
    running. Otherwise (or when flushing fails) the interpreter exits as it would have."""
    code = done.code
    threading = sys.modules.get("threading")
    if not isinstance(code, int | None) or atexit._ncallbacks() or (threading and threading.active_count() > 1):
        raise done
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        raise done from None
    os._exit(code or 0)


if __name__ == "__main__":
    run()
