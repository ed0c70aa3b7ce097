"""Reading every source of the selected environments concurrently, and merging each
environment's sources in order into one EnvSnapshot.

A source that fails is recorded as failed with its reason; it never contributes an empty
mapping. Later sources override earlier ones; different values for one key from two sources
are a `source-conflict`.
"""

import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from drift.collectors import registry
from drift.collectors.base import CollectContext, CollectorError, SourceData, Tally
from drift.model import MAX_KEYS, Entry, EnvSnapshot, Problem, SourceStatus
from drift.settings import EnvironmentConfig, SourceConfig

MAX_WORKERS = 32


class Progress(Protocol):
    """Told as each source starts (`status` None), as its reading advances (the items read
    and requests made so far, from sources that count them) and as it ends (its status, the
    keys it gave, the seconds it took and the requests it made)."""

    def __call__(
        self, env: str, source: str, status: str | None, keys: int = 0, seconds: float = 0.0, requests: int = 0
    ) -> None: ...

    def advance(self, env: str, source: str, items: int, requests: int) -> None: ...


class _Outcome(NamedTuple):
    source: SourceConfig
    name: str
    data: SourceData | None
    error: str | None


def _read(source: SourceConfig, context: CollectContext, progress: Progress | None) -> _Outcome:
    cls = registry.lookup(source.type)
    if cls is None:  # config loading already refused unknown types; a plugin may have vanished
        return _Outcome(source, source.type, None, f"unknown source type {source.type!r}")
    collector = cls(source, context)
    name = collector.name()
    if progress:
        progress(context.env, name, None)
        collector.tally = Tally(lambda items, requests: progress.advance(context.env, name, items, requests))
    started = time.monotonic()
    data: SourceData | None
    try:
        data = collector.collect()
        error = None
        if len(data.entries) > MAX_KEYS:
            data, error = None, f"holds more than {MAX_KEYS:,} keys, the most drift reads from one source"
    except CollectorError as exc:
        data, error = None, exc.reason
    except Exception as exc:  # a collector bug must not pass as an empty source; the finding says it
        data, error = None, f"internal error in the {source.type} collector ({type(exc).__name__})"
    if progress:
        keys = len(data.entries) if data is not None else 0
        seconds = time.monotonic() - started
        progress(context.env, name, "failed" if error else "ok", keys, seconds, collector.tally.requests)
    return _Outcome(source, name, data, error)


_Job = tuple[EnvironmentConfig, SourceConfig, CollectContext]


def _after_entries(source: SourceConfig) -> bool:
    cls = registry.lookup(source.type)
    return cls is not None and cls.after_entries


def _waits_on_network(source: SourceConfig) -> bool:
    cls = registry.lookup(source.type)
    return cls is not None and cls.waits_on_network


def collect(
    root: Path,
    environments: Sequence[EnvironmentConfig],
    progress: Progress | None = None,
    previous: Mapping[str, Mapping[str, Mapping[str, Any]]] | None = None,
    dialect: str = "python",
    expand: bool = False,
    allow_outside: bool = False,
) -> list[EnvSnapshot]:
    """One snapshot per environment, in the order given; network sources are read
    concurrently. `previous` is the last saved scan's metadata by environment and key;
    `dialect` and `expand` are the project's defaults for dotenv texts; `allow_outside` lets
    paths leave the project folder."""
    resources: dict[str, Any] = {}  # shared by every source of this scan only
    jobs = [
        (
            env,
            source,
            CollectContext(
                root,
                env.name,
                env.settings,
                resources,
                (previous or {}).get(env.name, {}),
                dialect=dialect,
                expand=expand,
                allow_outside=allow_outside,
            ),
        )
        for env in environments
        for source in env.sources
    ]
    outcomes: list[_Outcome | None] = [None] * len(jobs)
    later = [i for i, (_, source, _) in enumerate(jobs) if _after_entries(source)]
    try:
        _run(jobs, [i for i in range(len(jobs)) if i not in set(later)], outcomes, progress)
        if later:  # sources that read with the environment's keys (a database URL), second
            first = {env.name: merge(env, _of(env, jobs, outcomes)) for env in environments}
            for i in later:
                env, source, context = jobs[i]
                jobs[i] = (env, source, context.with_entries(first[env.name].entries))
            _run(jobs, later, outcomes, progress)
    finally:
        for resource in resources.values():  # the scan's connections end with its reading
            close = getattr(resource, "close", None)
            if callable(close):
                close()
    return [merge(env, _of(env, jobs, outcomes)) for env in environments]


def _of(env: EnvironmentConfig, jobs: Sequence[_Job], outcomes: Sequence[_Outcome | None]) -> list[_Outcome]:
    """The environment's outcomes that exist so far, in configured order."""
    return [o for (e, _, _), o in zip(jobs, outcomes, strict=True) if e.name == env.name and o is not None]


def _run(
    jobs: Sequence[_Job], indexes: Sequence[int], outcomes: list[_Outcome | None], progress: Progress | None
) -> None:
    """Read the sources at `indexes`: network ones on a thread pool, local ones here."""
    remote = [i for i in indexes if _waits_on_network(jobs[i][1])]
    local = [i for i in indexes if i not in set(remote)]
    if not remote:  # the local check: no thread pool (and no concurrent.futures import)
        for i in local:
            outcomes[i] = _read(jobs[i][1], jobs[i][2], progress)
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(MAX_WORKERS, len(remote)), thread_name_prefix="drift") as pool:
        futures = {i: pool.submit(_read, jobs[i][1], jobs[i][2], progress) for i in remote}
        for i in local:
            outcomes[i] = _read(jobs[i][1], jobs[i][2], progress)
        for i, future in futures.items():
            outcomes[i] = future.result()


def merge(env: EnvironmentConfig, outcomes: Sequence[_Outcome]) -> EnvSnapshot:
    """Merge one environment's sources in configured order."""
    entries: dict[str, Entry] = {}
    problems: list[Problem] = []
    statuses: list[SourceStatus] = []
    unreadable: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    malformed = False
    facts: dict[str, Any] = {}
    for outcome in outcomes:
        source = outcome.source
        if outcome.data is None:
            statuses.append(SourceStatus(source.type, outcome.name, "failed", outcome.error))
            unreadable.append((source.include, source.exclude))
            continue
        filtered = bool(source.include or source.exclude)
        kept = [e for e in outcome.data.entries if source.admits(e.key)] if filtered else outcome.data.entries
        problems.extend(p for p in outcome.data.problems if not filtered or p.key is None or source.admits(p.key))
        malformed = malformed or outcome.data.malformed
        facts.update(outcome.data.facts)
        read = "ok" if kept or outcome.data.facts else "empty"  # a migrations source holds facts, not keys
        statuses.append(SourceStatus(source.type, outcome.name, read, None, len(kept)))
        if not entries:  # the first source: nothing to conflict with (one dict, built in C)
            entries = {entry.key: entry for entry in kept}
            continue
        for entry in kept:
            previous = entries.get(entry.key)
            if (
                previous is not None
                and previous.value is not None
                and entry.value is not None
                and previous.value != entry.value
            ):
                problems.append(
                    Problem(
                        "conflicting-sources",
                        entry.key,
                        f"{entry.key} differs between {previous.source} and {entry.source}; the later one wins",
                        entry.location,
                        discriminator=f"{previous.source}|{entry.source}",
                    )
                )
            entries[entry.key] = entry
    return EnvSnapshot(
        env=env.name,
        deployed=env.deployed,
        entries=entries,
        sources=tuple(statuses),
        problems=tuple(problems),
        unreadable_patterns=tuple(unreadable),
        malformed=malformed,
        facts=facts,
    )
