"""The collector interface: one configured source in, entries (or a CollectorError) out.

A collector never returns an empty result for a source it could not read: it raises
CollectorError, and the environment becomes partial with a `source-unavailable` finding.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, NamedTuple

from drift.errors import CollectorError
from drift.model import Entry, Problem
from drift.platform.files import Confined
from drift.platform.paths import shown
from drift.settings import SourceConfig

__all__ = ["CollectContext", "Collector", "CollectorError", "Option", "SourceConfig", "SourceData", "Tally"]


class Tally:
    """How far a source's reading has come: the items read and the requests made so far,
    told as they grow (to the progress display: a 1,000-parameter path takes seconds, and a
    terminal shows it moving). Safe to add to from a collector's own threads."""

    def __init__(self, told: Callable[[int, int], None] | None = None) -> None:
        self.items = 0
        self.requests = 0
        self._told = told
        self._lock = threading.Lock()

    def add(self, items: int = 0, requests: int = 0) -> None:
        with self._lock:
            self.items += items
            self.requests += requests
            items, requests = self.items, self.requests
        if self._told is not None:
            self._told(items, requests)


class Option(NamedTuple):
    """One option a source type accepts in drift.toml."""

    types: tuple[type, ...]
    required: bool = False
    help: str = ""


@dataclass(frozen=True)
class CollectContext:
    """What a collector may know besides its own options."""

    #: The folder relative paths in the config are relative to.
    root: Path
    env: str
    #: The environment's settings shared by its sources, by family (`{"aws": {...}}`).
    settings: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    #: Objects shared by every source of one scan, by name (the AWS collectors keep their
    #: session pool here); made per scan, never at module level.
    resources: dict[str, Any] = field(default_factory=dict)
    #: The previous saved scan's metadata of this environment's keys (key -> metadata), so a
    #: source can fetch extra facts only for what changed (SSM's LastModifiedUser).
    previous: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    #: The project's dotenv dialect and `expand` setting, for sources that do not set theirs.
    dialect: str = "python"
    expand: bool = False
    #: For collectors that read after the others (`after_entries`): the environment's keys as
    #: its other sources gave them (a migrations source takes its database URL from there).
    entries: Mapping[str, Entry] = field(default_factory=dict)
    #: `[drift] allow_outside`: whether paths may leave the project folder.
    allow_outside: bool = False

    @property
    def confined(self) -> Confined:
        """The project's confinement: every file a collector reads goes through it."""
        return Confined(self.root, self.allow_outside)

    def display(self, path: Path) -> str:
        """A path as reports show it: relative to the project root where possible."""
        return shown(path, self.root)


@dataclass
class SourceData:
    """What one source produced."""

    entries: list[Entry]
    problems: list[Problem] = field(default_factory=list)
    #: True when a parse problem means some keys may have been lost.
    malformed: bool = False
    #: What the source found besides variables, by kind (merged into `EnvSnapshot.facts`).
    facts: dict[str, Any] = field(default_factory=dict)


class Collector(ABC):
    """Base of every source type; subclasses set `kind` and `options`."""

    kind: ClassVar[str]
    options: ClassVar[Mapping[str, Option]]
    #: True for sources that wait on the network: they are read on a thread pool. Local files
    #: are parsed on the calling thread, where threads would only contend for the GIL.
    waits_on_network: ClassVar[bool] = False
    #: Options that name local files: drift.toml may not point them outside the project
    #: folder (unless `allow_outside`) or into `.git/`.
    file_options: ClassVar[tuple[str, ...]] = ()
    #: True for sources that need the environment's other sources read first (their
    #: `CollectContext.entries`).
    after_entries: ClassVar[bool] = False

    def __init__(self, source: SourceConfig, context: CollectContext) -> None:
        self.source = source
        self.context = context
        #: Where a source that makes many requests counts them and what they gave (the scan
        #: replaces it with one that tells the progress display).
        self.tally = Tally()

    @classmethod
    def check_options(cls, options: Mapping[str, Any]) -> list[str]:
        """What is wrong with a source's options beyond their types (each a sentence naming
        the option, never its value); checked when the configuration is loaded."""
        return []

    @classmethod
    def namespaces(cls, source: SourceConfig) -> tuple[str, ...]:
        """Prefixes of references this source owns (`ssm:/mre/staging/`), so that a reference
        from another environment into them is a `cross-env-reference`."""
        return ()

    @abstractmethod
    def name(self) -> str:
        """A short label for this source in reports (a path, an SSM path, a function)."""

    @abstractmethod
    def collect(self) -> SourceData:
        """Read the source; raise CollectorError when it cannot be read."""
