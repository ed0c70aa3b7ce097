"""The cyclic collector waits while drift runs (drift.platform.runtime), and is back after."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from drift import api
from drift.collectors import snapshot
from drift.platform.runtime import paused_gc
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
