"""The `dotenv` source: one .env file, read as the application's loader reads it (its
dialect) and never interpolated from drift's own environment."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from drift import dialects
from drift.collectors.base import Collector, CollectorError, Option, SourceData
from drift.collectors.parsers import read_env_text


class DotenvCollector(Collector):
    """Reads `path`; a missing, oversized, special, binary or non-UTF-8 file is unavailable,
    not empty."""

    kind: ClassVar[str] = "dotenv"
    file_options: ClassVar[tuple[str, ...]] = ("path",)
    options: ClassVar[dict[str, Option]] = {
        "path": Option((str,), required=True, help="the file, relative to the config file"),
        "max_bytes": Option((int,), help=f"size cap (default {dialects.DEFAULT_MAX_BYTES:,})"),
        "dialect": Option((str,), help=f"the loader's rules: {', '.join(dialects.DIALECTS)} (default: [drift])"),
        "expand": Option((bool,), help="expand ${VAR} from the file's own keys (default: [drift] expand)"),
        "allow_special": Option((bool,), help="read a FIFO or device (default false)"),
    }

    def _path(self) -> Path:
        return self.context.root / str(self.source.options["path"])

    def name(self) -> str:
        return self.context.display(self._path())

    def collect(self) -> SourceData:
        options = self.source.options
        shown = self.name()
        max_bytes = int(options.get("max_bytes", dialects.DEFAULT_MAX_BYTES))
        try:
            text = dialects.read_text(self._path(), max_bytes, bool(options.get("allow_special", False)))
        except dialects.UnreadableFile as exc:
            raise CollectorError(str(exc)) from None
        return read_env_text(text, str(options.get("dialect", self.context.dialect)), self._expand(), shown)

    def _expand(self) -> bool:
        return bool(self.source.options.get("expand", self.context.expand))
