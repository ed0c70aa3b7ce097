"""The CI recipes and pre-commit hooks parse and call drift the way the README says."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from drift.cli import main

ROOT = Path(__file__).resolve().parent.parent


def commands(node: object) -> list[str]:
    """Every `run` / `script` / `entry` string in a YAML document."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("run", "entry") and isinstance(value, str):
                found.append(value)
            elif key == "script" and isinstance(value, list):
                found.extend(str(v) for v in value)
            else:
                found.extend(commands(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(commands(item))
    return found


def drift_invocations(path: Path) -> list[list[str]]:
    text = path.read_text()
    return [cmd.split()[1:] for cmd in commands(yaml.safe_load(text)) if cmd.startswith("drift ")]


def test_recipes_use_real_commands_and_options() -> None:
    recipes = {p.name: drift_invocations(p) for p in (ROOT / "examples" / "ci").glob("*.yml")}
    assert recipes.pop("github-action.yml") == []  # drift's own action runs it (test_action.py)
    recipes[".pre-commit-hooks.yaml"] = drift_invocations(ROOT / ".pre-commit-hooks.yaml")
    expected = {"github-nightly.yml", "github-predeploy.yml", "github-fleet.yml", "github-shards.yml", "gitlab-ci.yml"}
    assert set(recipes) == {*expected, ".pre-commit-hooks.yaml"}
    seen = set()
    for name, invocations in recipes.items():
        assert invocations, name
        for args in invocations:
            seen.add(args[0])
            # every option the recipe passes must be accepted by the real command line
            command = args[:2] if args[0] == "schema" else args[:1]
            result = CliRunner().invoke(main, [*command, "--help"])
            assert result.exit_code == 0, (name, args)
            for option in (a for a in args if a.startswith("--")):
                flag = re.escape(option.split("=")[0])
                assert re.search(rf"(?<![\w-]){flag}(?![\w-])", result.output), (name, option)
    assert {"scan", "check", "schema", "fleet", "merge"} <= seen
    predeploy = " ".join(" ".join(a) for a in recipes["github-predeploy.yml"])
    assert "--new-only" in predeploy and "sarif:drift.sarif" in predeploy
    gitlab = yaml.safe_load((ROOT / "examples" / "ci" / "gitlab-ci.yml").read_text())
    gate = " ".join(" ".join(a) for a in recipes["gitlab-ci.yml"])
    reports = gitlab["drift-gate"]["artifacts"]["reports"]
    assert f"codequality:{reports['codequality']}" in gate and f"junit:{reports['junit']}" in gate


def test_the_kubernetes_cronjob_ends_on_drift_and_retries_an_unreadable_source() -> None:
    job = yaml.safe_load((ROOT / "examples" / "ci" / "kubernetes-cronjob.yaml").read_text())
    spec = job["spec"]["jobTemplate"]["spec"]
    (rule,) = spec["podFailurePolicy"]["rules"]
    assert rule["action"] == "FailJob" and rule["onExitCodes"]["operator"] == "In"
    assert set(rule["onExitCodes"]["values"]) == {1, 2, 4}  # 3 (a source not read) is retried
    pod = spec["template"]["spec"]
    assert pod["restartPolicy"] == "Never"  # what podFailurePolicy requires
    (container,) = pod["containers"]
    assert container["name"] == rule["onExitCodes"]["containerName"]
    assert "drift scan" in " ".join(container["args"])
    assert container["env"][0]["valueFrom"]["secretKeyRef"]  # the fingerprint key from a Secret


def _sharded_project(root: Path) -> None:
    """A project of five environments with a parity key that differs: something to find."""
    (root / ".env.example").write_text("# @same\nLOG_FORMAT=json\nWORKERS=4\n")
    config = '[drift]\nhistory = ".drift/history.sqlite"\n'
    for index, env in enumerate(("staging", "production", "eu-production", "preview", "canary")):
        (root / f"{env}.env").write_text(f"LOG_FORMAT={'text' if index == 3 else 'json'}\nWORKERS=4\n")
        config += f'[environments.{env}]\nsources = [{{ type = "dotenv", path = "{env}.env" }}]\n'
    (root / "drift.toml").write_text(config)


def _shell(command: str, root: Path, env: dict[str, str]) -> int:
    """A recipe's command run by sh as CI runs it, with this drift first on PATH."""
    import os

    path = f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}"
    done = subprocess.run(["sh", "-c", command], cwd=root, env={**os.environ, **env, "PATH": path}, check=False)
    return done.returncode


def test_the_sharded_github_workflow_runs_as_written(tmp_path: Path) -> None:
    """Each matrix job's command with its `matrix.shard`, then the merge job's, under one
    GITHUB_RUN_ID: the merged scan finds the parity drift and reports it."""
    workflow = yaml.safe_load((ROOT / "examples" / "ci" / "github-shards.yml").read_text())
    scan, merge = workflow["jobs"]["scan"], workflow["jobs"]["merge"]
    assert merge["needs"] == "scan" and "cancelled()" in merge["if"]
    (step,) = [s for s in scan["steps"] if "drift scan" in s.get("run", "")]
    (merged,) = [s for s in merge["steps"] if "drift merge" in s.get("run", "")]
    _sharded_project(tmp_path)
    env = {"GITHUB_RUN_ID": "8812", "DRIFT_FINGERPRINT_KEY": "recipe"}
    shards = scan["strategy"]["matrix"]["shard"]
    assert f"/{len(shards)}" in step["run"]
    for shard in shards:
        assert _shell(step["run"], tmp_path, {**env, "SHARD": str(shard)}) == 0
    assert _shell(merged["run"], tmp_path, env) == 1  # the parity drift
    assert "LOG_FORMAT" in (tmp_path / "drift.md").read_text()


def test_the_indexed_job_runs_as_written(tmp_path: Path) -> None:
    """Each index's command (JOB_COMPLETION_INDEX 0..completions-1, the pip install left
    out), then the merge CronJob's: the same run id, one merged scan."""
    shards, merge = yaml.safe_load_all((ROOT / "examples" / "ci" / "kubernetes-shards.yaml").read_text())
    spec = shards["spec"]["jobTemplate"]["spec"]
    assert spec["completionMode"] == "Indexed" and spec["parallelism"] == spec["completions"]
    assert shards["spec"]["schedule"] < merge["spec"]["schedule"]  # the same day, an hour later
    (container,) = spec["template"]["spec"]["containers"]
    (merger,) = merge["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"]
    assert spec["podFailurePolicy"]["rules"][0]["onExitCodes"]["values"] == [2, 4]  # 3 is retried

    def runnable(args: list[str]) -> str:
        (line,) = args
        return line.split(" && ", 1)[1].replace("/config/.", "../config/.").replace("/work/", ".")

    (tmp_path / "config").mkdir()
    _sharded_project(tmp_path / "config")
    (tmp_path / "work").mkdir()
    env = {"DRIFT_FINGERPRINT_KEY": "recipe"}
    assert f'"$JOB_COMPLETION_INDEX/{spec["completions"]}"' in container["args"][0]
    for index in range(spec["completions"]):
        assert _shell(runnable(container["args"]), tmp_path / "work", {**env, "JOB_COMPLETION_INDEX": str(index)}) == 0
    assert _shell(runnable(merger["args"]), tmp_path / "work", env) == 1
    assert (tmp_path / "work" / "reports" / "drift-report.json").is_file()


def test_the_systemd_units_verify(tmp_path: Path) -> None:
    """`systemd-analyze verify` on the service and the timer, the service pointed at this
    drift and a folder that exists."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd is not installed (.ci/run installs it)")
    drift = Path(sys.executable).parent / "drift"
    for unit in ("drift-nightly.service", "drift-nightly.timer"):
        text = (ROOT / "examples" / "ci" / "systemd" / unit).read_text()
        text = text.replace("/usr/local/bin/drift", str(drift)).replace("/srv/app", str(tmp_path))
        (tmp_path / unit).write_text(text.replace("EnvironmentFile=/etc/", "EnvironmentFile=-/etc/"))
    (tmp_path / ".drift").mkdir()
    (tmp_path / "reports").mkdir()
    done = subprocess.run(
        [analyze, "verify", str(tmp_path / "drift-nightly.timer"), str(tmp_path / "drift-nightly.service")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr
    service = (ROOT / "examples" / "ci" / "systemd" / "drift-nightly.service").read_text()
    assert "SuccessExitStatus=1" in service and "drift scan" in service
