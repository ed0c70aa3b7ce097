"""The rules that live AWS stores feed, checked on hand-made snapshots (the engine is pure)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from drift.engine.evaluate import evaluate
from drift.model import Entry, EnvSnapshot, SourceStatus
from drift.schema import load_schema
from drift.secrets import Fingerprinter
from tests.conftest import Project, run

NOW = datetime(2026, 11, 29, tzinfo=UTC)


def snapshot(env: str, *entries: Entry) -> EnvSnapshot:
    return EnvSnapshot(env, True, {e.key: e for e in entries}, (SourceStatus("ssm", "ssm:/x/", "ok"),))


def findings(
    example: str, tmp_path: Path, *snapshots: EnvSnapshot, namespaces: dict[str, tuple[str, ...]] | None = None
) -> set[tuple[str, str | None, str | None]]:
    path = tmp_path / ".env.example"
    path.write_text(example)
    schema = load_schema(path, ".env.example", {}, [s.env for s in snapshots], "drift.toml")
    return {(f.rule, f.env, f.key) for f in evaluate(schema, snapshots, Fingerprinter(b"k"), NOW, namespaces)}


@pytest.mark.parametrize(("changed", "stale"), [("2026-06-01T00:00:00+00:00", True), ("2026-11-01T00:00:00", False)])
def test_stale(tmp_path: Path, changed: str, stale: bool) -> None:
    entry = Entry("API_KEY", "v" * 20, "secretsmanager:x", store_secret=True, metadata={"last_changed": changed})
    found = findings("# @max-age 90d\nAPI_KEY=\n", tmp_path, snapshot("production", entry))
    assert (("stale", "production", "API_KEY") in found) is stale


def test_secret_plaintext_only_for_secrets_in_plaintext_stores(tmp_path: Path) -> None:
    found = findings(
        "# @optional\nAPI_TOKEN=\n# @optional\nLOG_LEVEL=\n# @optional\nDB_PASSWORD=\n",
        tmp_path,
        snapshot(
            "production",
            Entry("API_TOKEN", "t", "ssm:/x/API_TOKEN", plaintext_store=True),
            Entry("LOG_LEVEL", "info", "ssm:/x/LOG_LEVEL", plaintext_store=True),
            Entry("DB_PASSWORD", "p", "ssm:/x/DB_PASSWORD", store_secret=True),
        ),
    )
    assert found == {("secret-plaintext", "production", "API_TOKEN")}


def test_cross_env_reference_uses_every_configured_environment(tmp_path: Path) -> None:
    ref = Entry("DB", "d" * 20, "ecs:t", store_secret=True, metadata={"reference": "ssm:/mre/staging/DB"})
    own = Entry("OK", "y" * 20, "ecs:t", store_secret=True, metadata={"reference": "ssm:/mre/production/OK"})
    namespaces: dict[str, tuple[str, ...]] = {
        "production": ("ssm:/mre/production/",),
        "staging": ("ssm:/mre/staging/",),
    }
    found = findings(
        "# @optional\nDB=\n# @optional\nOK=\n", tmp_path, snapshot("production", ref, own), namespaces=namespaces
    )
    assert found == {("cross-env-reference", "production", "DB")}


@pytest.mark.parametrize(
    ("aws", "message"),
    [
        ('{ regoin = "x" }', "unknown field 'regoin' (did you mean 'region'?)"),
        ('{ retry_mode = "fast" }', "retry_mode must be one of"),
        ("{ max_attempts = 0 }", "max_attempts must be a whole number"),
    ],
)
def test_aws_table_is_validated(project: Project, aws: str, message: str) -> None:
    project.write(".env.example", "A=1\n")
    project.write("drift.toml", f'[environments.p]\naws = {aws}\nsources = [{{ type = "ssm", path = "/p/" }}]\n')
    assert message in run(["check"], expect=2).stderr


def test_ssm_source_needs_a_path(project: Project) -> None:
    project.write(".env.example", "A=1\n")
    project.write("drift.toml", '[environments.p]\nsources = [{ type = "ssm", paht = "/p/" }]\n')
    err = run(["check"], expect=2).stderr
    assert "needs `path`" in err and "did you mean 'path'?" in err
