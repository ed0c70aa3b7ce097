"""`python -m drift` and the `drift` command.

The cyclic collector is off from the first import: a run is one short process whose objects
live until it ends (drift.platform.runtime says why), and importing drift's modules alone triggered
enough collections to cost 5% of a small check's start-up (benchmarks/README.md).

`drift check` in its plain forms (what the pre-commit hooks run) is read without click
(drift.console.check.run_hook); everything else, and anything that path does not read, goes
to click.
"""

import gc
import sys


def run() -> None:
    """Run the command line."""
    gc.disable()
    if sys.argv[1:2] == ["check"]:
        from drift.console.check import run_hook

        run_hook(sys.argv[2:])  # exits, unless click must read these arguments
    from drift.cli import main

    main()


if __name__ == "__main__":
    run()
