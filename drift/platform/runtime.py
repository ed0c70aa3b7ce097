"""How a drift run treats the interpreter: the cyclic garbage collector waits until it ends.

A scan of 20 environments x 5,000 keys keeps a few hundred thousand objects alive (entries,
findings, matrix cells, the report's records), all of them until the run ends. Each time the
collector's youngest generation fills it walks them again looking for cycles there are none
of: 15-20% of the run's time (benchmarks/README.md). Reference counting still frees whatever
the run drops; what a paused collector leaves is garbage in cycles, which it collects when
the run is over.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """The cyclic collector off for the block (and back as it was after it)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
