"""`drift diff`: a quick comparison of dotenv files as a key x file matrix.

Files are read in the project's dialect, by the same reader as every source, so a line the
loader rejects is reported (and the exit code says the comparison is incomplete) instead of
silently dropping a key. Values follow the display policy of every other output: shown only
when drift knows they are no secret, which needs a schema (`--schema`: its `@secret`,
`@not-secret` and types count); otherwise a mask and fingerprint prefix, so equal values
still look equal.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from drift import dialects
from drift.engine.secrecy import classify, display
from drift.errors import EXIT_DRIFT, EXIT_OK, EXIT_UNAVAILABLE, ConfigError
from drift.model import Entry, Problem
from drift.report import inert
from drift.schema import KeySpec
from drift.secrets import Fingerprinter


@dataclass(frozen=True, slots=True)
class DiffRow:
    """One key across the files: `same`, `differs` or `missing` (absent from some file)."""

    key: str
    status: str
    #: What each file shows (None where the key is absent).
    cells: tuple[str | None, ...]


@dataclass(frozen=True, slots=True)
class DiffResult:
    """The rows, and the lines no file's loader could read."""

    rows: list[DiffRow]
    problems: list[Problem]

    @property
    def exit_code(self) -> int:
        """1 when the files differ, else 3 when a line could not be read, else 0."""
        if any(r.status != "same" for r in self.rows):
            return EXIT_DRIFT
        return EXIT_UNAVAILABLE if self.problems else EXIT_OK


def read_files(paths: Sequence[Path], dialect: str, expand: bool) -> tuple[list[dict[str, str]], list[Problem]]:
    """Each file's values (the last assignment wins) and its problems; an unreadable file is a
    usage error."""
    read = []
    problems: list[Problem] = []
    for path in paths:
        try:
            text = dialects.read_text(path)
        except dialects.UnreadableFile as exc:
            raise ConfigError(f"{path}: {exc}") from None
        env_text = dialects.read(text, dialect, expand, str(path))
        problems.extend(p for p in env_text.problems if p.kind == "unreadable-line")
        read.append({key: a.value for key, a in env_text.values.items()})
    return read, problems


def diff(
    files: Sequence[dict[str, str]],
    keys_only: bool,
    fingerprint: Fingerprinter,
    specs: Mapping[str, KeySpec] | None = None,
) -> list[DiffRow]:
    """A row per key, in the order keys first appear across the files."""
    specs = specs or {}
    keys = list(dict.fromkeys(k for values in files for k in values))
    rows = []
    for key in keys:
        present = [values.get(key) for values in files]
        spec = specs.get(key)
        cells = tuple(
            None
            if v is None
            else ("present" if keys_only else display(v, classify(key, spec, Entry(key, v, "")), fingerprint))
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


def render(paths: Sequence[str], result: DiffResult) -> str:
    """The matrix as aligned text, the unreadable lines, then a one-line summary."""
    rows = result.rows
    header = ("KEY", *(inert.terminal(p) for p in paths), "")
    table = [header] + [
        (inert.terminal(row.key), *(inert.terminal(c) if c is not None else "—" for c in row.cells), row.status)
        for row in rows
    ]
    widths = [min(48, max(len(r[i]) for r in table)) for i in range(len(header))]
    lines = ["  ".join(_fit(cell, widths[i]) for i, cell in enumerate(r)).rstrip() for r in table]
    counts = {s: sum(1 for r in rows if r.status == s) for s in ("differs", "missing", "same")}
    lines.append("")
    for problem in result.problems:
        lines.append(f"malformed: {inert.terminal(problem.message)}")
    lines.append(
        f"{len(rows)} keys: {counts['differs']} differ, {counts['missing']} missing somewhere, {counts['same']} same"
        + (f"; {len(result.problems)} lines could not be read" if result.problems else "")
    )
    return "\n".join(lines) + "\n"


def _fit(text: str, width: int) -> str:
    return (text if len(text) <= width else text[: width - 1] + "…").ljust(width)
