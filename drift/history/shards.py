"""One shard of a sharded scan as history keeps it until `drift merge` combines the run.

A shard (`drift scan --shard I/N`) reads only its environments, so it saves what the rules
that compare environments need from them, never a value: each environment's snapshot
without values (sources, their status, keys, facts), its entries' sealed forms
(`cross_env.Seen`: comparison tokens, displays, secrecy), its deployment settings sealed, its
findings of every scope but `across` and `history`, and its entries as history keeps them.
`drift merge` reads the N records back and finishes the scan as one process would.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from drift.engine.cross_env import Seen, portable, sealed
from drift.engine.rules.settings_drift import Sealed
from drift.engine.rules.settings_drift import sealed as sealed_settings
from drift.engine.secrecy import DECLARED, INFERRED, Secrecy
from drift.errors import ConfigError, HistoryError
from drift.history.base import _finding_from_row, _finding_row, _inflate, damage
from drift.model import Entry, EntryRecord, EnvSnapshot, Finding, Migration, MigrationFacts, SourceStatus
from drift.platform import jsontext

if TYPE_CHECKING:
    from drift.config import Project
    from drift.engine.secrecy import SecrecyCache
    from drift.history.base import HistoryStore
    from drift.schema import Schema
    from drift.secrets import Fingerprinter

#: The most shards a run may have (each is one CI job); `drift scan --shard` holds N to it.
MAX_SHARDS = 1000

#: The layout `ShardRecord.pack` writes.
FORMAT = 1
#: A run id goes into object keys and table rows: CI run ids, pipeline ids, job names.
_RUN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")


def check_run_id(run: str) -> str:
    """The run id, or a ConfigError saying what one may be."""
    if not _RUN_ID.fullmatch(run):
        raise ConfigError(
            f"run id {run[:40]!r}: use 1 to 128 letters, digits, '.', '_' or '-' (a CI run id, a job name)"
        )
    return run


def config_digest(project: Project, schema: Schema) -> str:
    """What shards of one run must have been made from: drift.toml and the schema, in a form
    that does not depend on the process (a set's order follows the hash seed)."""

    def canonical(value: object) -> object:
        if isinstance(value, Mapping):  # a spec's read-only override tables
            return dict(value)
        return sorted(map(repr, value)) if isinstance(value, set | frozenset) else repr(value)

    specs = json.dumps([s._asdict() for s in schema.specs.values()], sort_keys=True, default=canonical)
    digest = hashlib.sha256()
    for text in (project.config_text, specs):
        digest.update(hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest())
    return digest.hexdigest()[:16]


def load_run(history: HistoryStore, run: str, key_check: str, config: str) -> list[ShardRecord]:
    """Every shard of `run`, in order; a ConfigError naming the first one missing, or made
    under another key or configuration; a HistoryError for one that is not a shard."""
    blobs = history.shard_blobs(run)
    if not blobs:
        raise ConfigError(
            f"{history.where}: no shard of run {run} is saved (never scanned with --shard, or merged already)"
        )
    records = [ShardRecord.unpack(blob, where) for _, (where, blob) in sorted(blobs.items())]
    total = records[0].total
    for (index, (where, _)), record in zip(sorted(blobs.items()), records, strict=True):
        if not 1 <= record.index == index <= record.total <= MAX_SHARDS:
            raise HistoryError(f"{where}: a saved shard cannot be read (its number)")
        if record.total != total:
            raise ConfigError(f"run {run}: shards of {total} and of {record.total} were saved under one run id")
        if record.key_check != key_check:
            raise ConfigError(f"run {run}: shard {index}/{total} was made with another fingerprint key")
        if record.config != config:
            raise ConfigError(f"run {run}: shard {index}/{total} was made from another drift.toml or schema")
    missing = [i for i in range(1, total + 1) if i not in blobs]
    if missing:
        names = ", ".join(f"{i}/{total}" for i in missing)
        raise ConfigError(
            f"run {run}: shard {names} {'is' if len(missing) == 1 else 'are'} not saved yet "
            f"({len(blobs)} of {total} are; I counts from 1, or from 0 with 0 as {total}/{total})"
        )
    return records


def sealed_parts(
    schema: Schema, snapshots: Sequence[EnvSnapshot], secrecy: SecrecyCache, fingerprint: Fingerprinter
) -> tuple[list[EnvSnapshot], dict[str, dict[str, Seen]]]:
    """What a shard saves of its environments: each snapshot with its deployment settings
    sealed, and every entry's sealed value with its typed token hashed (`cross_env.portable`)."""
    kept = [
        s._replace(
            facts={
                kind: sealed_settings(fact, fingerprint) if kind.startswith("settings:") else fact
                for kind, fact in s.facts.items()
            }
        )
        for s in snapshots
    ]
    values = {
        env: {key: portable(seen, fingerprint) for key, seen in keys.items()}
        for env, keys in sealed(schema, snapshots, secrecy, fingerprint).items()
    }
    return kept, values


class MergedRun(NamedTuple):
    """A run's shards put together: the environments in configured order (values left out),
    their entries as history keeps them, their sealed values, the shards' findings (a
    schema's, which every shard made, once) and the lines of environments skipped."""

    snapshots: list[EnvSnapshot]
    entries: list[EntryRecord]
    sealed: dict[str, Mapping[str, Seen]]
    findings: list[Finding]
    skipped: tuple[str, ...]


def merged(records: Sequence[ShardRecord], order: Sequence[str]) -> MergedRun:
    """The shards of one run as one, environments in `order` (the configuration's)."""
    by_env = {s.env: s for r in records for s in r.snapshots}
    found: list[Finding] = []
    seen: set[str] = set()
    for finding in (f for r in records for f in r.findings):
        if finding.env is None and finding.id in seen:
            continue  # a schema's finding: every shard made it
        seen.add(finding.id)
        found.append(finding)
    return MergedRun(
        [by_env[name] for name in order if name in by_env],
        [e for r in records for e in r.entries],
        {env: keys for r in records for env, keys in r.sealed.items()},
        found,
        tuple(dict.fromkeys(line for r in records for line in r.skipped)),
    )


@dataclass(frozen=True)
class ShardRecord:
    """Shard `index` of `total` of run `run` (1-based), as `drift merge` reads it."""

    run: str
    index: int
    total: int
    project: str
    scanned_at: str
    #: The fingerprint key's check value: shards made under different keys cannot be merged.
    key_check: str
    #: `config_digest` of drift.toml and the schema: shards of other configurations neither.
    config: str
    snapshots: list[EnvSnapshot]
    sealed: dict[str, dict[str, Seen]]
    findings: list[Finding]
    entries: list[EntryRecord]
    skipped: list[str]

    def pack(self) -> bytes:
        data = {
            "format": FORMAT,
            "run": self.run,
            "index": self.index,
            "total": self.total,
            "project": self.project,
            "scanned_at": self.scanned_at,
            "key_check": self.key_check,
            "config": self.config,
            "snapshots": [_snapshot_row(s) for s in self.snapshots],
            "sealed": {env: {key: _seen_row(seen) for key, seen in keys.items()} for env, keys in self.sealed.items()},
            "findings": [_finding_row(f) for f in self.findings],
            "entries": [[e.env, e.key, e.fingerprint, e.display, dict(e.metadata)] for e in self.entries],
            "skipped": self.skipped,
        }
        text = json.dumps(data, separators=(",", ":"), default=str)
        return gzip.compress(text.encode("utf-8", "surrogatepass"), mtime=0)

    @classmethod
    def unpack(cls, blob: bytes, where: str) -> ShardRecord:
        """A shard from its blob; anything of another shape is damage, named by `where`."""
        try:
            data = jsontext.loads(_inflate(blob))
            if data.get("format") != FORMAT:
                raise ValueError("format")
            snapshots = [_snapshot_from(row) for row in data["snapshots"]]
            deployed = {s.env: s.deployed for s in snapshots}
            return cls(
                str(data["run"]),
                int(data["index"]),
                int(data["total"]),
                str(data["project"]),
                str(data["scanned_at"]),
                str(data["key_check"]),
                str(data["config"]),
                snapshots,
                {
                    str(env): {str(key): _seen_from(env, deployed[env], row) for key, row in keys.items()}
                    for env, keys in data["sealed"].items()
                },
                [_finding_from_row(row) for row in data["findings"]],
                [EntryRecord(str(e), str(k), fp, shown, dict(meta)) for e, k, fp, shown, meta in data["entries"]],
                [str(line) for line in data["skipped"]],
            )
        except damage() as exc:
            raise HistoryError(f"{where}: a saved shard cannot be read ({type(exc).__name__})") from None


def _seen_row(seen: Seen) -> list[Any]:
    s = seen.secrecy
    return [
        seen.empty,
        seen.compared,
        seen.shown,
        s.for_rules,
        s.masked,
        s.shareable,
        s.basis,
        seen.setting,
        seen.fingerprint,
    ]


def _seen_from(env: str, deployed: bool, row: list[Any]) -> Seen:
    empty, compared, shown, for_rules, masked, shareable, basis, setting, fingerprint = row
    if not isinstance(compared, str) or basis not in (DECLARED, INFERRED):
        raise TypeError("sealed value")
    return Seen(
        env,
        deployed,
        bool(empty),
        compared,
        _text(shown),
        Secrecy(bool(for_rules), bool(masked), bool(shareable), str(basis)),
        bool(setting),
        fingerprint if isinstance(fingerprint, str) else None,
    )


def _snapshot_row(snapshot: EnvSnapshot) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    for kind, fact in snapshot.facts.items():
        if isinstance(fact, MigrationFacts):
            facts[kind] = ["migrations", fact.tool, fact.repository, [list(m) for m in fact.applied], fact.location]
        elif isinstance(fact, Sealed):
            facts[kind] = ["settings", fact.tree]
    return {
        "env": snapshot.env,
        "deployed": snapshot.deployed,
        "entries": [
            [e.key, e.source, e.location, e.store_secret, e.plaintext_store, _plain(e.metadata)]
            for e in snapshot.entries.values()
        ],
        "sources": [list(s) for s in snapshot.sources],
        "unreadable": [[list(include), list(exclude)] for include, exclude in snapshot.unreadable_patterns],
        "malformed": snapshot.malformed,
        "facts": facts,
    }


def _snapshot_from(row: dict[str, Any]) -> EnvSnapshot:
    entries = {}
    for key, source, location, store_secret, plaintext, metadata in row["entries"]:
        entries[str(key)] = Entry(
            str(key), None, str(source), _text(location), bool(store_secret), bool(plaintext), _plain(metadata)
        )
    facts: dict[str, Any] = {}
    for kind, fact in row["facts"].items():
        if fact[0] == "migrations":
            _, tool, repository, applied, location = fact
            facts[str(kind)] = MigrationFacts(
                str(tool),
                tuple((str(name), _text(checksum)) for name, checksum in repository),
                tuple(Migration(str(n), _text(c), bool(f), bool(r)) for n, c, f, r in applied),
                str(location),
            )
        elif fact[0] == "settings":
            facts[str(kind)] = Sealed(fact[1])
    return EnvSnapshot(
        str(row["env"]),
        bool(row["deployed"]),
        entries,
        tuple(SourceStatus(str(t), str(n), str(s), _text(e), int(c)) for t, n, s, e, c in row["sources"]),
        unreadable_patterns=tuple(
            (tuple(str(p) for p in include), tuple(str(p) for p in exclude)) for include, exclude in row["unreadable"]
        ),
        malformed=bool(row["malformed"]),
        facts=MappingProxyType(facts),
    )


def _text(value: Any) -> str | None:
    """An optional text field, or damage."""
    if value is not None and not isinstance(value, str):
        raise TypeError("text")
    return value


def _plain(metadata: Any) -> dict[str, Any]:
    return {k: v for k, v in metadata.items() if isinstance(v, (str, int, float, bool)) or v is None}
