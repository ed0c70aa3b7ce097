"""Writing reports to files: `--output FORMAT:PATH`, atomically (temporary file, then rename)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from drift.errors import ConfigError
from drift.report.formats import Format


def parse_output(spec: str) -> tuple[Format, Path]:
    """`html:reports/drift-report.html` -> (Format.HTML, Path(...))."""
    name, sep, path = spec.partition(":")
    choices = ", ".join(f.value for f in Format)
    if not sep or not path:
        raise ConfigError(f"--output {spec!r}: write FORMAT:PATH, with FORMAT one of {choices}")
    try:
        return Format(name), Path(path)
    except ValueError:
        raise ConfigError(f"--output {spec!r}: unknown format {name!r}; one of {choices}") from None


def write_atomic(path: Path, text: str) -> None:
    """Write via a temporary file in the same folder and rename it over the target, so a
    reader (or a killed run) never sees half a report. Creates parent folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        Path(temporary).chmod(0o644)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
