"""The keys the code reads: every place a setting is read, found with real parsers
(tree-sitter grammars), so comments, strings that merely contain `process.env` and shadowed
names are not reads, and a read whose name is computed is reported as dynamic, never guessed.

`scan(root, paths, exclude)` walks the source files (the repository's `.gitignore` honoured
through git when the tree is a repository, vendored and generated folders skipped) and returns
the reads; each language is one module with `reads(text, path) -> list[Read]`.
"""

from __future__ import annotations

import fnmatch
import importlib
import subprocess
from collections.abc import Iterator, Sequence
from pathlib import Path

from drift.files import DEFAULT_MAX_BYTES, UnreadableFile, read_text
from drift.model import CodeRead

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
}
#: Folders that hold other people's code or build output, skipped outside git too.
SKIPPED = ("node_modules", "vendor", "dist", "build", ".next", ".venv", "venv", "__pycache__", ".git", "coverage")


#: The reads `scan` returns (the model's record of one).
Read = CodeRead


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
            if path.suffix not in LANGUAGES or any(part in SKIPPED for part in Path(relative).parts):
                continue
            if any(fnmatch.fnmatch(relative, pattern) for pattern in exclude):
                continue
            found.append(path)
    return sorted(set(found))


def _language(suffix: str) -> str:
    """The `[code] languages` name of a suffix (TypeScript is read by the JavaScript module)."""
    return "typescript" if suffix in (".ts", ".tsx", ".mts", ".cts") else LANGUAGES[suffix]


def _git_files(root: Path) -> list[str] | None:
    try:
        done = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
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


def scan(root: Path, paths: Sequence[str], exclude: Sequence[str] = (), languages: Sequence[str] = ()) -> list[Read]:
    """Every read in the source files under `paths`, in file and line order. A file that
    cannot be read (binary, too large, not UTF-8) is skipped: it holds no code drift reads."""
    found: list[Read] = []
    suffixes = {
        s for s, module in LANGUAGES.items() if not languages or _language(s) in languages or module in languages
    }
    for path in files(root, paths, exclude):
        if path.suffix not in suffixes:
            continue
        try:
            text = read_text(path, DEFAULT_MAX_BYTES)
        except UnreadableFile:
            continue
        module = importlib.import_module(f"drift.code.{LANGUAGES[path.suffix]}")
        found.extend(module.reads(text, path.relative_to(root).as_posix()))
    return found
