"""Coverage-guided fuzzing with atheris (libFuzzer) for `make fuzz`, where atheris installs.

    .venv/bin/python devtools/fuzz_atheris.py TARGET [libFuzzer options]

TARGET is `dialects` (every dialect reads any text without raising), `schema` (any
`.env.example` gives a schema or a SchemaError) or `config` (any drift.toml gives a project
or a ConfigError). A crashing input is written to tests/fuzz/corpus/atheris/, which every
`make test` replays (tests/fuzz/test_properties.py).
"""

from __future__ import annotations

import contextlib
import importlib
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from drift.errors import DriftError

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "fuzz" / "corpus" / "atheris"


def check_dialects(data: bytes) -> None:
    from drift import dialects

    text = data.decode("utf-8", "replace")
    for dialect in dialects.DIALECTS:
        dialects.read(text, dialect, expand=dialect in ("node", "python"), shown="fuzz.env")


def check_schema(data: bytes) -> None:
    from drift import dialects
    from drift.schema import load_schema

    with tempfile.TemporaryDirectory() as folder:
        example = Path(folder) / ".env.example"
        example.write_bytes(data)
        for dialect in dialects.DIALECTS:
            with contextlib.suppress(DriftError):  # the documented outcome for a bad schema
                load_schema(example, ".env.example", {}, [], "(fuzz)", "", dialect)


def check_config(data: bytes) -> None:
    from drift.config import load_project

    with tempfile.TemporaryDirectory() as folder:
        config = Path(folder) / "drift.toml"
        config.write_bytes(data)
        with contextlib.suppress(DriftError):  # the documented outcome for a bad config
            load_project(config, Path(folder))


TARGETS: dict[str, Callable[[bytes], None]] = {
    "dialects": check_dialects,
    "schema": check_schema,
    "config": check_config,
}


def main() -> None:
    import atheris  # type: ignore[import-untyped,unused-ignore]  # installed by `make fuzz` only

    target = TARGETS[sys.argv[1]]
    with atheris.instrument_imports():  # coverage feedback from drift's own code
        for module in ("drift.dialects.node", "drift.dialects.python", "drift.dialects.compose", "drift.dialects.shell",
                       "drift.dialects.expand", "drift.schema", "drift.config"):  # fmt: skip
            importlib.import_module(module)
    CORPUS.mkdir(parents=True, exist_ok=True)
    atheris.Setup([sys.argv[0], f"-artifact_prefix={CORPUS}/{sys.argv[1]}-", *sys.argv[2:]], target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
