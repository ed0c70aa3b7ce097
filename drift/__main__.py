"""`python -m drift` and the `drift` command.

The cyclic collector is off from the first import: a run is one short process whose objects
live until it ends (drift.platform.runtime says why), and importing drift's modules alone triggered
enough collections to cost 5% of a small check's start-up (benchmarks/README.md).
"""

import gc


def run() -> None:
    """Run the command line."""
    gc.disable()
    from drift.cli import main

    main()


if __name__ == "__main__":
    run()
