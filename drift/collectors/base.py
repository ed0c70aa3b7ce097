"""The collector interface: one configured source in, entries (or a CollectorError) out.

A collector never returns an empty result for a source it could not read: it raises
CollectorError, and the environment becomes partial with a `source-unavailable` finding.
"""

import _thread
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
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
        self._lock = _thread.allocate_lock()  # threading.Lock, without loading `threading` at start-up

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


class CollectContext:
    """What a collector may know besides its own options (a plain class, not a dataclass:
    see drift.schema.keyspec._Fields)."""

    __slots__ = ("allow_outside", "dialect", "entries", "env", "expand", "previous", "resources", "root", "settings")

    def __init__(
        self,
        root: Path,
        env: str,
        settings: Mapping[str, Mapping[str, Any]] | None = None,
        resources: dict[str, Any] | None = None,
        previous: Mapping[str, Mapping[str, Any]] | None = None,
        dialect: str = "python",
        expand: bool = False,
        entries: Mapping[str, Entry] | None = None,
        allow_outside: bool = False,
    ) -> None:
        #: The folder relative paths in the config are relative to.
        self.root = root
        self.env = env
        #: The environment's settings shared by its sources, by family (`{"aws": {...}}`).
        self.settings: Mapping[str, Mapping[str, Any]] = settings or {}
        #: Objects shared by every source of one scan, by name (the AWS collectors keep their
        #: session pool here); made per scan, never at module level.
        self.resources: dict[str, Any] = {} if resources is None else resources
        #: The previous saved scan's metadata of this environment's keys (key -> metadata), so
        #: a source can fetch extra facts only for what changed (SSM's LastModifiedUser).
        self.previous: Mapping[str, Mapping[str, Any]] = previous or {}
        #: The project's dotenv dialect and `expand` setting, for sources that do not set theirs.
        self.dialect = dialect
        self.expand = expand
        #: For collectors that read after the others (`after_entries`): the environment's keys
        #: as its other sources gave them (a migrations source takes its database URL from there).
        self.entries: Mapping[str, Entry] = entries or {}
        #: `[drift] allow_outside`: whether paths may leave the project folder.
        self.allow_outside = allow_outside

    def with_entries(self, entries: Mapping[str, Entry]) -> "CollectContext":
        """This context for a source that reads after the environment's others."""
        return CollectContext(
            self.root,
            self.env,
            self.settings,
            self.resources,
            self.previous,
            self.dialect,
            self.expand,
            entries,
            self.allow_outside,
        )

    @property
    def confined(self) -> Confined:
        """The project's confinement: every file a collector reads goes through it."""
        return Confined(self.root, self.allow_outside)

    def display(self, path: Path) -> str:
        """A path as reports show it: relative to the project root where possible."""
        return shown(path, self.root)


class SourceData:
    """What one source produced."""

    __slots__ = ("entries", "facts", "malformed", "problems")

    def __init__(
        self,
        entries: list[Entry],
        problems: list[Problem] | None = None,
        malformed: bool = False,
        facts: dict[str, Any] | None = None,
    ) -> None:
        self.entries = entries
        self.problems: list[Problem] = [] if problems is None else problems
        #: True when a parse problem means some keys may have been lost.
        self.malformed = malformed
        #: What the source found besides variables, by kind (merged into `EnvSnapshot.facts`).
        self.facts: dict[str, Any] = {} if facts is None else facts


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
