"""SARIF, JUnit, Markdown, JSON re-rendering, --output files and GitHub Actions output."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from junitparser import JUnitXml

from drift.report import markdown
from drift.report.document import Document
from drift.report.formats import FORMATS as TABLE
from drift.report.formats import Format
from tests.conftest import Project, run
from tests.report.conftest import CANARIES

SARIF_SCHEMA = Path(__file__).resolve().parent.parent / "fixtures" / "sarif-schema-2.1.0.json"
FORMATS = tuple(f.value for f in TABLE)


def test_sarif_is_valid_and_keeps_identity(report_project: Project) -> None:
    first = json.loads(run(["check", "--format", "sarif"], expect=1).stdout)
    jsonschema.validate(first, json.loads(SARIF_SCHEMA.read_text()))
    run_ = first["runs"][0]
    rules = {r["id"]: r for r in run_["tool"]["driver"]["rules"]}
    assert {r["ruleId"] for r in run_["results"]} <= set(rules)
    assert rules["invalid"]["help"]["text"] and rules["invalid"]["fullDescription"]["text"]
    # code scanning shows help.markdown instead of the description: the explanation is in it
    assert rules["invalid"]["help"]["markdown"].startswith(rules["invalid"]["fullDescription"]["text"])
    assert all("properties" not in r for r in rules.values() if not r["id"].startswith("secret-"))
    assert {r["level"] for r in run_["results"]} <= {"error", "warning", "note"}
    prints = [r["partialFingerprints"]["driftFindingId/v1"] for r in run_["results"]]
    assert len(prints) == len(set(prints))
    second = json.loads(run(["check", "--format", "sarif"], expect=1).stdout)
    assert prints == [r["partialFingerprints"]["driftFindingId/v1"] for r in second["runs"][0]["results"]]
    uris = [
        loc["physicalLocation"]["artifactLocation"]["uri"]
        for r in run_["results"]
        for loc in r["locations"]
        if "physicalLocation" in loc
    ]
    assert uris and all(not uri.startswith("/") for uri in uris)
    missing = next(r for r in run_["results"] if r["ruleId"] == "invalid" and "WORKERS" in r["message"]["text"])
    assert missing["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "production.env"
    assert missing["locations"][0]["physicalLocation"]["region"]["startLine"] == 6


def test_sarif_for_aws_locations_is_valid(tmp_path: Path) -> None:
    document: Any = {
        "tool": {"version": "1"},
        "schema": ".env.example",
        "repository_prefix": "",
        "rules": {
            "missing": {"severity": "error", "title": "t", "explanation": "e", "fix": "f"},
            "secret-reuse": {"severity": "warning", "title": "t", "explanation": "e", "fix": "f"},
        },
        "suppressed": [],
        "findings": [
            {
                "id": "missing:p:A",
                "rule": "missing",
                "severity": "error",
                "env": "p",
                "key": "A",
                "message": "m",
                "expected": None,
                "actual": None,
                "location": "arn:aws:ssm:us-east-1:1:parameter/A",
                "fix": "f",
                "status": "new",
                "basis": "declared",
            },
            {
                "id": "missing:p:B",
                "rule": "missing",
                "severity": "error",
                "env": "p",
                "key": "B",
                "message": "m",
                "expected": None,
                "actual": None,
                "location": None,
                "fix": "f",
                "status": None,
                "basis": "inferred",
            },
        ],
    }
    from drift.report.sarif import to_sarif

    log = to_sarif(document)
    jsonschema.validate(log, json.loads(SARIF_SCHEMA.read_text()))
    locations = [r["locations"][0] for r in log["runs"][0]["results"]]
    assert locations[0]["logicalLocations"][0]["fullyQualifiedName"].startswith("arn:aws:ssm")
    # and a file, which code scanning needs to keep the result at all: the schema's first line
    assert locations[0]["physicalLocation"] == {
        "artifactLocation": {"uri": ".env.example", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 1},
    }
    assert locations[1]["physicalLocation"]["artifactLocation"]["uri"] == ".env.example"
    rules = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["secret-reuse"]["properties"] == {"tags": ["security"], "security-severity": "5.0"}
    assert "properties" not in rules["missing"]


def test_junit_parses_with_the_standard_library_and_junitparser(report_project: Project, tmp_path: Path) -> None:
    text = run(["check", "--format", "junit"], expect=1).stdout
    root = ET.fromstring(text)
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert set(suites) == {"staging", "production", "cross-environment"}
    production = suites["production"]
    failures = production.findall("testcase/failure")
    assert len(failures) == int(production.get("failures", "-1")) > 0
    assert {f.get("type") for f in failures} >= {"invalid"}
    cases = {c.get("name") for c in production.iter("testcase")}
    assert {"COOKIE_SECURE_STRATEGY", "SESSION_SECRET", "PAYMENT"} <= cases
    out = tmp_path / "r.xml"
    out.write_text(text)
    parsed = JUnitXml.fromfile(str(out))
    assert sum(suite.failures for suite in parsed) == int(root.get("failures", "-1"))
    warnings_only = run(["check", "--format", "junit", "--fail-on", "error"], expect=1).stdout
    assert "undeclared" in warnings_only and "system-out" in warnings_only


def test_markdown_escapes_cells(report_project: Project) -> None:
    text = run(["check", "--format", "markdown"], expect=1).stdout
    assert text.startswith("## drift: report-test")
    assert "<details>" in text and "### Errors" in text
    for line in text.splitlines():
        if line.startswith("| `"):
            body = line.replace("\\|", "")
            assert body.count("|") == 6 or body.count("|") == 7, line
    assert "<img" not in text and "&lt;img src=x" in text


def test_markdown_is_capped_with_a_note(report_json: dict[str, Any]) -> None:
    many: Any = dict(report_json)
    template = report_json["findings"][0]
    many["findings"] = [{**template, "id": f"x{i}", "message": "m" * 200} for i in range(600)]
    document: Document = many
    text = markdown.render(document, limit=20_000)
    assert len(text) <= 20_000
    assert "more findings left out" in text


def test_every_output_is_written_atomically_and_identical_when_re_rendered(report_project: Project) -> None:
    args = ["check"] + [f"--output={fmt}:out/nested/report.{fmt}" for fmt in FORMATS if fmt != "terminal"]
    run(args, expect=1)
    out = report_project.root / "out" / "nested"
    assert sorted(p.name for p in out.iterdir()) == sorted(f"report.{f}" for f in FORMATS if f != "terminal")
    for fmt in ("html", "markdown", "sarif", "junit"):
        again = run(["render", "--input", str(out / "report.json"), "--format", fmt], expect=0).stdout
        assert again == (out / f"report.{fmt}").read_text(), fmt
    run(["render", "--input", str(out / "report.json"), "--output", "html:out/again.html"], expect=0)
    assert (report_project.root / "out" / "again.html").read_text() == (out / "report.html").read_text()


def test_render_refuses_what_is_not_a_drift_report(report_project: Project) -> None:
    report_project.write("bad.json", '{"hello": 1}')
    assert "not a drift JSON report" in run(["render", "--input", "bad.json"], expect=2).stderr
    report_project.write("broken.json", "{")
    assert "not JSON" in run(["render", "--input", "broken.json"], expect=2).stderr
    assert "unknown format 'pdf'" in run(["check", "--output", "pdf:x.pdf"], expect=2).stderr
    assert "write FORMAT:PATH or FORMAT" in run(["check", "--output", "html:"], expect=2).stderr


def test_a_bare_format_writes_to_the_reports_folder(report_project: Project) -> None:
    run(["check", "--output", "html", "--output", "sarif", "--output", "junit"], expect=1)
    written = sorted(p.name for p in (report_project.root / "reports").iterdir())
    assert written == ["drift-report.html", "drift-report.sarif", "drift-report.xml"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_keeps_the_contract(report_project: Project, fmt: str) -> None:
    """The one format contract, over every row of the format table: the same text on stdout
    and in an --output file, every finding's key and fix command in it (so an empty or
    partial renderer fails), and no canary anywhere."""
    findings = json.loads(run(["check", "--format", "json"], expect=1).stdout)["findings"]
    result = run(["check", "--format", fmt, "--output", f"{fmt}:out/file"], expect=1)
    written = (report_project.root / "out" / "file").read_bytes()
    assert written == result.stdout_bytes or fmt == "terminal"  # a file gets no colour either way
    text = written.decode().replace("&amp;", "&").replace("&quot;", '"')
    assert findings and all(f["rule"] in text for f in findings)
    if TABLE[Format(fmt)].per_finding:  # metrics count findings by rule: no key, no command
        assert all(f["key"] in text for f in findings if f["key"])
        assert all(f["command"] in text for f in findings if f["command"])
    for canary in CANARIES:
        assert canary.encode() not in result.stdout_bytes + result.stderr_bytes + written


def test_github_actions_annotations_and_step_summary(report_project: Project, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    out = run(["check"], expect=1, env=env).stdout
    assert "::error file=production.env,line=1,title=drift invalid::" in out
    assert "::warning" not in out  # below the threshold
    assert summary.read_text().startswith("## drift: report-test")
    as_json = run(["check", "--format", "json"], expect=1, env=env).stdout
    assert "::error" not in as_json
    json.loads(as_json)
    assert summary.read_text().count("## drift: report-test") == 2


def test_every_format_has_one_row() -> None:
    """Each format is one row of the table: its own suffix, and a renderer that exists
    (what it writes is checked by the contract test above)."""
    import importlib

    assert set(TABLE) == set(Format)
    assert len({info.suffix for info in TABLE.values()}) == len(TABLE)
    for info in TABLE.values():
        assert info.purpose  # the README's format table says what each is for
        module, _, name = info.renderer.partition(":")
        assert callable(getattr(importlib.import_module(module), name))


@pytest.mark.parametrize(
    ("text", "path", "line", "resource"),
    [
        (".env.example:12", ".env.example", 12, None),
        ("envs/production.env", "envs/production.env", None, None),
        ("arn:aws:ssm:us-east-1:1:parameter/A", None, None, "arn:aws:ssm:us-east-1:1:parameter/A"),
        ("s3://cfg/web.env:3", None, None, "s3://cfg/web.env:3"),
        ("/etc/outside.env:4", None, None, "/etc/outside.env:4"),
        ("C:odd:name", "C:odd:name", None, None),
        ("deploy/compose.yaml+compose.prod.yaml#web", None, None, "deploy/compose.yaml+compose.prod.yaml#web"),
        ("kubectl get deploy -o yaml#Deployment/web", None, None, "kubectl get deploy -o yaml#Deployment/web"),
    ],
)
def test_one_reading_of_a_location(text: str, path: str | None, line: int | None, resource: str | None) -> None:
    from drift.model import Location

    assert Location.of(text) == Location(path, line, resource)


def test_a_service_in_a_file_is_the_file_and_an_anchor() -> None:
    from drift.model import Location

    assert Location.of("deploy/compose.yaml#web") == Location("deploy/compose.yaml", None, None, "web")


def test_file_names_are_relative_to_the_repository_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`--config services/api/drift.toml` in a repository: SARIF URIs, workflow annotations
    and Code Quality paths start at the repository root, where code scanning, the runner and
    GitLab look for them."""
    (tmp_path / ".git").mkdir()
    project = Project(tmp_path / "services" / "api")
    project.write(".env.example", "A=1\n# @type int\nB=2\n")
    project.write("prod.env", "B=two\n")
    project.write("drift.toml", '[environments.prod]\nsources = [{ type = "dotenv", path = "prod.env" }]\n')
    monkeypatch.chdir(tmp_path)
    config = ["--config", "services/api/drift.toml"]
    sarif = json.loads(run(["check", *config, "--format", "sarif"], expect=1).stdout)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert uris == {"services/api/.env.example", "services/api/prod.env"}
    annotations = run(["check", *config], expect=1, env={"GITHUB_ACTIONS": "true"}).stdout
    assert "::error file=services/api/prod.env,line=1," in annotations
    issues = json.loads(run(["check", *config, "--format", "codequality"], expect=1).stdout)
    assert {i["location"]["path"] for i in issues} == uris
    workspace = run(
        ["check", *config, "--format", "sarif"], expect=1, env={"GITHUB_WORKSPACE": str(tmp_path / "services")}
    )
    assert '"uri":"api/prod.env"' in workspace.stdout  # the runner's workspace wins


def test_sarif_keeps_findings_apart_and_within_code_scannings_limit() -> None:
    from drift.report.sarif import MAX_RESULTS, to_sarif

    def finding(index: int) -> dict[str, Any]:
        return {
            "id": f"missing:p:K{index}",
            "rule": "missing",
            "severity": "error",
            "env": "p",
            "key": f"K{index}",
            "message": "m",
            "expected": None,
            "actual": None,
            "location": ".env.example:1",  # every finding on one line
            "fix": "f",
            "command": None,
            "status": None,
            "basis": "declared",
        }

    document: Any = {
        "tool": {"version": "1.2.3"},
        "schema": ".env.example",
        "repository_prefix": "",
        "rules": {"missing": {"severity": "error", "title": "t", "explanation": "e", "fix": "f"}},
        "suppressed": [],
        "findings": [finding(i) for i in range(MAX_RESULTS + 5)],
    }
    run_ = to_sarif(document)["runs"][0]
    assert run_["tool"]["driver"]["semanticVersion"] == "1.2.3"
    assert len(run_["results"]) == MAX_RESULTS
    hashes = {r["partialFingerprints"]["primaryLocationLineHash"] for r in run_["results"]}
    assert len(hashes) == MAX_RESULTS  # one alert per finding, though they share a line
    (note,) = run_["invocations"][0]["toolExecutionNotifications"]
    assert note["message"]["text"].startswith("5 more results not listed")


def test_annotations_stay_within_what_a_step_shows(project: Project) -> None:
    """GitHub shows 10 annotations of a level a step: 25 errors are 10 annotations and one
    that counts the rest."""
    project.write(".env.example", "".join(f"KEY_{i:02}=v\n" for i in range(25)))
    project.write("p.env", "")
    project.write("drift.toml", '[environments.p]\nsources = [{ type = "dotenv", path = "p.env" }]\n')
    out = run(["check"], expect=1, env={"GITHUB_ACTIONS": "true"}).stdout
    errors = [line for line in out.splitlines() if line.startswith("::error")]
    assert (
        len(errors) == 11
        and errors[-1] == "::error title=drift::15 more error findings (the step summary lists them all)"
    )
