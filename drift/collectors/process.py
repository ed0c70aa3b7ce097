"""The `process` source: drift's own process environment (a CI job's injected variables)."""

from __future__ import annotations

import os
from typing import ClassVar

from drift.collectors.base import Collector, Option, SourceData
from drift.model import Entry


class ProcessCollector(Collector):
    """Variables starting with `prefix` (all when unset); `strip_prefix` drops the prefix."""

    kind: ClassVar[str] = "process"
    options: ClassVar[dict[str, Option]] = {
        "prefix": Option((str,), help="only variables starting with this"),
        "strip_prefix": Option((bool,), help="drop the prefix from key names"),
    }

    def name(self) -> str:
        prefix = str(self.source.options.get("prefix", ""))
        return f"process:{prefix}*" if prefix else "process"

    def collect(self) -> SourceData:
        prefix = str(self.source.options.get("prefix", ""))
        strip = bool(self.source.options.get("strip_prefix", False)) and bool(prefix)
        entries = []
        for name, value in os.environ.items():
            if not name.startswith(prefix):
                continue
            key = name[len(prefix) :] if strip else name
            if key:
                entries.append(Entry(key=key, value=value, source=f"process:{name}", location=f"env:{name}"))
        return SourceData(entries)
