"""How paths appear in reports and messages: relative to the project folder where possible,
so that no report carries an absolute path of the scanning machine."""

from __future__ import annotations

from pathlib import Path


def shown(path: Path, root: Path) -> str:
    """`path` relative to `root` (POSIX separators), or as given when it lies outside."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError, RuntimeError):  # outside, or a symbolic link loop
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            return path.as_posix()
