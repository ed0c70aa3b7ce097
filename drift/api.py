"""drift as a library: turn a project into a scan result without the CLI.

    project = load_project(Path("drift.toml"), Path.cwd())
    result = scan(project, envs=["production"])
    result.exit_code, result.findings

Every error that should stop a run is a DriftError carrying its exit code.
"""

import os
import time
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from drift.collectors import registry
from drift.collectors.snapshot import Progress, collect
from drift.config import Project, load_project
from drift.engine import catalog
from drift.engine.cross_env import checked_keys, scan_columns
from drift.engine.evaluate import CHECK_SCOPES, Inputs, evaluate, secrecy_for
from drift.engine.suppress import apply_suppressions
from drift.errors import ConfigError
from drift.model import (
    CodeRead,
    EntryRecord,
    EnvSnapshot,
    Finding,
    MatrixRow,
    ScanResult,
    Severity,
    TrendPoint,
    new_scan_id,
)
from drift.platform.paths import repository_prefix
from drift.platform.runtime import paused_gc
from drift.platform.suggest import did_you_mean
from drift.schema import Schema, load_schema
from drift.secrets import FINGERPRINT_ENV, Fingerprinter
from drift.settings import EnvironmentConfig

if TYPE_CHECKING:
    from drift.actions.shard import Shard
    from drift.engine.assertions import Compiled
    from drift.engine.cross_env import Column, Sealed
    from drift.engine.rule import Rule
    from drift.engine.secrecy import SecrecyCache
    from drift.history import HistoryStore, SavedScan
    from drift.history.shards import ShardRecord

__all__ = [
    "fingerprinter_for",
    "history_for",
    "load_project",
    "load_project_schema",
    "save_scan",
    "scan",
    "select_environments",
]

STATE_DIR = ".drift"


def load_project_schema(project: Project) -> Schema:
    """The project's schema: its example file (when it exists or is configured) plus [keys]."""
    example = project.schema_path
    return load_schema(
        example,
        project.display(example) if example else "",
        project.keys,
        list(project.environments),
        project.config_display,
        project.config_text,
        project.schema_dialect,
    )


def compile_project_assertions(project: Project, schema: Schema) -> "Compiled | None":
    """The project's `[[assert]]` expressions compiled against its schema; one that does not
    compile is a configuration error naming the file and the assertion."""
    if not project.assertions:
        return None
    from drift.engine.assertions import AssertionCompileError, compile_assertions  # CEL: only when asked

    try:
        return compile_assertions(schema, project.assertions)
    except AssertionCompileError as exc:
        raise ConfigError(f"{project.config_display}: {exc}") from None


def select_environments(project: Project, names: Sequence[str]) -> list[EnvironmentConfig]:
    """The environments named by `--env` (all, in config order, when none are)."""
    if not names:
        return list(project.environments.values())
    selected = []
    for name in dict.fromkeys(names):
        if name not in project.environments:
            known = ", ".join(project.environments)
            raise ConfigError(
                f"{project.config_display}: unknown environment '{name}'"
                f"{did_you_mean(name, project.environments)}; configured: {known}"
            )
        selected.append(project.environments[name])
    return selected


def _absent(project: Project, env: EnvironmentConfig) -> str:
    """Why an environment is left out of a run, or "": one that is not deployed and whose
    sources are all dotenv files that do not exist (a developer's git-ignored `.env`, absent
    from every CI checkout). A deployed environment's missing file stays unreadable."""
    if env.deployed or not env.sources or any(s.type != "dotenv" for s in env.sources):
        return ""
    paths = [project.root / str(s.options.get("path", "")) for s in env.sources]
    if any(os.path.lexists(p) for p in paths):
        return ""
    shown = ", ".join(project.display(p) for p in paths)
    return f"{env.name}: {shown} does not exist; skipped (not deployed: a developer's own file)"


def namespaces(project: Project) -> dict[str, tuple[str, ...]]:
    """Every configured environment's reference prefixes (`ssm:/mre/staging/`)."""
    found: dict[str, tuple[str, ...]] = {}
    for env in project.environments.values():
        prefixes: list[str] = []
        for source in env.sources:
            cls = registry.lookup(source.type)
            if cls is not None:
                prefixes.extend(cls.namespaces(source))
        found[env.name] = tuple(prefixes)
    return found


def fingerprinter_for(project: Project, persistent: bool = False) -> Fingerprinter:
    """DRIFT_FINGERPRINT_KEY, else the project's key file (created on first use). Without a
    config file, a one-run key, unless the run keeps history (`persistent`) or reads one."""
    key_file = project.root / STATE_DIR / "fingerprint.key"
    keeps_state = persistent or key_file.exists() or Path(project.history).exists()
    if project.config_path is None and not os.environ.get(FINGERPRINT_ENV) and not keeps_state:
        return Fingerprinter.ephemeral()
    try:
        return Fingerprinter.for_project(key_file)
    except ConfigError:
        if keeps_state:
            raise
        # a read-only checkout: fingerprints only need to agree within this run
        return Fingerprinter.ephemeral()


def history_for(project: Project, must_exist: bool = False) -> "HistoryStore | None":
    """The project's history store; with `must_exist`, None for a local file not created yet."""
    location = project.history
    if must_exist and not location.startswith("s3://") and not Path(location).exists():
        return None
    shown = location if location.startswith("s3://") else project.display(Path(location))
    from drift.history import open_history  # the history modules load only for runs that keep one

    return open_history(location, shown)


class _Plan(NamedTuple):
    """What a scan works from, before anything is read: the project's schema, assertions
    and plugin rules, the environments it reads (and the lines for those skipped), the
    fingerprint key, and the previous saved scan."""

    project: Project
    schema: Schema
    assertions: "Compiled | None"
    plugin_rules: "tuple[Rule, ...]"
    selected: list[EnvironmentConfig]
    skipped: tuple[str, ...]
    fingerprint: Fingerprinter
    previous: "SavedScan | None"


@paused_gc()
def scan(
    project: Project,
    envs: Sequence[str] = (),
    *,
    with_matrix: bool = True,
    fingerprinter: Fingerprinter | None = None,
    progress: Progress | None = None,
    history: "HistoryStore | None" = None,
    new_only: bool = False,
    changed_since: str | None = None,
) -> ScanResult:
    """Read the selected environments, check them against the schema and, with a history,
    against the previous saved scan (statuses, resolved, changed / added / removed). The
    steps, in order: prepare, read, check, compare, and the result."""
    started = time.monotonic()
    plan = _prepare(project, envs, fingerprinter, history)
    snapshots = _read(plan, progress)
    now = datetime.now(UTC).replace(microsecond=0)
    secrecy = secrecy_for(plan.schema)
    entries = _entries(plan, snapshots, secrecy) if history is not None else []
    keys = checked_keys(plan.schema, snapshots)
    columns = scan_columns(plan.schema, snapshots, keys)  # once, for the rules and the matrix
    findings = _check(plan, snapshots, now, secrecy, entries, changed_since, columns=columns)
    return _result(
        plan, snapshots, keys, findings, entries, now, started, history, secrecy, with_matrix, new_only, columns=columns
    )


def _result(
    plan: _Plan,
    snapshots: Sequence[EnvSnapshot],
    keys: tuple[str, ...],
    findings: Sequence[Finding],
    entries: Sequence[EntryRecord],
    now: datetime,
    started: float,
    history: "HistoryStore | None",
    secrecy: "SecrecyCache",
    with_matrix: bool = True,
    new_only: bool = False,
    sealed: "Sealed | None" = None,
    columns: "Mapping[str, Column] | None" = None,
) -> ScanResult:
    """A checked scan finished: suppressions, statuses against the previous saved scan, fix
    commands, the matrix (from the shards' `sealed` values in `drift merge`; from the value
    `columns` where they are given), the trend."""
    project = plan.project
    active, suppressed = apply_suppressions(findings, project.ignores, now.date(), [e.name for e in plan.selected])
    stamp = now.isoformat()
    resolved: list[Finding] = []
    unverified: list[Finding] = []
    if history is not None:
        from drift.engine.compare import annotate

        marked = annotate(active, suppressed, plan.previous, snapshots, list(project.environments), stamp)
        active, suppressed = marked.findings, marked.suppressed
        resolved, unverified = marked.resolved, marked.unverified
    if active:  # the fix commands and the matrix load only where they are used (start-up)
        from drift.stores.fixes import with_commands

        active = with_commands(active, project.environments, plan.schema, snapshots)
    matrix: tuple[MatrixRow, ...] = ()
    if with_matrix:
        from drift.engine.matrix import build_matrix

        matrix = build_matrix(plan.schema, keys, snapshots, active, plan.fingerprint, secrecy, sealed, columns)
    scan_id = new_scan_id()
    return ScanResult(
        project=project.name,
        scanned_at=stamp,
        environments=tuple(snapshots),
        findings=tuple(active),
        fail_on=project.fail_on,
        keys=keys,
        matrix=matrix,
        schema_path=plan.schema.example_path,
        suppressed=tuple(suppressed),
        resolved=tuple(resolved),
        unverified=tuple(unverified),
        previous_scan=plan.previous.id if plan.previous else None,
        trend=_trend(history, scan_id, stamp, active),
        new_only=new_only,
        scan_id=scan_id,
        entries=tuple(entries),
        dialect=str(project.dialect),
        plugin_rules=plan.plugin_rules,
        skipped=plan.skipped,
        repository_prefix=repository_prefix(project.root),
        duration=round(time.monotonic() - started, 3),
    )


def _prepare(
    project: Project, envs: Sequence[str], fingerprinter: Fingerprinter | None, history: "HistoryStore | None"
) -> _Plan:
    """The schema, assertions and plugin rules; the environments to read (a non-deployed one
    whose files are absent is skipped with a line saying so); the key; the previous scan."""
    schema = load_project_schema(project)
    assertions = compile_project_assertions(project, schema)
    plugin_rules = tuple(catalog.plugins(project.plugins))
    selected = select_environments(project, envs)
    why = {env.name: _absent(project, env) for env in selected}
    fingerprint = fingerprinter or fingerprinter_for(project)
    previous: SavedScan | None = None
    if history is not None:
        history.check_key(fingerprint.check_value())
        previous = history.latest()
    return _Plan(
        project,
        schema,
        assertions,
        plugin_rules,
        [env for env in selected if not why[env.name]],
        tuple(line for line in why.values() if line),
        fingerprint,
        previous,
    )


def _read(plan: _Plan, progress: Progress | None) -> list[EnvSnapshot]:
    """Every selected environment's sources, with what the previous scan saw of each entry."""
    before: dict[str, dict[str, Mapping[str, object]]] = {}
    for entry in plan.previous.entries if plan.previous else []:
        before.setdefault(entry.env, {})[entry.key] = entry.metadata
    project = plan.project
    return collect(
        project.root, plan.selected, progress, before, project.dialect.name, project.expand, project.allow_outside
    )


def _entries(plan: _Plan, snapshots: Sequence[EnvSnapshot], secrecy: "SecrecyCache") -> list[EntryRecord]:
    """The entries as history keeps them (fingerprints and masked displays)."""
    from drift.engine.compare import current_entries

    return current_entries(plan.schema, snapshots, plan.fingerprint, secrecy)


def _check(
    plan: _Plan,
    snapshots: Sequence[EnvSnapshot],
    now: datetime,
    secrecy: "SecrecyCache",
    entries: Sequence[EntryRecord],
    changed_since: str | None,
    scopes: Sequence[str] = CHECK_SCOPES,
    sealed: "Sealed | None" = None,
    shards: Sequence[Finding] = (),
    columns: "Mapping[str, Column] | None" = None,
) -> list[Finding]:
    """Every rule of `scopes` over what was read (and the code's reads, where the project has
    `[code]`); in `drift merge`, over the shards' sealed values, with their findings."""
    project = plan.project
    reads = code_reads(project) if "schema" in scopes else None  # a merge reads no code: its shards did
    added = None
    if changed_since is not None and reads is not None:
        from drift.code import added_lines  # the code is read only for projects with [code]

        added = added_lines(project.root, changed_since)
    return evaluate(
        Inputs(
            plan.schema,
            snapshots,
            plan.fingerprint,
            now,
            namespaces(project),
            secrecy,
            project.inferred,
            plan.assertions,
            plan.plugin_rules,
            previous=plan.previous.entries if plan.previous is not None else None,
            current=entries,
            code=reads,
            libraries=project.code.libraries if project.code is not None else (),
            changed=_added_reads(reads, added),
            settings_allow=project.settings_allow,
            settings_environments=project.settings_environments,
            sealed=sealed,
            columns=columns,
        ),
        scopes,
        shards,
    )


def _trend(
    history: "HistoryStore | None", scan_id: str, stamp: str, active: Sequence[Finding]
) -> tuple[TrendPoint, ...]:
    """The last scans' error and warning counts, this one last (none without a history)."""
    if history is None:
        return ()
    from drift.history.base import TREND_LENGTH

    points = tuple(
        TrendPoint(s.id, s.scanned_at, s.error, s.warning) for s in reversed(history.summaries(TREND_LENGTH - 1))
    )
    counts = {level: sum(1 for f in active if f.severity.label == level) for level in ("error", "warning")}
    return (*points, TrendPoint(scan_id, stamp, counts["error"], counts["warning"]))


def _added_reads(reads: list[CodeRead] | None, added: dict[str, set[int] | None] | None) -> list[CodeRead] | None:
    """With `--changed-since`: the reads on added lines (None: every read counts)."""
    if reads is None or added is None:
        return None
    from drift.code import is_added

    return [r for r in reads if is_added(r, added)]


def code_reads(project: Project) -> list[CodeRead] | None:
    """The reads of the code under `[code] paths`, or None without a `[code]` table."""
    if project.code is None:
        return None
    from drift import code

    cache = project.root / STATE_DIR / "code-cache.json"
    return code.scan(project.root, project.code.paths, project.code.exclude, project.code.languages, cache)


def save_scan(result: ScanResult, store: "HistoryStore", fingerprint: Fingerprinter) -> "SavedScan":
    """Save a scan (its findings and entries as typed records, its rendered report for
    `drift report`) in one transaction. The entries come from `scan(..., history=store)`: a
    scan made without a history saves none, so the next scan reports no changed / added /
    removed against it."""
    from drift.history import SavedScan
    from drift.report.document import to_document

    document = cast(dict[str, Any], to_document(result))
    record = SavedScan(
        id=result.scan_id or new_scan_id(),
        scanned_at=result.scanned_at,
        project=result.project,
        exit_code=result.exit_code,
        summary=dict(document["summary"]),
        findings=list(result.findings),
        carried=list(result.unverified),
        entries=list(result.entries),
        report=document,
    )
    store.save(record, fingerprint.check_value())
    return record


@paused_gc()
def scan_shard(
    project: Project,
    shard: "Shard",
    run: str,
    history: "HistoryStore",
    *,
    fingerprinter: Fingerprinter | None = None,
    progress: Progress | None = None,
) -> "ShardRecord":
    """Read shard `shard`'s environments and check each of them (every scope but those that
    compare environments or scans), saved as shard `shard.number` of run `run` for `drift
    merge`: what the comparing rules need is saved sealed, never a value."""
    from drift.actions.shard import members as shard_members
    from drift.engine.evaluate import SHARD_SCOPES
    from drift.history.shards import ShardRecord, check_run_id, config_digest, sealed_parts

    run = check_run_id(run)
    # findings saved as the rules made them: `drift merge` grades inferred ones by its own
    # `[drift] inferred` / --strict, as one process grades all of them
    project = project._replace(inferred=Severity.ERROR)
    members = shard_members(project, shard)
    plan = _prepare(project, members, fingerprinter, history)
    if not members:  # a hash can leave a shard empty: it saves that, and merge knows it ran
        plan = plan._replace(selected=[], skipped=())
    snapshots = _read(plan, progress)
    now = datetime.now(UTC).replace(microsecond=0)
    secrecy = secrecy_for(plan.schema)
    entries = _entries(plan, snapshots, secrecy)
    findings = _check(plan, snapshots, now, secrecy, entries, None, SHARD_SCOPES)
    kept, sealed = sealed_parts(plan.schema, snapshots, secrecy, plan.fingerprint)
    record = ShardRecord(
        run,
        shard.number,
        shard.total,
        project.name,
        now.isoformat(),
        plan.fingerprint.check_value(),
        config_digest(project, plan.schema),
        kept,
        sealed,
        findings,
        entries,
        list(plan.skipped),
    )
    history.save_shard(run, shard.number, record.pack(), record.key_check)
    return record


@paused_gc()
def merge(
    project: Project, run: str, history: "HistoryStore", *, fingerprinter: Fingerprinter | None = None
) -> ScanResult:
    """The scan of run `run` from its N saved shards, as one process would have made it: the
    rules that compare environments and scans run over the shards' sealed values, then
    suppressions, statuses, commands, the matrix and the trend as `scan` does. A ConfigError
    names a missing shard, or shards that cannot be merged (another configuration or key)."""
    from drift.engine.evaluate import MERGE_SCOPES
    from drift.history.shards import check_run_id, config_digest, load_run, merged

    started = time.monotonic()
    plan = _prepare(project, (), fingerprinter, history)
    comparing = [r.slug for r in plan.plugin_rules if "across" in r.scopes]
    if comparing:  # they read values, which a merge does not have: it would find nothing, in silence
        raise ConfigError(
            f"plugin rule {', '.join(comparing)} compares environments' values, which shards do not save: "
            "scan this project in one process (drift scan)"
        )
    records = load_run(history, check_run_id(run), plan.fingerprint.check_value(), config_digest(project, plan.schema))
    parts = merged(records, list(project.environments))
    plan = plan._replace(selected=[project.environments[s.env] for s in parts.snapshots], skipped=parts.skipped)
    now = datetime.now(UTC).replace(microsecond=0)
    secrecy = secrecy_for(plan.schema)
    snapshots, entries, stored = parts.snapshots, parts.entries, parts.sealed
    findings = _check(plan, snapshots, now, secrecy, entries, None, MERGE_SCOPES, stored, parts.findings)
    keys = checked_keys(plan.schema, snapshots)
    return _result(plan, snapshots, keys, findings, entries, now, started, history, secrecy, sealed=stored)
