"""GitLab Code Quality: the report validates against the format GitLab documents, every
finding is one issue with a unique fingerprint that stays the same from run to run, GitLab's
severities, a file for every issue (store findings on the schema file, the resource named),
and suppressed findings left out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema

from tests.conftest import Project, run

SCHEMA = json.loads(
    (Path(__file__).resolve().parent.parent / "fixtures" / "gitlab-codequality.schema.json").read_text()
)


def test_a_code_quality_report(report_project: Project) -> None:
    issues = json.loads(run(["check", "--format", "codequality"], expect=1).stdout)
    jsonschema.validate(issues, SCHEMA)
    findings = json.loads(run(["check", "--format", "json"], expect=1).stdout)["findings"]
    assert len(issues) == len(findings)
    prints = [i["fingerprint"] for i in issues]
    assert len(set(prints)) == len(prints)
    again = json.loads(run(["check", "--format", "codequality"], expect=1).stdout)
    assert [i["fingerprint"] for i in again] == prints
    by_rule = {i["check_name"]: i for i in issues}
    assert by_rule["invalid"]["severity"] == "major" and by_rule["invalid"]["location"]["path"] == "production.env"
    assert {i["severity"] for i in issues} <= {"info", "minor", "major", "critical"}


def test_store_findings_sit_on_the_schema_and_suppressed_ones_are_left_out(project: Project) -> None:
    project.write(".env.example", "A=1\nB=2\n")
    project.write("prod.env", "B=2\n")
    project.write(
        "drift.toml",
        '[environments.prod]\nsources = [{ type = "dotenv", path = "prod.env" }]\n'
        '[[ignore]]\nrule = "missing"\nkey = "B"\nreason = "not yet"\n',
    )
    project.write("prod.env", "")
    issues = json.loads(run(["check", "--format", "codequality"], expect=1).stdout)
    jsonschema.validate(issues, SCHEMA)
    assert [(i["check_name"], i["location"]["path"], i["location"]["lines"]["begin"]) for i in issues] == [
        ("missing", ".env.example", 1)
    ]


def test_a_finding_from_a_store_is_placed_on_the_schema_naming_the_resource() -> None:
    from drift.report.codequality import render

    arn = "arn:aws:ssm:us-east-1:111122223333:parameter/app/prod/API_SECRET"
    finding = {
        "id": "secret-plaintext:prod:API_SECRET",
        "rule": "secret-plaintext",
        "severity": "error",
        "env": "prod",
        "key": "API_SECRET",
        "message": "API_SECRET is a secret stored in plaintext (ssm) in prod",
        "expected": None,
        "actual": None,
        "location": arn,
        "fix": "f",
        "command": None,
        "status": None,
        "first_seen": None,
        "basis": "declared",
    }
    document: Any = {"schema": ".env.example", "repository_prefix": "", "findings": [finding]}
    (issue,) = json.loads(render(document))
    jsonschema.validate([issue], SCHEMA)
    assert issue["location"] == {"path": ".env.example", "lines": {"begin": 1}}
    assert arn in issue["description"] and issue["severity"] == "critical" and issue["categories"] == ["Security"]
