"""The cyclic collector waits while drift runs (drift.platform.runtime), and is back after; a
caseless pattern finds exactly what IGNORECASE finds."""

from __future__ import annotations

import gc
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drift import api
from drift.collectors import snapshot
from drift.platform.runtime import paused_gc
from drift.schema.annotations import _OPTIONAL_WORDS, _REQUIRED_WORDS
from drift.secrets import values
from tests.helpers import make_project


def test_paused_gc_restores_the_collector_even_after_an_error() -> None:
    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError), paused_gc():
        assert not gc.isenabled()
        raise ZeroDivisionError
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()


def test_a_scan_runs_without_the_collector_and_gives_it_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_project(tmp_path, "A=1\n", {"production": "A=1\n"})
    seen: list[bool] = []
    real = snapshot.collect

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(api, "collect", spy)
    api.scan(api.load_project(tmp_path / "drift.toml", tmp_path))
    assert seen == [False]
    assert gc.isenabled()


#: Every caseless pattern drift uses, by where it is defined.
CASELESS = {
    "placeholder hint": values._PLACEHOLDER_HINT,
    "reserved host hint": values._RESERVED_HINT,
    "optional words": _OPTIONAL_WORDS,
    "required words": _REQUIRED_WORDS,
}
#: Text near what the patterns look for: their words in every case, Unicode look-alikes that
#: case folding equates with ASCII letters (long s, Kelvin sign, dotless i), separators.
_NEAR = st.sampled_from(
    ["change", "ToDo", "XXX", "<", "YOUR", "Sample", "://", "example", "TEST", "Invalid", "optional", "Not  Required",
     "REQUIRED", "required if", "Mandatory", "ſample", "\u212a", "ı", "İnvalid", " ", "-", "_", "é", "a", "1"]
)  # fmt: skip


@given(st.lists(st.one_of(_NEAR, st.text(max_size=4)), max_size=8).map("".join))
def test_a_caseless_pattern_finds_what_ignorecase_finds(text: str) -> None:
    """ASCII text takes the lower-case path, the rest IGNORECASE: both agree with `re`'s
    IGNORECASE on the same pattern, for every pattern drift declares this way."""
    for name, pattern in CASELESS.items():
        expected = re.search(pattern._lower.pattern, text, re.IGNORECASE) is not None
        assert pattern.found(text) is expected, (name, text)
