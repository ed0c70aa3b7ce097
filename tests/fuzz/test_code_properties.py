"""Hostile input for the code scanners: whatever a source or configuration file holds, reading
it gives reads (a key and a line inside the file, or a dynamic read), never an exception."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drift.code import config_files, go, javascript, python, ruby
from tests.fuzz.profile import FUZZ
from tests.fuzz.test_reach_properties import YAML

PIECES = st.sampled_from(
    ["process.env.", "process.env[", "]", "import.meta.env.", "const {", "} = process.env", "?? 1", "|| 2", "`${",
     "}`", "//", "/*", "*/", "'", '"', "os.environ[", "os.getenv(", ")", "class S(BaseSettings):", "\n    x: int = 1",
     "ENV[", "ENV.fetch(", "os.Getenv(", "package main\nimport \"os\"\n", "function f(process) {", "\\", "\n", "KEY",
     "ENV A=1", "ARG B", "${{ secrets.C }}", '{"scripts": {"s": "$D"}}', "é", "\x00"]
)  # fmt: skip
SOURCE = st.lists(PIECES | st.text(max_size=6), max_size=30).map("".join)


@pytest.mark.parametrize(
    ("module", "name"),
    [(javascript, "a.ts"), (javascript, "a.tsx"), (javascript, "a.js"), (python, "a.py"), (ruby, "a.rb"), (go, "a.go"),
     (config_files, "Dockerfile"), (config_files, "package.json"), (config_files, "a.service")],
)  # fmt: skip
@FUZZ
@given(text=SOURCE)
def test_any_source_file(module: object, name: str, text: str) -> None:
    found = module.reads(text, name)  # type: ignore[attr-defined]
    lines = text.count("\n") + 1
    assert all((r.key is None) == (r.kind == "dynamic") for r in found)  # only a dynamic read lacks a key
    assert all(1 <= r.line <= lines for r in found)


@FUZZ
@given(YAML)
def test_any_yaml_configuration_file(text: str) -> None:
    for name in ("compose.yaml", ".github/workflows/ci.yml", "k8s/app.yaml"):
        for read in config_files.reads(text, name):
            assert read.key is not None and read.line >= 1
