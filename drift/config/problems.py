"""Where every problem of a configuration file is collected, with the file and table it
comes from, so that loading reports all of them at once; shared by the readers of the
configuration's parts (composed, each holding this), never inherited."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from drift.platform.files import confinement
from drift.platform.paths import shown
from drift.platform.suggest import did_you_mean


class Problems:
    """The problems found so far in one configuration file."""

    def __init__(self, root: Path, shown: str) -> None:
        self.root = root
        self.shown = shown
        self.errors: list[str] = []
        #: Whether configured paths may leave the project folder (`[drift] allow_outside`).
        self.allow_outside = False

    def fail(self, where: str, message: str) -> None:
        self.errors.append(f"{self.shown}: {where}: {message}")

    def unknown(self, where: str, table: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
        for name in table:
            if name not in allowed:
                self.fail(where, f"unknown field '{name}'{did_you_mean(name, allowed)}")

    def confine(self, where: str, value: str) -> None:
        problem = confinement(self.root, value, self.allow_outside)
        if problem is not None:
            self.fail(where, problem)

    def display(self, path: Path) -> str:
        return shown(path, self.root)
