"""Writing reports to files: `--output FORMAT:PATH`, atomically (temporary file, then rename).

`glob` and `tempfile` load when a file is written: `drift check` printing to a terminal
needs neither (start-up time).
"""

from __future__ import annotations

import os
from pathlib import Path

from drift.errors import ConfigError, OutputError
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


def _sweep(path: Path) -> None:
    """Remove the temporary files a killed writer of `path` left (their names carry the
    writer's process id); a live writer's are left alone."""
    import glob

    for leftover in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        pid = leftover.name[len(path.name) + 2 :].split(".", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            leftover.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except OSError:  # it exists, owned by someone else
        return True
    return True


def write_atomic(path: Path, text: str | bytes, mode: int = 0o644) -> None:
    """Write via a temporary file in the same folder and rename it over the target, so a
    reader (or a killed run) never sees half a report. Creates parent folders; `bytes` are
    written as they are (`drift sync` keeps a file's bytes), `mode` is the file's. A failure
    (read-only folder, a directory in the way, a full disk, a symbolic link loop) is an
    OutputError naming the path, and the old file stays as it was."""
    import tempfile

    try:
        if path.is_dir():
            raise OutputError(f"cannot write {path}: it is a directory")
        path.parent.mkdir(parents=True, exist_ok=True)
        _sweep(path)
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or type(exc).__name__}") from None
    try:
        data = text if isinstance(text, bytes) else text.encode("utf-8", "surrogateescape")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        Path(temporary).chmod(mode)
        Path(temporary).replace(path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {exc.strerror or type(exc).__name__}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
