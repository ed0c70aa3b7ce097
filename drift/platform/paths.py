"""How paths appear in reports and messages: relative to the project folder where possible,
so that no report carries an absolute path of the scanning machine."""

from __future__ import annotations

import os
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


def repository_prefix(root: Path) -> str:
    """The project folder relative to the repository it lies in, as a prefix ("" at the
    top): code scanning, workflow annotations and GitLab name files from the repository root,
    while drift's locations are relative to the project. `GITHUB_WORKSPACE` wins when the
    project lies inside it; else the nearest folder at or above holding `.git`; else ""."""
    try:
        here = root.resolve()
    except (OSError, RuntimeError):
        return ""
    workspace = os.environ.get("GITHUB_WORKSPACE")
    tops = [Path(workspace)] if workspace else []
    tops += [folder for folder in (here, *here.parents) if (folder / ".git").exists()][:1]
    for top in tops:
        try:
            relative = here.relative_to(top.resolve())
        except (ValueError, OSError, RuntimeError):
            continue
        return "" if relative == Path() else f"{relative.as_posix()}/"
    return ""
