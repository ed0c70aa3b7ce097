"""The keys the code reads: every place a setting is read, found with real parsers
(tree-sitter grammars), so comments, strings that merely contain `process.env` and shadowed
names are not reads, and a read whose name is computed is reported as dynamic, never guessed.

`scan(root, paths, exclude)` walks the source files (the repository's `.gitignore` honoured
through git when the tree is a repository, vendored and generated folders skipped) and returns
the reads; each language is one module with `reads(text, path) -> list[Read]`.
"""

from __future__ import annotations

import fnmatch
import hashlib
import importlib
import json
import os
import subprocess
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from drift import __version__
from drift.model import CodeRead
from drift.platform.files import DEFAULT_MAX_BYTES, Confined, UnreadableFile, read_bytes

#: File suffix -> the module that reads it.
LANGUAGES = {
    ".js": "javascript",
    ".jsx": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".ts": "javascript",
    ".tsx": "javascript",
    ".mts": "javascript",
    ".cts": "javascript",
    ".py": "python",
    ".rb": "ruby",
    ".go": "go",
}
#: Folders that hold other people's code or build output, skipped outside git too.
SKIPPED = ("node_modules", "vendor", "dist", "build", ".next", ".venv", "venv", "__pycache__", ".git", "coverage")


#: The reads `scan` returns (the model's record of one).
Read = CodeRead


class Unreadable(Exception):
    """A file a reader gives up on (nested too deep, too slow): skipped like a binary file,
    never the end of the run."""


#: A syntax tree deeper than this (25,000 nested parentheses; a chain of 500 calls is about
#: 1,000) is not code anybody reads settings in: the file is unreadable, not the run.
MAX_DEPTH = 1_000
#: Seconds one file may take.
TIME_BUDGET = 5.0


class Walk:
    """The nodes of a syntax tree depth-first in source order, for every reader: iterative
    (no recursion limit to hit), each node once (linear in the file), and bounded: deeper than
    MAX_DEPTH or longer than TIME_BUDGET, the file is Unreadable. `skip()` after a node keeps
    the walk out of its children (a reader that has read what it needs there)."""

    def __init__(self, root: Any, path: str) -> None:
        self._stack: list[tuple[Any, int]] = [(root, 0)]
        self._path = path
        self._skip = False

    def __iter__(self) -> Iterator[Any]:
        import time

        budget = time.monotonic() + TIME_BUDGET
        stack = self._stack
        while stack:
            node, depth = stack.pop()
            if depth > MAX_DEPTH or (len(stack) % 4096 == 0 and time.monotonic() > budget):
                raise Unreadable(
                    f"{self._path}: nested deeper than {MAX_DEPTH} levels or slower than {TIME_BUDGET:g} s to read"
                )
            self._skip = False
            yield node
            if not self._skip:
                stack.extend((child, depth + 1) for child in reversed(node.children))

    def skip(self) -> None:
        """Do not descend into the node just given."""
        self._skip = True


def files(root: Path, paths: Sequence[str], exclude: Sequence[str]) -> list[Path]:
    """The source files under `paths`: git's view of the tree when it is a repository (so
    `.gitignore` is honoured), else a walk; `exclude` globs and vendored folders left out."""
    listed = _git_files(root)
    found: list[Path] = []
    for base in paths:
        folder = root / base
        candidates = (
            [root / p for p in listed if (root / p).is_relative_to(folder)] if listed is not None else _walk(folder)
        )
        for path in candidates:
            relative = path.relative_to(root).as_posix()
            if _reader(relative) is None or any(part in SKIPPED for part in Path(relative).parts):
                continue
            if any(fnmatch.fnmatch(relative, pattern) for pattern in exclude):
                continue
            found.append(path)
    return sorted(set(found))


def _reader(relative: str) -> str | None:
    """The module that reads a file: its language's, or the configuration files' one."""
    from drift.code.config_files import kind_of

    if kind_of(relative) is not None:
        return "config_files"
    return LANGUAGES.get(Path(relative).suffix)


def _language(relative: str) -> str:
    """The `[code] languages` name of a file (TypeScript is read by the JavaScript module)."""
    suffix = Path(relative).suffix
    if _reader(relative) == "config_files":
        return "config"
    return "typescript" if suffix in (".ts", ".tsx", ".mts", ".cts") else LANGUAGES[suffix]


def _git_files(root: Path, untracked_only: bool = False) -> list[str] | None:
    which = ["--others"] if untracked_only else ["--cached", "--others"]
    try:
        done = subprocess.run(
            ["git", "ls-files", *which, "--exclude-standard", "-z"],
            cwd=root, capture_output=True, timeout=60, check=False,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    return [p for p in done.stdout.decode("utf-8", "surrogateescape").split("\0") if p]


def _walk(folder: Path) -> Iterator[Path]:
    if folder.is_file():
        yield folder
        return
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            yield path


def added_lines(root: Path, ref: str) -> dict[str, set[int] | None]:
    """The lines added since the git `ref` (the pull request's base), by file relative to
    `root`; None for a file that is new (every line of it); a ref git does not know is a
    ConfigError."""
    from drift.errors import ConfigError

    if ref.startswith("-"):
        raise ConfigError(f"--changed-since {ref!r}: a git ref may not start with '-'")
    try:
        diff = subprocess.run(
            ["git", "diff", "--unified=0", "--no-color", "--no-ext-diff", ref, "--"],
            cwd=root, capture_output=True, timeout=120, check=False,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ConfigError(f"--changed-since: git cannot be run ({type(exc).__name__})") from None
    if diff.returncode != 0:
        raise ConfigError(f"--changed-since {ref!r}: git does not know that ref here (is this a repository?)")
    found: dict[str, set[int] | None] = {}
    path = None
    prefix = _git_prefix(root)
    for line in diff.stdout.decode("utf-8", "surrogateescape").splitlines():
        if line.startswith("+++ "):
            name = line[4:]
            path = name[2:].removeprefix(prefix) if name.startswith("b/") else None
        elif line.startswith("@@") and path is not None:
            added = line.split(" ")[2]  # +start[,count]
            start, _, count = added[1:].partition(",")
            lines = found.setdefault(path, set())
            if lines is not None:
                lines.update(int(start) + i for i in range(int(count) if count else 1))
    for new in _git_files(root, untracked_only=True) or []:
        found[new] = None
    return found


def is_added(read: CodeRead, added: dict[str, set[int] | None]) -> bool:
    """Whether a read is on a line `added_lines` found."""
    if read.path not in added:
        return False
    lines = added[read.path]
    return lines is None or read.line in lines


def _git_prefix(root: Path) -> str:
    done = subprocess.run(["git", "rev-parse", "--show-prefix"], cwd=root, capture_output=True, check=False)
    return done.stdout.decode("utf-8", "surrogateescape").strip()


def scan(
    root: Path,
    paths: Sequence[str],
    exclude: Sequence[str] = (),
    languages: Sequence[str] = (),
    cache: Path | None = None,
) -> list[Read]:
    """Every read in the source files under `paths`, in file and line order. A file that
    cannot be read (binary, too large, not UTF-8) is skipped: it holds no code drift reads.

    With `cache`, a file whose content (and path) hashed the same before is not parsed
    again: its reads come from the cache, which is rewritten with this scan's files only."""
    known = _load(cache)
    kept: dict[str, list[list[Any]]] = {}
    found: list[Read] = []
    confined = Confined(root)  # a file that links out of the project (even a committed link) is not read
    for path in files(root, paths, exclude):
        relative = path.relative_to(root).as_posix()
        reader = _reader(relative)
        if reader is None or (languages and _language(relative) not in languages):
            continue
        try:
            data = confined.read_bytes(path, DEFAULT_MAX_BYTES)
        except UnreadableFile:
            continue
        digest = hashlib.sha256(f"{CACHE_VERSION}\0{relative}\0".encode() + data).hexdigest()
        rows = known.get(digest)
        if rows is None:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                continue
            try:
                reads = importlib.import_module(f"drift.code.{reader}").reads(text, relative)
            except (Unreadable, RecursionError):
                continue
            rows = [[r.key, r.line, r.kind] for r in reads]
        kept[digest] = rows
        found.extend(Read(key, relative, line, kind) for key, line, kind in rows)
    if cache is not None and kept != known:
        _save(cache, kept)
    return found


#: Bumped whenever a reader changes what it finds, so an old cache is never trusted.
CACHE_VERSION = f"drift-code-1-{__version__}"


def _load(cache: Path | None) -> dict[str, list[list[Any]]]:
    if cache is None or not cache.is_file():
        return {}
    try:
        data = json.loads(read_bytes(cache, 256 * 1024 * 1024))
    except (UnreadableFile, ValueError, RecursionError):
        return {}  # a damaged cache is rebuilt, never trusted
    if not isinstance(data, dict) or data.get("version") != CACHE_VERSION or not isinstance(data.get("files"), dict):
        return {}
    return {k: v for k, v in data["files"].items() if isinstance(k, str) and _rows(v)}


def _rows(value: Any) -> bool:
    """Whether a cached entry has the shape `scan` writes: [[key, line, kind], ...]."""
    return isinstance(value, list) and all(
        isinstance(row, list)
        and len(row) == 3
        and isinstance(row[0], (str, type(None)))
        and type(row[1]) is int
        and row[2] in ("direct", "default", "dynamic")
        for row in value
    )


def _save(cache: Path, files: dict[str, list[list[Any]]]) -> None:
    temporary = cache.with_name(f".{cache.name}.{os.getpid()}.tmp")
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(json.dumps({"version": CACHE_VERSION, "files": files}, separators=(",", ":")))
        temporary.replace(cache)
    except OSError:  # a read-only checkout: the next scan parses again, nothing else changes
        temporary.unlink(missing_ok=True)
