"""SARIF as GitHub code scanning takes it, judged by Microsoft's SARIF multitool (`validate`
with the SARIF and GitHub rule kinds, from npm in tests/tools): the report project's log, a
log of findings from stores and services, and a planted bad log the validator must flag, so
that this check can fail. What the validator does not look at (one alert per finding, the
result cap, suppressed results left out) is asserted in test_formats.py."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from drift.report.sarif import to_sarif
from tests.conftest import Project, run

MULTITOOL = (
    Path(__file__).resolve().parent.parent
    / "tools"
    / "node_modules"
    / "@microsoft"
    / "sarif-multitool-linux"
    / "Sarif.Multitool"
)


def validate(log: dict[str, Any], folder: Path) -> list[tuple[str, str, str]]:
    """The validator's (rule, level, message) for `log`: errors and warnings only."""
    source, verdict = folder / "in.sarif", folder / "verdict.sarif"
    source.write_text(json.dumps(log))
    verdict.unlink(missing_ok=True)
    done = subprocess.run(
        [str(MULTITOOL), "validate", "--rule-kind", "Sarif;Gh", str(source), "--output", str(verdict)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert verdict.exists(), done.stdout + done.stderr
    results = json.loads(verdict.read_text())["runs"][0]["results"]
    return [(r["ruleId"], r.get("level", "warning"), r["message"].get("text", "")) for r in results]


def finding(location: str | None, rule: str = "missing", env: str = "production", key: str = "A") -> dict[str, Any]:
    return {
        "id": f"{rule}:{env}:{key}:{location}",
        "rule": rule,
        "severity": "error",
        "env": env,
        "key": key,
        "message": f"{key} is required",
        "expected": None,
        "actual": None,
        "location": location,
        "fix": "set it",
        "command": None,
        "status": "new",
        "basis": "declared",
    }


def document(findings: list[dict[str, Any]]) -> Any:
    rule = {"severity": "error", "title": "Required key missing", "explanation": "e", "fix": "f"}
    return {
        "tool": {"version": "0.1.0"},
        "schema": "services/api/.env.example",
        "repository_prefix": "",
        "rules": {"missing": rule, "secret-reuse": {**rule, "title": "Secret shared between environments"}},
        "suppressed": [],
        "findings": findings,
    }


@pytest.fixture(scope="module", autouse=True)
def _multitool() -> None:
    assert MULTITOOL.exists(), "`make test` installs tests/tools with npm ci"


def test_the_report_projects_log_passes(report_project: Project, tmp_path: Path) -> None:
    log = json.loads(run(["check", "--format", "sarif"], expect=1).stdout)
    assert log["runs"][0]["results"]
    assert validate(log, tmp_path) == []


def test_findings_from_stores_and_services_pass(tmp_path: Path) -> None:
    log = to_sarif(
        document(
            [
                finding("arn:aws:ssm:us-east-1:111111111111:parameter/api/prod/A"),
                finding("s3://config/api/prod.env:3", key="B"),
                finding("deploy/compose.yaml#web", key="C"),
                finding("deploy/compose.yaml+deploy/compose.prod.yaml#web", key="D"),
                finding("kubectl get deployment web -o yaml#Deployment/web", key="E"),
                finding("/etc/api/outside.env:4", key="F"),
                finding("services/api/envs/prod.env:7", rule="secret-reuse", key="G"),
                finding(None, key="H"),
            ]
        )
    )
    assert validate(log, tmp_path) == []
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]}
    assert uris == {"services/api/.env.example", "deploy/compose.yaml", "services/api/envs/prod.env"}


def test_the_validator_flags_what_code_scanning_refuses(tmp_path: Path) -> None:
    """The control: an absolute URI, a result with no location and a rule named as its id
    are each reported, so the passes above mean something."""
    log = to_sarif(document([finding("services/api/envs/prod.env:7")]))
    result = log["runs"][0]["results"][0]
    result["locations"][0]["physicalLocation"]["artifactLocation"] = {"uri": "file:///home/ci/prod.env"}
    log["runs"][0]["results"].append({**result, "locations": []})
    log["runs"][0]["tool"]["driver"]["rules"][0]["name"] = "missing"
    flagged = {rule for rule, level, _ in validate(log, tmp_path) if level in ("error", "warning")}
    # GH1015/GH1017: no absolute file URIs, no result without a location; SARIF1001: name == id
    assert {"GH1015", "GH1017", "SARIF1001"} <= flagged, flagged
