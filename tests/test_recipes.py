"""The CI recipes and pre-commit hooks parse and call drift the way the README says."""

from __future__ import annotations

import re
from pathlib import Path

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
    recipes[".pre-commit-hooks.yaml"] = drift_invocations(ROOT / ".pre-commit-hooks.yaml")
    assert set(recipes) == {"github-nightly.yml", "github-predeploy.yml", "gitlab-ci.yml", ".pre-commit-hooks.yaml"}
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
    assert {"scan", "check", "schema"} <= seen
    predeploy = " ".join(" ".join(a) for a in recipes["github-predeploy.yml"])
    assert "--new-only" in predeploy and "sarif:drift.sarif" in predeploy
    gitlab = yaml.safe_load((ROOT / "examples" / "ci" / "gitlab-ci.yml").read_text())
    gate = " ".join(" ".join(a) for a in recipes["gitlab-ci.yml"])
    reports = gitlab["drift-gate"]["artifacts"]["reports"]
    assert f"codequality:{reports['codequality']}" in gate and f"junit:{reports['junit']}" in gate
