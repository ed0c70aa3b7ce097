"""The one view model every renderer reads: the JSON document of a scan.

JSON is the canonical artifact (`drift render` re-renders any format from it), so this
document carries everything a report needs: environments, findings with their fix, rule
texts, the matrix and the summary. Its shape is versioned by `schema_version`.
"""

from collections.abc import Mapping, Sequence
from typing import Any, TypedDict, cast

from drift import __version__
from drift.engine import catalog
from drift.engine.rule import Rule
from drift.model import SEVERITY_LABELS, EnvSnapshot, Finding, MatrixCell, MatrixRow, ScanResult, Severity

SCHEMA_VERSION = 1


class SourceDoc(TypedDict):
    type: str
    name: str
    status: str
    error: str | None
    keys: int


class EnvironmentDoc(TypedDict):
    name: str
    #: Whether the sources were read: `ok`, `partial` or `failed` (not whether drift was found).
    status: str
    deployed: bool
    keys: int
    sources: list[SourceDoc]
    #: Findings in this environment by severity (what was found, apart from `status`).
    findings: dict[str, int]


class FindingDoc(TypedDict):
    id: str
    rule: str
    severity: str
    env: str | None
    key: str | None
    message: str
    expected: str | None
    actual: str | None
    location: str | None
    fix: str
    status: str | None
    first_seen: str | None
    #: `declared` or `inferred` (rests on a guess: a name, an empty example, an inferred type).
    basis: str
    #: The concrete command that fixes it, where drift knows one.
    command: str | None


class CellDoc(TypedDict):
    state: str
    display: str | None
    group: int | None


class RowDoc(TypedDict):
    key: str
    declared: bool
    secret: bool
    status: str
    findings: int
    cells: dict[str, CellDoc]


class RuleDoc(TypedDict):
    severity: str
    title: str
    explanation: str
    fix: str


class SuppressedDoc(FindingDoc):
    reason: str


class TrendDoc(TypedDict):
    scan_id: str
    scanned_at: str
    error: int
    warning: int


class Document(TypedDict):
    schema_version: int
    tool: dict[str, str]
    project: str
    scanned_at: str
    schema: str | None
    dialect: str | None
    fail_on: str | None
    environments: list[EnvironmentDoc]
    findings: list[FindingDoc]
    #: Every key checked, in the matrix's row order (declared ones in schema order, then the
    #: others alphabetically), also where the matrix is not built (JUnit's test cases).
    keys: list[str]
    matrix: list[RowDoc]
    rules: dict[str, RuleDoc]
    summary: dict[str, int]
    exit_code: int
    scan_id: str | None
    previous_scan: str | None
    new_only: bool
    #: The project folder relative to the repository root ("" at the top).
    repository_prefix: str
    #: Seconds the scan took.
    duration_seconds: float
    suppressed: list[SuppressedDoc]
    resolved: list[FindingDoc]
    unverified: list[FindingDoc]
    trend: list[TrendDoc]


def finding_doc(finding: Finding, rules: Mapping[str, Rule] = catalog.RULES) -> FindingDoc:
    """One finding as JSON."""
    return {
        "id": finding.id,
        "rule": finding.rule,
        "severity": finding.severity.label,
        "env": finding.env,
        "key": finding.key,
        "message": finding.message,
        "expected": finding.expected,
        "actual": finding.actual,
        "location": finding.location,
        "fix": rules[finding.rule].fix if finding.rule in rules else "",  # a plugin rule since turned off
        "status": finding.status,
        "first_seen": finding.first_seen,
        "basis": finding.basis,
        "command": finding.command,
    }


def _suppressed_doc(finding: Finding, rules: Mapping[str, Rule]) -> SuppressedDoc:
    return {**finding_doc(finding, rules), "reason": finding.suppressed_by or ""}


def _environment_doc(snapshot: EnvSnapshot, findings: list[FindingDoc]) -> EnvironmentDoc:
    return {
        "name": snapshot.env,
        "status": snapshot.status,
        "deployed": snapshot.deployed,
        "keys": len(snapshot.entries),
        "sources": [
            {"type": s.type, "name": s.name, "status": s.status, "error": s.error, "keys": s.key_count}
            for s in snapshot.sources
        ],
        "findings": summary([f for f in findings if f["env"] == snapshot.env]),
    }


def _matrix_doc(matrix: Sequence[MatrixRow], names: Sequence[str]) -> list[RowDoc]:
    """The matrix rows, their cells by environment name (`names`, in the scan's order); equal
    cells share one read-only mapping, so 100,000 cells cost what their distinct values cost."""
    made = _CellDocs()
    cell_doc = made.__getitem__

    return [
        {
            "key": row.key,
            "declared": row.declared,
            "secret": row.secret,
            "status": row.status,
            "findings": row.findings,
            "cells": dict(zip(names, map(cell_doc, row.cells), strict=True)),
        }
        for row in matrix
    ]


class _CellDocs(dict[MatrixCell, CellDoc]):
    """Each distinct cell's mapping, made on first lookup (the lookups of a row run in C)."""

    def __missing__(self, cell: MatrixCell) -> CellDoc:
        doc: CellDoc = {"state": cell.state, "display": cell.display, "group": cell.group}
        self[cell] = doc
        return doc


def summary(findings: list[FindingDoc]) -> dict[str, int]:
    """Counts by severity."""
    counts = {s.label: 0 for s in sorted(Severity, reverse=True)}
    for finding in findings:
        counts[finding["severity"]] += 1
    return counts


def to_document(result: ScanResult) -> Document:
    """The scan as the JSON document."""
    known = {**catalog.RULES, **{rule.slug: rule for rule in result.plugin_rules}}
    findings = [finding_doc(f, known) for f in result.findings]
    suppressed = [_suppressed_doc(f, known) for f in result.suppressed]
    rules = {f["rule"] for f in findings} | {f["rule"] for f in suppressed}
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "drift", "version": __version__},
        "project": result.project,
        "scanned_at": result.scanned_at,
        "schema": result.schema_path,
        "dialect": result.dialect,
        "fail_on": result.fail_on.label if result.fail_on else None,
        "environments": [_environment_doc(s, findings) for s in result.environments],
        "findings": findings,
        "keys": list(result.keys),
        "matrix": _matrix_doc(result.matrix, [snapshot.env for snapshot in result.environments]),
        "rules": {
            slug: {
                "severity": info.severity.label,
                "title": info.title,
                "explanation": info.explanation,
                "fix": info.fix,
            }
            for slug, info in known.items()
            if slug in rules
        },
        "summary": summary(findings),
        "exit_code": result.exit_code,
        "scan_id": result.scan_id,
        "previous_scan": result.previous_scan,
        "new_only": result.new_only,
        "repository_prefix": result.repository_prefix,
        "duration_seconds": result.duration,
        "suppressed": suppressed,
        "resolved": [finding_doc(f, known) for f in result.resolved],
        "unverified": [finding_doc(f, known) for f in result.unverified],
        "trend": [
            {"scan_id": t.scan_id, "scanned_at": t.scanned_at, "error": t.error, "warning": t.warning}
            for t in result.trend
        ],
    }


def load_document(data: Any, where: str) -> Document:
    """Check that parsed JSON is a drift document this version can render."""
    from drift.errors import ConfigError

    tool = data.get("tool") if isinstance(data, dict) else None
    if not isinstance(tool, dict) or tool.get("name") != "drift" or not isinstance(tool.get("version"), str):
        raise ConfigError(f"{where}: not a drift JSON report")
    if data.get("schema_version") != SCHEMA_VERSION:
        raise ConfigError(f"{where}: report schema_version {data.get('schema_version')!r} is not {SCHEMA_VERSION}")
    from drift.report.validate import check_document

    _upgrade(data)
    missing = [k for k in Document.__annotations__ if k not in data]
    if missing:
        raise ConfigError(f"{where}: drift JSON report lacks {', '.join(missing)}")
    check_document(data, where)
    return cast(Document, data)


def _upgrade(data: dict[str, Any]) -> None:
    """Fill the fields added since schema_version 1 was first written (scans saved by an
    older drift still render): `dialect`, each finding's `basis`, environment counts, `keys`
    (the matrix's, which held every key checked)."""
    data.setdefault("dialect", None)
    if "keys" not in data:
        data["keys"] = [row.get("key") if isinstance(row, dict) else None for row in _list(data.get("matrix"))]
    data.setdefault("repository_prefix", "")
    data.setdefault("duration_seconds", 0.0)
    for name in ("findings", "suppressed", "resolved", "unverified"):
        for finding in _list(data.get(name)):
            if isinstance(finding, dict):
                finding.setdefault("basis", "declared")
                finding.setdefault("command", None)
    findings = [f for f in _list(data.get("findings")) if isinstance(f, dict)]
    for env in _list(data.get("environments")):
        if isinstance(env, dict) and "findings" not in env:
            env["findings"] = {
                level: sum(1 for f in findings if f.get("env") == env.get("name") and f.get("severity") == level)
                for level in SEVERITY_LABELS
            }


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []
