"""Source types from the `drift.collectors` entry-point group; built-ins win."""

from __future__ import annotations

import importlib.metadata
import sys
import textwrap
from pathlib import Path

import pytest

from drift.collectors import registry
from drift.errors import ConfigError


def install_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str, declared: str) -> None:
    package = tmp_path / "plugin_pkg"
    package.mkdir()
    (package / "__init__.py").write_text(
        textwrap.dedent(
            f"""
            from drift.collectors.base import Collector, SourceData
            from drift.model import Entry

            class Static(Collector):
                kind = {declared!r}
                options = {{}}

                def name(self):
                    return "static"

                def collect(self):
                    return SourceData([Entry("FROM_PLUGIN", "1", "static")])
            """
        )
    )
    dist = tmp_path / "plugin_pkg-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: plugin-pkg\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(f"[drift.collectors]\n{kind} = plugin_pkg:Static\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    monkeypatch.delitem(sys.modules, "plugin_pkg", raising=False)


def test_a_plugin_kind_is_loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    install_plugin(tmp_path, monkeypatch, "static", "static")
    cls = registry.lookup("static")
    assert cls is not None and cls.kind == "static"
    assert importlib.metadata.entry_points(group="drift.collectors", name="static")


def test_builtins_win_over_plugins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    install_plugin(tmp_path, monkeypatch, "dotenv", "dotenv")
    from drift.collectors.dotenv import DotenvCollector

    assert registry.lookup("dotenv") is DotenvCollector


def test_a_plugin_whose_kind_disagrees_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    install_plugin(tmp_path, monkeypatch, "static", "other")
    with pytest.raises(ConfigError, match="declares kind 'other'"):
        registry.lookup("static")
