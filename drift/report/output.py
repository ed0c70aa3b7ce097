"""Where `--output FORMAT:PATH` writes (the writing itself, atomic, is `files.write_atomic`)."""

from __future__ import annotations

from pathlib import Path

from drift.errors import ConfigError
from drift.report.formats import Format


def parse_output(spec: str, reports_dir: Path) -> tuple[Format, Path]:
    """`html:out/report.html` -> (Format.HTML, out/report.html); a bare `html` writes
    `drift-report.html` in the reports folder."""
    name, sep, path = spec.partition(":")
    choices = ", ".join(f.value for f in Format)
    if sep and not path:
        raise ConfigError(f"--output {spec!r}: write FORMAT:PATH or FORMAT, with FORMAT one of {choices}")
    try:
        fmt = Format(name)
    except ValueError:
        raise ConfigError(f"--output {spec!r}: unknown format {name!r}; one of {choices}") from None
    return fmt, Path(path) if path else reports_dir / f"drift-report.{fmt.suffix}"
