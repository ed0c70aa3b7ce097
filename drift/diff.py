"""`drift diff`: a quick, config-free comparison of dotenv files as a key x file matrix.

Raw values are shown (a value is data you already have on disk) except secrets, which are
masked with a fingerprint prefix so equal secrets still look equal. No schema is involved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from drift import dotenv_syntax
from drift.engine.secrecy import classify, display
from drift.errors import ConfigError
from drift.model import Entry
from drift.secrets import Fingerprinter


@dataclass(frozen=True, slots=True)
class DiffRow:
    """One key across the files: `same`, `differs` or `missing` (absent from some file)."""

    key: str
    status: str
    #: What each file shows (None where the key is absent).
    cells: tuple[str | None, ...]


def read_files(paths: Sequence[Path]) -> list[dict[str, str]]:
    """Each file's assignments (the last one wins); an unreadable file is a usage error."""
    read = []
    for path in paths:
        try:
            text = dotenv_syntax.read_text(path)
        except dotenv_syntax.UnreadableFile as exc:
            raise ConfigError(f"{path}: {exc}") from None
        values: dict[str, str] = {}
        for line in dotenv_syntax.parse(text):
            if isinstance(line, dotenv_syntax.Assignment):
                values[line.key] = line.value or ""
        read.append(values)
    return read


def diff(files: Sequence[dict[str, str]], keys_only: bool, fingerprint: Fingerprinter) -> list[DiffRow]:
    """A row per key, in the order keys first appear across the files."""
    keys = list(dict.fromkeys(k for values in files for k in values))
    rows = []
    for key in keys:
        present = [values.get(key) for values in files]
        cells = tuple(
            None
            if v is None
            else ("present" if keys_only else display(v, classify(key, None, Entry(key, v, "")), fingerprint))
            for v in present
        )
        if any(v is None for v in present):
            status = "missing"
        elif keys_only or len(set(present)) == 1:
            status = "same"
        else:
            status = "differs"
        rows.append(DiffRow(key, status, cells))
    return rows


def render(paths: Sequence[str], rows: Sequence[DiffRow]) -> str:
    """The matrix as aligned text, then a one-line summary."""
    header = ("KEY", *paths, "")
    table = [header] + [(row.key, *(c if c is not None else "—" for c in row.cells), row.status) for row in rows]
    widths = [min(48, max(len(r[i]) for r in table)) for i in range(len(header))]
    lines = ["  ".join(_fit(cell, widths[i]) for i, cell in enumerate(r)).rstrip() for r in table]
    counts = {s: sum(1 for r in rows if r.status == s) for s in ("differs", "missing", "same")}
    lines.append("")
    lines.append(
        f"{len(rows)} keys: {counts['differs']} differ, {counts['missing']} missing somewhere, {counts['same']} same"
    )
    return "\n".join(lines) + "\n"


def _fit(text: str, width: int) -> str:
    text = text.replace("\n", "\\n")
    return (text if len(text) <= width else text[: width - 1] + "…").ljust(width)
