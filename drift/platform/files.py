"""Reading any file drift is pointed at, with bounds.

A path in a configuration may name a device (`/dev/zero` reports size 0 and never ends), a
FIFO (reading blocks forever), a socket, a symbolic link loop or a huge file. Every read
here is capped by bytes actually read, refuses special files unless asked, and fails with
UnreadableFile saying why, never what the file holds.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

from drift.errors import ConfigError, OutputError

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
#: drift.toml, pyproject.toml, a baseline, a JSON report: larger is not a configuration.
CONFIG_MAX_BYTES = 16 * 1024 * 1024


class UnreadableFile(Exception):
    """The file cannot be read; the message says why, never what."""


def read_bytes(path: Path, max_bytes: int = DEFAULT_MAX_BYTES, allow_special: bool = False) -> bytes:
    """The file's bytes: at most `max_bytes` (counted as read), from a regular file unless
    `allow_special`."""
    try:
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise UnreadableFile("file not found") from None
    except IsADirectoryError:
        raise UnreadableFile("is a directory, not a file") from None
    except PermissionError:
        raise UnreadableFile("permission denied") from None
    except (OSError, RuntimeError) as exc:  # ELOOP for a symbolic link loop, ENAMETOOLONG, ...
        raise UnreadableFile(getattr(exc, "strerror", None) or "cannot be read") from None
    except ValueError:  # a NUL character in the path
        raise UnreadableFile("not a valid path") from None
    try:
        status = os.fstat(fd)
        mode = status.st_mode
        if stat.S_ISDIR(mode):
            raise UnreadableFile("is a directory, not a file")
        if not stat.S_ISREG(mode):
            if not allow_special:
                raise UnreadableFile(
                    "not a regular file (a FIFO, device or socket); set allow_special = true to read it"
                )
            os.close(fd)  # opened without blocking only to look at it: now read it as asked
            fd = os.open(path, os.O_RDONLY)
        with os.fdopen(fd, "rb", closefd=True) as handle:
            fd = -1
            # read(n) allocates n bytes first: ask for the size the file says it has (plus one,
            # to see growth) and only then for the rest of the budget
            data = handle.read(min(status.st_size, max_bytes) + 1)
            if status.st_size < len(data) <= max_bytes:
                data += handle.read(max_bytes + 1 - len(data))
    except OSError as exc:
        raise UnreadableFile(exc.strerror or "cannot be read") from None
    finally:
        if fd >= 0:
            os.close(fd)
    if len(data) > max_bytes:
        raise UnreadableFile(f"file is over the {max_bytes:,}-byte limit")
    return data


def read_text(path: Path, max_bytes: int = DEFAULT_MAX_BYTES, allow_special: bool = False) -> str:
    """The file as UTF-8 text (a byte-order mark kept: whether it counts is the reader's
    business), refusing binary data."""
    data = read_bytes(path, max_bytes, allow_special)
    if b"\x00" in data:
        raise UnreadableFile("binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UnreadableFile(f"not valid UTF-8 (line {line})") from None


def read_toml(path: Path, shown: str) -> tuple[str, dict[str, Any]]:
    """A TOML file's text and data; a ConfigError naming the file (and the line of a syntax
    error, never tomllib's wording, which quotes the text) for anything wrong."""
    import tomllib  # only runs with a configuration file load it (start-up time)

    try:
        text = read_text(path, CONFIG_MAX_BYTES)
    except UnreadableFile as exc:
        raise ConfigError(f"{shown}: cannot be read: {exc}") from None
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise ConfigError(
            f"{shown}: TOML syntax error ({f'line {match.group(1)}' if match else 'position unknown'})"
        ) from None
    except RecursionError:
        raise ConfigError(f"{shown}: TOML nested too deeply") from None


def confinement(root: Path, value: str, allow_outside: bool) -> str | None:
    """Why a configured path may not be used, or None: one that leaves the project folder
    (unless `allow_outside`), or lies under `.git/` (never read: a hostile drift.toml in a pull
    request could otherwise print `.git/config`'s credentials into a CI log). The reason names
    the problem, never the path, which may itself have been chosen to leak something."""
    if "\x00" in value:
        return "the path holds a NUL character"
    base = root.resolve()
    try:
        target = (root / value).resolve()
    except (OSError, RuntimeError):
        return None  # a symbolic link loop: nothing can be read through it, and reading says so
    inside = target.is_relative_to(base)
    if ".git" in (target.relative_to(base).parts if inside else target.parts):
        return "drift never reads or writes files under .git/"
    if not inside and not allow_outside:
        return "the path leaves the project folder; set [drift] allow_outside = true to allow it"
    return None


class Confined(NamedTuple):
    """The one path resolution every file drift reads or writes goes through: a path is
    resolved (symbolic links and `..`, `~` expanded) and refused when it leaves the project
    (unless `allow_outside`) or lies under `.git/`; a read is capped and refuses special files
    (unless `allow_special`). Collectors, the code readers, migrations, sync, apply and
    history reach files only through it (tests/test_confinement.py holds every module to it).
    Paths a unit file or a Compose file names are configuration too, and come here alike.
    Errors say why, never where a link points."""

    root: Path
    allow_outside: bool = False

    def path(self, value: str | Path) -> Path:
        """`value` (relative to the project, absolute, or `~/...`) as a path drift may use, or
        UnreadableFile saying why not."""
        text = str(value)
        if text.startswith("~"):
            try:
                text = str(Path(text).expanduser())
            except RuntimeError:
                raise UnreadableFile("`~` cannot be resolved here") from None
        why = confinement(self.root, text, self.allow_outside)
        if why is not None:
            raise UnreadableFile(why)
        return self.root / text

    def read_bytes(self, value: str | Path, max_bytes: int = DEFAULT_MAX_BYTES, allow_special: bool = False) -> bytes:
        return read_bytes(self.path(value), max_bytes, allow_special)

    def read_text(self, value: str | Path, max_bytes: int = DEFAULT_MAX_BYTES, allow_special: bool = False) -> str:
        return read_text(self.path(value), max_bytes, allow_special)

    def files(self, folder: str | Path, suffixes: tuple[str, ...] = ()) -> list[Path]:
        """The regular files under `folder` (recursively, sorted; the path itself when it is a
        file), each confined: one that links out of the project fails the listing, naming
        it, rather than being skipped in silence."""
        base = self.path(folder)
        if not base.is_dir():
            return [base]
        found = []
        for path in sorted(base.rglob("*")):
            if suffixes and path.suffix not in suffixes:
                continue
            shown = path.relative_to(base).as_posix()
            try:
                self.path(path)
            except UnreadableFile as exc:
                raise UnreadableFile(f"{shown}: {exc}") from None
            if path.is_file():
                found.append(path)
            elif not path.is_dir():
                raise UnreadableFile(f"{shown}: not a regular file (a FIFO, device, socket or broken link)")
        return found


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


def write_atomic(path: Path, text: str | bytes | Iterable[str], mode: int = 0o644) -> None:
    """Write via a temporary file in the same folder and rename it over the target, so a
    reader (or a killed run) never sees half a report. Creates parent folders; `bytes` are
    written as they are (`drift sync` keeps a file's bytes), pieces of text one after the
    other as they come (a streamed report), `mode` is the file's. A failure
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
        with os.fdopen(fd, "wb") as handle:
            for piece in (text,) if isinstance(text, str | bytes) else text:
                handle.write(piece if isinstance(piece, bytes) else piece.encode("utf-8", "surrogateescape"))
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
