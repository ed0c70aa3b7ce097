"""How a drift run treats the interpreter: the cyclic garbage collector waits until it ends,
and regular expressions few runs need are compiled when first used (`LazyPattern`).

A scan of 20 environments x 5,000 keys keeps a few hundred thousand objects alive (entries,
findings, matrix cells, the report's records), all of them until the run ends. Each time the
collector's youngest generation fills it walks them again looking for cycles there are none
of: 15-20% of the run's time (benchmarks/README.md). Reference counting still frees whatever
the run drops; what a paused collector leaves is garbage in cycles, which it collects when
the run is over.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


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


class LazyPattern:
    """A regular expression compiled where it is first used rather than at import.

    Compiling every module-level pattern at import was a tenth of a pre-commit check's start-up,
    and most of them serve what a clean check never meets (XML output, stderr scrubbing,
    `@deprecated`, URLs in text). Patterns that run once per value on every check (secrecy,
    types) stay plain `re.compile`: this adds a call per use.
    """

    __slots__ = ("_compiled", "_flags", "_source")

    def __init__(self, source: str, flags: int = 0) -> None:
        self._source = source
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        """The compiled pattern (compiled on the first call)."""
        if self._compiled is None:
            self._compiled = re.compile(self._source, self._flags)
        return self._compiled

    def match(self, text: str, pos: int = 0) -> re.Match[str] | None:
        """`re.Pattern.match`."""
        return self.compiled.match(text, pos)

    def fullmatch(self, text: str) -> re.Match[str] | None:
        """`re.Pattern.fullmatch`."""
        return self.compiled.fullmatch(text)

    def search(self, text: str) -> re.Match[str] | None:
        """`re.Pattern.search`."""
        return self.compiled.search(text)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """`re.Pattern.finditer`."""
        return self.compiled.finditer(text)

    def findall(self, text: str) -> list[Any]:
        """`re.Pattern.findall`."""
        return self.compiled.findall(text)

    def sub(self, replacement: str | Callable[[re.Match[str]], str], text: str) -> str:
        """`re.Pattern.sub`."""
        return self.compiled.sub(replacement, text)


class CaselessPattern:
    """A case-insensitive search, fast on ASCII text: Python's `re` gives up its literal scans
    under IGNORECASE (2 us against 0.2 us to search a 15-character value for one of a dozen
    words), so ASCII text is lower-cased and searched with the pattern as written; any other
    text is searched with IGNORECASE, whose Unicode case folding `str.lower` does not follow
    (`ſ` matches `s`). The pattern's letters must be written in lower case. Only whether it
    is found is answered: a match would be of the lower-cased text."""

    __slots__ = ("_folded", "_lower")

    def __init__(self, source: str) -> None:
        self._lower = re.compile(source)
        self._folded = LazyPattern(source, re.IGNORECASE)

    def found(self, text: str) -> bool:
        """Whether the pattern occurs in `text`, case ignored."""
        if text.isascii():
            return self._lower.search(text.lower()) is not None
        return self._folded.search(text) is not None
