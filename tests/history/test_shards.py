"""`drift scan --shard I/N` and `drift merge`: a run split over N shards merges to exactly
the scan one process makes (findings with their statuses, matrix, environments), for every
N; a missing shard is named; shards of another key or configuration are refused; nothing a
shard saves holds a value."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drift import api
from drift.actions.shard import Shard, members, run_id
from drift.errors import ConfigError, HistoryError
from drift.history.shards import ShardRecord
from drift.model import Entry, EnvSnapshot, Migration, MigrationFacts, SourceStatus
from drift.secrets import FINGERPRINT_ENV
from tests.conftest import run, write_files
from tests.fuzz.profile import FUZZ

CANARY = "CANARY-shard-Q7w2Er9Ty4Ui1Op3As6"
#: A secret under a name no word list holds, inferred from its look.
ODD = "Hq8Zt3Lw0Xv5Nc2Rb7Mk4Pj9Gs1Df6"
KEY = {FINGERPRINT_ENV: "shard-test-key"}
ENVIRONMENTS = ("development", "staging", "production", "preview-1", "preview-2", "eu-production")

EXAMPLE = """\
# @same
LOG_FORMAT=json
# @type int
WORKERS=4
# @type enum(debug,info,warn)
LOG_LEVEL=info
SESSION_SECRET=
DATABASE_URL=postgres://app:change-me@localhost:5432/app
FEATURE_SEARCH=false
"""

PROBED = """\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: web, namespace: prod}}
spec:
  replicas: {replicas}
  template:
    spec:
      containers:
        - name: web
          image: registry.acme.io/web:1.4.{patch}
          env: [{{name: LOG_FORMAT, value: json}}]
          livenessProbe:
            httpGet:
              path: /health
              port: 8080
              httpHeaders: [{{name: Authorization, value: "Bearer {canary}-{patch}"}}]
"""


def values(env: str, round_: int) -> str:
    """Each environment's file: a secret reused by production and eu-production (and by a
    preview, by its look only), a parity key that differs, a URL with a shared password, a
    value invalid, a key missing, one undeclared; round 2 fixes some and breaks another."""
    shared = f"{CANARY}-prod" if env in ("production", "eu-production") else f"{CANARY}-{env}"
    lines = {
        "LOG_FORMAT": "text" if env == "preview-2" else "json",
        "WORKERS": "many" if env == "staging" and round_ == 1 else "4",
        "LOG_LEVEL": "debug" if env == "development" else "info",
        "SESSION_SECRET": shared,
        "DATABASE_URL": f"postgres://app:{CANARY}-db@db.{env}.internal:5432/app",
        "FEATURE_SEARCH": "true" if env.startswith("preview") else "false",
    }
    if env == "preview-1":
        lines["ODD_THING"] = ODD
        del lines["WORKERS"]
    if env == "staging":
        lines["ODD_THING"] = ODD
    if env == "preview-2":
        del lines["SESSION_SECRET"]  # required by inference only (an empty example value, a secret's name)
    if round_ == 2 and env == "production":
        lines["LOG_FORMAT"] = "logfmt"
    return "".join(f"{k}={v}\n" for k, v in lines.items())


def make(root: Path, history: str, round_: int = 1) -> Path:
    """The project: six environments of dotenv files, two with Kubernetes workloads."""
    files = {".env.example": EXAMPLE}
    config = f'[drift]\nname = "shop"\nhistory = "{history}"\n'
    for env in ENVIRONMENTS:
        files[f"envs/{env}.env"] = values(env, round_)
        sources = f'{{ type = "dotenv", path = "envs/{env}.env" }}'
        if env in ("staging", "production"):
            patch, replicas = (1, 2) if env == "staging" else (2, 6)
            files[f"k8s-{env}/web.yaml"] = PROBED.format(patch=patch, replicas=replicas, canary=CANARY)
            sources += f', {{ type = "kubernetes", manifests = ["k8s-{env}/"], workload = "Deployment/web" }}'
        config += f"[environments.{env}]\nsources = [{sources}]\n"
    files["drift.toml"] = config
    write_files(root, files)
    return root / "drift.toml"


def comparable(document: dict[str, Any]) -> dict[str, Any]:
    """A report without what differs between two runs by design (times, ids, durations)."""

    def clean(finding: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in finding.items() if k != "first_seen"}

    return {
        "findings": [clean(f) for f in document["findings"]],
        "suppressed": [clean(f) for f in document["suppressed"]],
        "resolved": [clean(f) for f in document["resolved"]],
        "unverified": [clean(f) for f in document["unverified"]],
        "matrix": document["matrix"],
        "environments": document["environments"],
        "summary": document["summary"],
        "exit_code": document["exit_code"],
    }


def one_process(config: Path, expect: int, *options: str) -> dict[str, Any]:
    run(["scan", "--config", str(config), "--quiet", *options], expect=expect, env=KEY)
    return comparable(json.loads((config.parent / "reports" / "drift-report.json").read_text()))


def sharded(config: Path, total: int, run_name: str, expect: int, *options: str) -> dict[str, Any]:
    for number in range(1, total + 1):
        done = run(["scan", "--config", str(config), "--shard", f"{number}/{total}", "--run", run_name], 0, KEY)
        assert f"saved shard {number}/{total} of run {run_name}" in done.stderr
    run(["merge", "--config", str(config), "--run", run_name, "--quiet", *options], expect=expect, env=KEY)
    return comparable(json.loads((config.parent / "reports" / "drift-report.json").read_text()))


@pytest.mark.parametrize("total", [1, 2, 3, 4, 8])
def test_a_merged_run_is_the_scan_one_process_makes(tmp_path: Path, total: int) -> None:
    single = make(tmp_path / "single", ".drift/history.sqlite")
    split = make(tmp_path / "split", ".drift/history.sqlite")
    for round_ in (1, 2):  # the second round has statuses: new, persisting, resolved
        make(tmp_path / "single", ".drift/history.sqlite", round_)
        make(tmp_path / "split", ".drift/history.sqlite", round_)
        expected = one_process(single, expect=1)
        assert sharded(split, total, f"nightly-{round_}", expect=1) == expected
    rules = {f["rule"] for f in expected["findings"]}
    assert {"parity", "secret-reuse", "settings-drift", "missing", "undeclared", "changed"} <= rules, rules
    statuses = {f["status"] for f in expected["findings"]}
    assert statuses == {"new", "persisting"}, statuses
    assert "invalid" in {f["rule"] for f in expected["resolved"]}  # staging's WORKERS, fixed in round 2
    assert any(row["status"] == "differs" for row in expected["matrix"])
    for path in [*(tmp_path / "split" / "reports").iterdir(), tmp_path / "split" / ".drift" / "history.sqlite"]:
        assert CANARY.encode() not in path.read_bytes() and ODD.encode() not in path.read_bytes(), path


def test_the_merge_grades_inferred_findings_as_one_process_would(tmp_path: Path) -> None:
    """Shards save findings as the rules made them; `merge --strict` makes the inferred ones
    errors, as `scan --strict` does (ODD_THING is a secret by its look only)."""
    single = make(tmp_path / "single", ".drift/history.sqlite")
    split = make(tmp_path / "split", ".drift/history.sqlite")
    expected = one_process(single, 1, "--strict")
    assert sharded(split, 3, "strict", 1, "--strict") == expected
    inferred = [f for f in expected["findings"] if f["basis"] == "inferred"]
    assert all(f["severity"] == "error" for f in inferred)
    assert {f["env"] for f in inferred} >= {None, "preview-2"}, inferred  # across, and in one shard


def test_a_night_with_an_unreadable_source_merges_as_one_process_sees_it(tmp_path: Path) -> None:
    """Findings a failed source could hide are carried unverified, not resolved, in both."""
    roots = {"single": tmp_path / "single", "split": tmp_path / "split"}
    for root in roots.values():
        make(root, ".drift/history.sqlite")
    one_process(roots["single"] / "drift.toml", 1)
    sharded(roots["split"] / "drift.toml", 3, "night-1", 1)
    for root in roots.values():
        (root / "envs" / "staging.env").unlink()
    expected = one_process(roots["single"] / "drift.toml", 1)
    config = roots["split"] / "drift.toml"
    project = api.load_project(config, roots["split"])
    for number in (1, 2, 3):
        failing = "staging" in members(project, Shard(number, 3))
        run(["scan", "--config", str(config), "--shard", f"{number}/3", "--run", "night-2"], 3 if failing else 0, KEY)
    run(["merge", "--config", str(config), "--run", "night-2", "--quiet"], expect=1, env=KEY)
    merged = comparable(json.loads((roots["split"] / "reports" / "drift-report.json").read_text()))
    assert merged == expected
    assert any(f["env"] == "staging" for f in expected["unverified"]), expected["unverified"]


def test_merge_names_a_missing_shard_and_merges_once_it_is_there(tmp_path: Path) -> None:
    config = make(tmp_path, ".drift/history.sqlite")
    for number in (0, 2):  # Kubernetes numbers from 0: 0/3 is shard 3/3
        run(["scan", "--config", str(config), "--shard", f"{number}/3", "--run", "r-1"], expect=0, env=KEY)
    done = run(["merge", "--config", str(config), "--run", "r-1"], expect=2, env=KEY)
    assert "shard 1/3 is not saved yet (2 of 3 are" in done.output
    run(["scan", "--config", str(config), "--shard", "1/3", "--run", "r-1"], expect=0, env=KEY)
    run(["merge", "--config", str(config), "--run", "r-1", "--quiet"], expect=1, env=KEY)
    again = run(["merge", "--config", str(config), "--run", "r-1"], expect=2, env=KEY)
    assert "no shard of run r-1 is saved" in again.output  # merged once: its shards are gone
    assert len(run(["history", "--config", str(config)], expect=0, env=KEY).stdout.strip().splitlines()) >= 1


def test_shards_of_another_key_or_configuration_are_refused(tmp_path: Path) -> None:
    config = make(tmp_path, ".drift/history.sqlite")
    run(["scan", "--config", str(config), "--shard", "1/2", "--run", "r-2"], expect=0, env=KEY)
    run(["scan", "--config", str(config), "--shard", "2/2", "--run", "r-2"], expect=0, env=KEY)
    (tmp_path / ".env.example").write_text(EXAMPLE + "NEW_KEY=1\n")
    changed = run(["merge", "--config", str(config), "--run", "r-2"], expect=2, env=KEY)
    assert "made from another drift.toml or schema" in changed.output
    other = run(["scan", "--config", str(config), "--shard", "1/2", "--run", "r-3"], expect=2, env={})
    assert "different fingerprint key" in other.output  # the history keeps the key's check value


def test_nothing_a_shard_saves_holds_a_value(tmp_path: Path) -> None:
    config = make(tmp_path, ".drift/history.sqlite")
    project = api.load_project(config, tmp_path)
    store = api.history_for(project)
    assert store is not None
    for number in (1, 2):
        run(["scan", "--config", str(config), "--shard", f"{number}/2", "--run", "r-4"], expect=0, env=KEY)
    blobs = store.shard_blobs("r-4")
    assert sorted(blobs) == [1, 2]
    for where, blob in blobs.values():
        text = gzip.decompress(blob).decode()
        assert CANARY not in text and ODD not in text and "change-me" not in text, where
        record = ShardRecord.unpack(blob, where)
        assert all(e.value is None for s in record.snapshots for e in s.entries.values())
    assert CANARY not in (tmp_path / ".drift" / "history.sqlite").read_bytes().decode("latin-1")


def test_a_shard_that_could_not_read_a_source_is_saved_and_exits_3(tmp_path: Path) -> None:
    config = make(tmp_path, ".drift/history.sqlite")
    (tmp_path / "envs" / "production.env").unlink()
    project = api.load_project(config, tmp_path)
    holding = next(n for n in (1, 2, 3) if "production" in members(project, Shard(n, 3)))
    done = run(["scan", "--config", str(config), "--shard", f"{holding}/3", "--run", "r-5"], expect=3, env=KEY)
    assert "not read in full: production" in done.stderr
    for number in {1, 2, 3} - {holding}:
        run(["scan", "--config", str(config), "--shard", f"{number}/3", "--run", "r-5"], expect=0, env=KEY)
    merged = run(["merge", "--config", str(config), "--run", "r-5", "--format", "json"], expect=2, env=KEY)
    assert "--format" in merged.output  # merge writes reports as scan does: --output, not --format
    run(["merge", "--config", str(config), "--run", "r-5", "--quiet"], expect=1, env=KEY)
    report = json.loads((tmp_path / "reports" / "drift-report.json").read_text())
    assert ("source-unavailable", "production") in {(f["rule"], f["env"]) for f in report["findings"]}


@pytest.mark.parametrize(
    ("given", "problem"),
    [
        (["--shard", "3"], "write I/N"),
        (["--shard", "4/3"], "I at most N"),
        (["--shard", "1/0"], "N must be 1 to"),
        (["--shard", "1/2", "--run", "../etc"], "run id"),
        (["--shard", "1/2"], "no run id"),
        (["--shard", "1/2", "--run", "x", "--no-save"], "drop --no-save"),
        (["--run", "x"], "use it with --shard"),
    ],
)
def test_bad_shard_options_are_usage_errors(tmp_path: Path, given: list[str], problem: str) -> None:
    config = make(tmp_path, ".drift/history.sqlite")
    assert problem in run(["scan", "--config", str(config), *given], expect=2, env=KEY).output


def test_the_split_is_stable_and_complete() -> None:
    from drift.config import Project

    names = [f"env-{i}" for i in range(200)]

    def project(order: list[str], by: str = "environment", aws: dict[str, Any] | None = None) -> Project:
        from drift.settings import EnvironmentConfig

        envs = {n: EnvironmentConfig(n, True, (), {"aws": (aws or {}).get(n, {})}) for n in order}
        return Project(Path("/x"), None, "p", None, None, envs, shard_by=by)

    forward, backward = project(names), project(list(reversed(names)))
    parts = [members(forward, Shard(n, 8)) for n in range(1, 9)]
    assert sorted(n for part in parts for n in part) == sorted(names) and all(parts)  # each once, none empty here
    assert all(set(members(backward, Shard(n, 8))) == set(parts[n - 1]) for n in range(1, 9))
    grown = project([*names, "new-env"])
    moved = sum(set(members(grown, Shard(n, 8))) != set(parts[n - 1]) for n in range(1, 9))
    assert moved == 1  # a new environment joins one shard and moves none of the others
    role = "arn:aws:iam::{:012d}:role/drift"
    aws = {n: {"role_arn": role.format(i % 5), "region": "eu-west-1"} for i, n in enumerate(names)}
    by_account = project(names, "account", aws)
    for n in range(1, 9):
        accounts = {aws[name]["role_arn"] for name in members(by_account, Shard(n, 8))}
        for other in range(1, 9):
            if other != n:
                assert not accounts & {aws[x]["role_arn"] for x in members(by_account, Shard(other, 8))}


def test_run_ids_come_from_the_ci() -> None:
    assert run_id("given", {"GITHUB_RUN_ID": "1"}) == "given"
    assert run_id(None, {"GITHUB_RUN_ID": "123", "CI_PIPELINE_ID": "9"}) == "123"
    assert run_id(None, {"CI_PIPELINE_ID": "9"}) == "9"
    assert run_id(None, {"JOB_NAME": "drift-nightly-2912"}) == "drift-nightly-2912"
    with pytest.raises(ConfigError, match="no run id"):
        run_id(None, {})
    assert Shard.parse("0/8") == Shard(8, 8) and Shard.parse("8/8") == Shard(8, 8) and str(Shard.parse("3/8")) == "3/8"


def test_migration_facts_and_source_statuses_survive_a_shard() -> None:
    facts = MigrationFacts(
        "prisma",
        (("001_init", "c1"), ("002_users", None)),
        (Migration("001_init", "c1", True, False),),
        "prisma/migrations",
    )
    snapshot = EnvSnapshot(
        "production",
        True,
        {},
        (SourceStatus("migrations", "prisma", "ok", None, 0), SourceStatus("ssm", "/p/", "failed", "AccessDenied")),
        unreadable_patterns=((("DB_*",), ("DB_X",)),),
        malformed=True,
        facts={"migrations": facts},
    )
    record = ShardRecord("r", 1, 1, "p", "t", "k", "c", [snapshot], {"production": {}}, [], [], [])
    back = ShardRecord.unpack(record.pack(), "here").snapshots[0]
    assert back == snapshot._replace(facts=back.facts) and dict(back.facts) == {"migrations": facts}


def test_a_damaged_shard_is_a_clear_error(tmp_path: Path) -> None:
    config = make(tmp_path, ".drift/history.sqlite")
    project = api.load_project(config, tmp_path)
    store = api.history_for(project)
    assert store is not None
    run(["scan", "--config", str(config), "--shard", "1/1", "--run", "r-6"], expect=0, env=KEY)
    _, blob = store.shard_blobs("r-6")[1]
    store.save_shard("r-6", 1, gzip.compress(b'{"format": 1, "snapshots": 3}'), store.stored_key_check() or "")
    done = run(["merge", "--config", str(config), "--run", "r-6"], expect=2, env=KEY)
    assert "a saved shard cannot be read" in done.output and "shard 1 of run r-6" in done.output
    document = json.loads(gzip.decompress(blob))
    for index, total in ((1, 10**9), (2, 2), (0, 1)):  # a count to wait forever on; another's number
        forged = gzip.compress(json.dumps({**document, "index": index, "total": total}).encode())
        store.save_shard("r-6", 1, forged, store.stored_key_check() or "")
        done = run(["merge", "--config", str(config), "--run", "r-6"], expect=2, env=KEY)
        assert "a saved shard cannot be read (its number)" in done.output, (index, total)


def test_shards_from_separate_processes_merge(tmp_path: Path) -> None:
    """Each shard is its own process on its own machine: nothing a shard saves may depend on
    the process (a set's order follows the hash seed, which differs by process)."""
    import os
    import subprocess
    import sys

    config = make(tmp_path, ".drift/history.sqlite")
    for number, seed in ((1, "1"), (2, "2")):
        env = {**os.environ, **KEY, "PYTHONHASHSEED": seed, "DRIFT_RUN_ID": "separate"}
        done = subprocess.run(
            [sys.executable, "-m", "drift", "scan", "--config", str(config), "--shard", f"{number}/2"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
    run(["merge", "--config", str(config), "--run", "separate", "--quiet"], expect=1, env=KEY)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


def _one_shard_document() -> dict[str, Any]:
    """A valid shard's JSON: one environment, one entry, its sealed value."""
    from drift.engine.cross_env import Seen
    from drift.engine.secrecy import Secrecy

    entry = Entry("A", None, "dotenv:p.env", "p.env:1")
    snapshot = EnvSnapshot("production", True, {"A": entry}, (SourceStatus("dotenv", "p.env", "ok", None, 1),))
    seen = Seen("production", True, False, "fp:x", "••••", Secrecy(True, True, True), False, "x")
    record = ShardRecord("r", 1, 2, "p", "t", "k", "c", [snapshot], {"production": {"A": seen}}, [], [], [])
    document: dict[str, Any] = json.loads(gzip.decompress(record.pack()))
    return document


@FUZZ
@given(st.data())
def test_a_hostile_shard_is_a_history_error_never_a_crash(data: st.DataObject) -> None:
    """A shard read from a shared bucket is input anyone with write access made: a valid
    record with any field replaced by any JSON is read or refused as damage, nothing else."""
    document = _one_shard_document()
    places: list[tuple[Any, Any]] = [(document, k) for k in document]
    places += [(document["snapshots"][0], k) for k in document["snapshots"][0]]
    places += [(document["snapshots"][0]["entries"][0], i) for i in range(6)]
    places += [(document["sealed"]["production"]["A"], i) for i in range(9)]
    where, field = data.draw(st.sampled_from(places))
    where[field] = data.draw(_JSON)
    blob = gzip.compress(json.dumps(document).encode())
    try:
        ShardRecord.unpack(blob, "s3://b/shards/r/1.json.gz")
    except HistoryError as exc:
        assert str(exc).startswith("s3://b/shards/r/1.json.gz: a saved shard cannot be read")


@pytest.mark.parametrize(
    "damage",
    [
        lambda doc: doc["snapshots"][0].update(facts={"": []}),  # an empty fact (hypothesis found it)
        lambda doc: doc["snapshots"][0].update(facts={"m": ["migrations", "tool"]}),
        lambda doc: doc["snapshots"][0]["sources"].__setitem__(0, ["dotenv"]),
        lambda doc: doc["sealed"]["production"].__setitem__("A", []),
    ],
)
def test_a_shard_row_shorter_than_its_layout_is_damage(damage: Callable[[dict[str, Any]], None]) -> None:
    """A list shorter than the row it stands for is a HistoryError, like any other damage."""
    document = _one_shard_document()
    damage(document)
    with pytest.raises(HistoryError, match="a saved shard cannot be read"):
        ShardRecord.unpack(gzip.compress(json.dumps(document).encode()), "s3://b/shards/r/1.json.gz")


def test_a_shard_that_cannot_reach_its_history_exits_2(tmp_path: Path) -> None:
    """3 is a source a shard could not read; a history it cannot reach is 2 (contract)."""
    from devtools.aws_local import free_port, offline_credentials

    config = make(tmp_path, "s3://nowhere/shop")
    env = {**KEY, **offline_credentials("us-east-1"), "AWS_ENDPOINT_URL": f"http://127.0.0.1:{free_port()}"}
    done = run(["scan", "--config", str(config), "--shard", "1/2", "--run", "r-7"], expect=2, env=env)
    assert "s3://nowhere/shop" in done.output and "Traceback" not in done.output
