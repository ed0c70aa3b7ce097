"""The data that flows between drift's stages: entries, snapshots, findings, results.

Immutable records (NamedTuples) with no behaviour beyond small derived properties, so that
every stage can be tested as a plain function of the one before it. NamedTuples rather than
frozen dataclasses: on the pre-commit path start-up is the whole cost, and a frozen dataclass
spends 0.55 ms of it generating its methods, a NamedTuple a tenth of that (benchmarks/README.md).
A record is changed with `_replace`; mapping defaults are read-only.
"""

import enum
import fnmatch
import os
from collections.abc import Mapping
from datetime import UTC, date, datetime
from types import MappingProxyType
from typing import Any, NamedTuple

from drift.errors import EXIT_DRIFT, EXIT_OK, EXIT_UNAVAILABLE

#: The most keys drift takes from one source or one schema. Real applications declare
#: hundreds; a source with more is hostile or not configuration, and reading it would
#: spend memory per key on findings and matrix rows. Over the limit a source is
#: unreadable (a finding) and a schema an error, so the bound holds for every source type.
#: 20,000: twice what an SSM account holds in a region, and what a check must grow to
#: linearly (benchmarks/growth.py); at about 2 KB a key, far under a run's 300 MB bound.
MAX_KEYS = 20_000


class Severity(enum.IntEnum):
    """Ordered so that `severity >= threshold` reads naturally."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        """The lower-case name used in config, JSON and every report."""
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> "Severity":
        """Read `error` / `warning` / `info`; raises KeyError for anything else."""
        return cls[text.upper()]


#: The severity labels, most severe first: the one list every report, the document's schema
#: and `fail_on` read.
SEVERITY_LABELS = tuple(s.label for s in sorted(Severity, reverse=True))
#: What `fail_on` / `--fail-on` accept: a severity, or `none` (report without failing).
FAIL_ON_LEVELS = (*SEVERITY_LABELS, "none")


class Entry(NamedTuple):
    """One key as one source saw it."""

    key: str
    #: The raw value; None where the source knows the key is set but does not give its value
    #: (names-only sources, an unresolved reference, a value from the shell or the pod).
    value: str | None
    #: Where it came from, e.g. `dotenv:envs/production.env` or `ssm:/mre/production/X`.
    source: str
    #: `path:line` for files, an ARN or parameter name for AWS.
    location: str | None = None
    #: True when the store itself marks the value secret (SecureString, Secrets Manager, ...).
    store_secret: bool = False
    #: True when a store that offers an encrypted kind holds this value in plaintext (SSM
    #: String, ECS `environment`, Lambda variables): a secret there is `secret-plaintext`.
    plaintext_store: bool = False
    #: Store facts such as SSM type, version, last-modified date.
    metadata: Mapping[str, Any] = MappingProxyType({})

    @property
    def kind(self) -> str:
        """The source type that gave the entry (`dotenv`, `ssm`, ...): the one reading of
        `source`, which stays one string because reports and history show it."""
        return self.source.partition(":")[0]

    @property
    def source_name(self) -> str:
        """What the source is called within its type: a path, a parameter name, a secret."""
        return self.source.partition(":")[2]


class SourceStatus(NamedTuple):
    """How reading one configured source went."""

    type: str
    name: str
    #: `ok`, `empty` (read, nothing there) or `failed`.
    status: str
    error: str | None = None
    #: Keys the source produced (after include / exclude).
    key_count: int = 0


class Problem(NamedTuple):
    """A fact a collector found while reading, that is not fatal: an unreadable line, a
    repeated assignment, an unresolved reference, sources that disagree. Collectors report
    facts; rules decide what they mean (`Rule.from_facts`, in `drift/engine/rules/`)."""

    #: `unreadable-line`, `repeated-assignment`, `unresolved-reference` or `conflicting-sources`.
    kind: str
    key: str | None
    message: str
    location: str | None
    #: Tells two problems of the same rule and key apart (e.g. the line or the source).
    discriminator: str = ""


class EnvSnapshot(NamedTuple):
    """Everything collected for one environment, merged over its sources in order."""

    env: str
    deployed: bool
    entries: dict[str, Entry]
    sources: tuple[SourceStatus, ...]
    problems: tuple[Problem, ...] = ()
    #: Patterns of keys that a failed source could have provided (`*` when unfiltered).
    unreadable_patterns: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ()
    #: True when a line could not be parsed: the environment is incomplete.
    malformed: bool = False
    #: What sources found besides variables, by kind (`migrations`: MigrationFacts).
    facts: Mapping[str, Any] = MappingProxyType({})

    def could_hold(self, key: str) -> bool:
        """Whether a source that failed could have provided `key` (then its absence proves
        nothing: no `missing`, no `removed`, a matrix cell `unknown`)."""
        for include, exclude in self.unreadable_patterns:
            if include and not any(fnmatch.fnmatchcase(key, p) for p in include):
                continue
            if any(fnmatch.fnmatchcase(key, p) for p in exclude):
                continue
            return True
        return False

    @property
    def status(self) -> str:
        """`ok`, `partial` (something was not read) or `failed` (nothing was)."""
        failed = [s for s in self.sources if s.status == "failed"]
        if failed and len(failed) == len(self.sources):
            return "failed"
        if failed or self.malformed:
            return "partial"
        return "ok"


#: Location prefixes of things that are not files in the project: cloud resources, the process.
_RESOURCES = ("arn:", "s3://", "env:", "ssm:", "secretsmanager:", "lambda:", "ecs:", "process")


class Location(NamedTuple):
    """Where a finding points: a file of the project (and a line), or a resource (an ARN, an
    S3 object, the process). Read from a finding's location text in one place, for the
    formats that place findings (SARIF, GitHub annotations)."""

    path: str | None = None
    line: int | None = None
    resource: str | None = None
    #: What in the file: a Compose service or a Kubernetes workload (`compose.yaml#web`).
    anchor: str | None = None

    @classmethod
    def of(cls, text: str | None) -> "Location | None":
        """`.env.example:12` -> path and line; `compose.yaml#web` -> path and anchor;
        `arn:...`, `s3://...`, an absolute path, several files or a command -> a resource;
        None -> None."""
        if not text:
            return None
        if text.startswith(_RESOURCES) or text.startswith("/"):
            return cls(resource=text)
        if "#" in text:
            head, _, anchor = text.partition("#")
            if not head or any(c.isspace() or c == "+" for c in head):
                return cls(resource=text)
            return cls(path=head, anchor=anchor)
        path, _, line = text.rpartition(":")
        if path and line.isdigit():
            return cls(path=path, line=int(line))
        return cls(path=text)


class Finding(NamedTuple):
    """One problem found by a rule. `actual` is already masked; no field holds a secret."""

    rule: str
    severity: Severity
    env: str | None
    key: str | None
    message: str
    expected: str | None = None
    actual: str | None = None
    location: str | None = None
    #: Extra identity for findings that share rule, env and key (another env, a source).
    discriminator: str = ""
    #: Against the previous saved scan: `new` or `persisting` (None when there is no history).
    status: str | None = None
    #: When this finding was first seen (ISO 8601), from history.
    first_seen: str | None = None
    #: The reason of the suppression that silences it, if any.
    suppressed_by: str | None = None
    #: `declared` when it rests on the schema, a store or the value itself; `inferred` when
    #: it rests on a guess (a name, an empty example value, an inferred type).
    basis: str = "declared"
    #: The concrete command that fixes it, where drift can know it (`drift.stores.fixes`); never a
    #: secret's value.
    command: str | None = None

    @property
    def id(self) -> str:
        """Unique in a scan, stable across scans: rule, environment, key, discriminator."""
        parts = [self.rule, self.env or "*", self.key or "*"]
        if self.discriminator:
            parts.append(self.discriminator)
        return ":".join(parts)

    def sort_key(self) -> tuple[int, str, str, str, str]:
        """Severity first (errors on top), then environment, key, rule."""
        return (-self.severity, self.env or "", self.key or "", self.rule, self.discriminator)


class Suppression(NamedTuple):
    """An `[[ignore]]` entry (from drift.toml or the baseline file)."""

    rule: str
    reason: str
    env: str | None = None
    key: str | None = None
    expires: date | None = None
    #: `drift.toml:12`: where the entry is, for its own findings.
    location: str | None = None

    def matches(self, finding: Finding) -> bool:
        """Rule equal; env and key globs matching (a glob never matches a missing env or key)."""
        if finding.rule != self.rule:
            return False
        if self.env is not None and (finding.env is None or not fnmatch.fnmatchcase(finding.env, self.env)):
            return False
        return self.key is None or (finding.key is not None and fnmatch.fnmatchcase(finding.key, self.key))

    def expired(self, today: date) -> bool:
        """An entry past its expiry date no longer suppresses."""
        return self.expires is not None and self.expires < today


class Migration(NamedTuple):
    """One migration as a database records it (Prisma's `_prisma_migrations` row)."""

    name: str
    checksum: str | None
    finished: bool
    rolled_back: bool


class MigrationFacts(NamedTuple):
    """An environment's database against the repository's migrations."""

    tool: str
    #: (name, checksum or None) of each migration in the repository, in order.
    repository: tuple[tuple[str, str | None], ...]
    applied: tuple[Migration, ...]
    #: Where the repository's migrations are, for findings.
    location: str


class CodeRead(NamedTuple):
    """One place the code reads a setting (`drift.code`)."""

    #: The key, or None for a dynamic read (`process.env[name]`).
    key: str | None
    #: The file, relative to the project folder, and the line (1-based).
    path: str
    line: int
    #: `direct` (no fallback), `default` (a fallback value, or a read that may be None), `dynamic`.
    kind: str

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}"


class EntryRecord(NamedTuple):
    """One key of one environment as history keeps it: a fingerprint, the masked display and
    the store's metadata; never the value."""

    env: str
    key: str
    fingerprint: str | None
    display: str | None
    metadata: Mapping[str, Any] = MappingProxyType({})


class TrendPoint(NamedTuple):
    """One past scan's counts, for the trend chart."""

    scan_id: str
    scanned_at: str
    error: int
    warning: int


class MatrixCell(NamedTuple):
    """One key in one environment, as the environment x key matrix shows it."""

    #: `present`, `missing`, `empty`, `invalid`, `unknown` (a failed source could hold it),
    #: `unreadable` (set, but the source does not give its value: names only, a reference).
    state: str
    #: The value as output may show it (masked for secrets); None when absent.
    display: str | None = None
    #: Cells of a row with the same group number hold equal values (0 = first group).
    group: int | None = None


class MatrixRow(NamedTuple):
    """One key across the selected environments."""

    key: str
    declared: bool
    secret: bool
    #: `same`, `differs`, `partial` (absent somewhere) or `single`.
    status: str
    #: One cell per environment, in the order of the scan's `environments` (a tuple, not a
    #: mapping by name: 100,000 cells in a 20 x 5,000-key scan, a fifth of the cost as dicts).
    cells: tuple[MatrixCell, ...]
    #: How many findings name this key.
    findings: int = 0


class ScanResult(NamedTuple):
    """Everything a renderer needs: environments, findings and the matrix."""

    project: str
    scanned_at: str
    environments: tuple[EnvSnapshot, ...]
    findings: tuple[Finding, ...]
    fail_on: Severity | None
    #: Every key checked (`cross_env.checked_keys`): the matrix's rows, JUnit's test cases.
    keys: tuple[str, ...] = ()
    matrix: tuple[MatrixRow, ...] = ()
    #: `path` of the schema file as reports name it.
    schema_path: str | None = None
    #: Findings silenced by `[[ignore]]` entries: listed apart, never counted.
    suppressed: tuple[Finding, ...] = ()
    #: Findings of the previous saved scan that no longer occur.
    resolved: tuple[Finding, ...] = ()
    #: Findings of the previous scan that could not be re-checked because a source failed:
    #: neither resolved nor new, they keep their status.
    unverified: tuple[Finding, ...] = ()
    #: The previous saved scan's id, when there is history.
    previous_scan: str | None = None
    #: Past scans' counts (oldest first), for the trend chart.
    trend: tuple[TrendPoint, ...] = ()
    #: Count only findings new since the previous saved scan for the exit code.
    new_only: bool = False
    #: This scan's id (what history saves it under).
    scan_id: str | None = None
    #: Every entry as history keeps it (computed when the scan is compared with a history).
    entries: tuple[EntryRecord, ...] = ()
    #: How dotenv texts were read: `node (set in drift.toml)`, `python (detected from ...)`.
    dialect: str | None = None
    #: Metadata of the plugin rules that ran (slug, severity, title, explanation, fix), for
    #: the reports' rule tables: built-in rules come from the catalogue.
    plugin_rules: tuple[Any, ...] = ()
    #: One line for each environment left out because it is not deployed and its only file
    #: is absent (the developer's `.env` on a CI runner): said, never a finding.
    skipped: tuple[str, ...] = ()
    #: The project folder relative to its repository's root ("" at the top), for the formats
    #: that name files from there (SARIF, workflow annotations, Code Quality).
    repository_prefix: str = ""
    #: Seconds the scan took, reading and checking (metrics report it).
    duration: float = 0.0

    @property
    def exit_code(self) -> int:
        """DESIGN.md's order: 1 for drift at or above `fail_on`, else 3 for anything unread."""
        counted = self.findings
        if self.new_only:
            counted = tuple(f for f in self.findings if f.status != "persisting" or f.rule == "source-unavailable")
        return exit_code(counted, self.environments, self.fail_on)


def exit_code(findings: tuple[Finding, ...], environments: tuple[EnvSnapshot, ...], fail_on: Severity | None) -> int:
    """1 when a finding (other than source-unavailable) reaches `fail_on`; 3 when a source
    could not be read or an environment is partial; 0 otherwise. (2 is raised as an error.)"""
    if fail_on is not None and any(f.severity >= fail_on and f.rule != "source-unavailable" for f in findings):
        return EXIT_DRIFT
    if any(f.rule == "source-unavailable" for f in findings) or any(e.status != "ok" for e in environments):
        return EXIT_UNAVAILABLE
    return EXIT_OK


def new_scan_id() -> str:
    """Sortable by time to the microsecond, unique across concurrent scans:
    `20261129T120000.123456Z-1a2b3c`."""
    return f"{datetime.now(UTC):%Y%m%dT%H%M%S.%fZ}-{os.urandom(3).hex()}"
