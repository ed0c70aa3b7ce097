"""drift as a library: turn a project into a scan result without the CLI.

    project = load_project(Path("drift.toml"), Path.cwd())
    result = scan(project, envs=["production"])
    result.exit_code, result.findings

Every error that should stop a run is a DriftError carrying its exit code.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import UTC, datetime

from drift.collectors import registry
from drift.collectors.snapshot import Progress, collect
from drift.config import EnvironmentConfig, Project, load_project
from drift.engine import evaluate
from drift.engine.matrix import build_matrix
from drift.engine.secrecy import SecrecyCache
from drift.errors import ConfigError
from drift.model import ScanResult
from drift.schema import Schema, load_schema
from drift.secrets import FINGERPRINT_ENV, Fingerprinter
from drift.suggest import did_you_mean

__all__ = ["fingerprinter_for", "load_project", "load_project_schema", "scan", "select_environments"]

STATE_DIR = ".drift"


def load_project_schema(project: Project) -> Schema:
    """The project's schema: its example file (when it exists or is configured) plus [keys]."""
    example = project.schema_path
    if example is not None and project.config_path is None and not example.exists():
        raise ConfigError(
            f"{project.display(example)}: no .env.example here and no drift.toml; "
            "run drift in the project folder or pass --config"
        )
    return load_schema(
        example,
        project.display(example) if example else "",
        project.keys,
        list(project.environments),
        project.config_display,
        project.config_text,
    )


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


def fingerprinter_for(project: Project) -> Fingerprinter:
    """DRIFT_FINGERPRINT_KEY, else the project's key file; one-run key without a config file."""
    if project.config_path is None:
        key = os.environ.get(FINGERPRINT_ENV)
        return Fingerprinter(key.encode("utf-8")) if key else Fingerprinter.ephemeral()
    return Fingerprinter.for_project(project.root / STATE_DIR / "fingerprint.key")


def scan(
    project: Project,
    envs: Sequence[str] = (),
    *,
    with_matrix: bool = True,
    fingerprinter: Fingerprinter | None = None,
    progress: Progress | None = None,
) -> ScanResult:
    """Read the selected environments and check them against the schema."""
    schema = load_project_schema(project)
    selected = select_environments(project, envs)
    fingerprint = fingerprinter or fingerprinter_for(project)
    snapshots = collect(project.root, selected, progress)
    now = datetime.now(UTC).replace(microsecond=0)
    secrecy = SecrecyCache()
    findings = evaluate(schema, snapshots, fingerprint, now, namespaces(project), secrecy)
    matrix = build_matrix(schema, snapshots, findings, fingerprint, secrecy) if with_matrix else ()
    return ScanResult(
        project=project.name,
        scanned_at=datetime.now(UTC).replace(microsecond=0).isoformat(),
        environments=tuple(snapshots),
        findings=tuple(findings),
        fail_on=project.fail_on,
        matrix=matrix,
        schema_path=schema.example_path,
    )
