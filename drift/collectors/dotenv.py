"""The `dotenv` source: one .env file, read with python-dotenv's parser and never interpolated."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from drift import dotenv_syntax
from drift.collectors.base import Collector, CollectorError, Option, SourceData
from drift.model import Entry, Problem


class DotenvCollector(Collector):
    """Reads `path`; a missing, oversized, binary or non-UTF-8 file is unavailable, not empty."""

    kind: ClassVar[str] = "dotenv"
    options: ClassVar[dict[str, Option]] = {
        "path": Option((str,), required=True, help="the file, relative to the config file"),
        "max_bytes": Option((int,), help=f"size cap (default {dotenv_syntax.DEFAULT_MAX_BYTES:,})"),
    }

    def _path(self) -> Path:
        return self.context.root / str(self.source.options["path"])

    def name(self) -> str:
        return self.context.display(self._path())

    def collect(self) -> SourceData:
        path = self._path()
        shown = self.name()
        max_bytes = int(self.source.options.get("max_bytes", dotenv_syntax.DEFAULT_MAX_BYTES))
        try:
            text = dotenv_syntax.read_text(path, max_bytes)
        except dotenv_syntax.UnreadableFile as exc:
            raise CollectorError(str(exc)) from None
        entries: dict[str, Entry] = {}
        problems: list[Problem] = []
        malformed = False
        for line in dotenv_syntax.parse(text):
            if isinstance(line, dotenv_syntax.Malformed) or (
                isinstance(line, dotenv_syntax.Assignment) and line.value is None
            ):
                reason = line.reason if isinstance(line, dotenv_syntax.Malformed) else "no '=' after the key"
                problems.append(
                    Problem(
                        "malformed",
                        None,
                        f"cannot parse {shown} line {line.line}: {reason}",
                        f"{shown}:{line.line}",
                        discriminator=f"{shown}:{line.line}",
                    )
                )
                malformed = True
            elif isinstance(line, dotenv_syntax.Assignment):
                previous = entries.get(line.key)
                if previous is not None:
                    problems.append(
                        Problem(
                            "duplicate",
                            line.key,
                            f"{line.key} is assigned twice in {shown} "
                            f"(lines {previous.location.rsplit(':', 1)[1] if previous.location else '?'} "
                            f"and {line.line}); the last one wins",
                            f"{shown}:{line.line}",
                            discriminator=shown,
                        )
                    )
                entries[line.key] = Entry(
                    key=line.key, value=line.value, source=f"dotenv:{shown}", location=f"{shown}:{line.line}"
                )
        return SourceData(list(entries.values()), problems, malformed)
