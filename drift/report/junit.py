"""JUnit XML, built as data: a testsuite per environment and one for cross-environment
findings, a testcase per key checked, a failure per finding at or above the threshold.

Findings below the threshold are listed in the testcase's system-out, so CI test views show
them without failing the build.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from typing import Literal

from drift.model import Severity
from drift.report import inert
from drift.report.document import Document, FindingDoc

CROSS = "cross-environment"


def _fails(finding: FindingDoc, threshold: str | None) -> bool:
    return threshold is not None and Severity.parse(finding["severity"]) >= Severity.parse(threshold)


def _case_name(finding: FindingDoc) -> str:
    if finding["key"] is not None:
        return finding["key"]
    return f"{finding['rule']}: {finding['location'] or finding['id']}"


def render(document: Document) -> str:
    """JUnit XML text, every string made XML-safe first."""
    document = inert.deep(document, inert.xml)
    threshold = document["fail_on"]
    envs = [env["name"] for env in document["environments"]]
    keys_by_env: dict[str, list[str]] = {env: [] for env in [*envs, CROSS]}
    for row in document["matrix"]:  # every declared or present key is checked in every environment
        for env in row["cells"]:
            keys_by_env[env].append(row["key"])
    findings: dict[tuple[str, str], list[FindingDoc]] = defaultdict(list)
    suppressed = {f["id"] for f in document["suppressed"]}
    for finding in [*document["findings"], *document["suppressed"]]:
        suite = finding["env"] or CROSS
        name = _case_name(finding)
        findings[(suite, name)].append(finding)
        if name not in keys_by_env.setdefault(suite, []):
            keys_by_env[suite].append(name)
    root = ET.Element("testsuites", name=f"drift: {document['project']}")
    totals = {"tests": 0, "failures": 0}
    for suite_name, names in keys_by_env.items():
        element = ET.SubElement(root, "testsuite", name=suite_name, timestamp=document["scanned_at"])
        failures = 0
        for name in names:
            case = ET.SubElement(element, "testcase", classname=f"drift.{suite_name}", name=name)
            notes = []
            for finding in findings.get((suite_name, name), []):
                if finding["id"] in suppressed:
                    notes.append(f"suppressed {finding['rule']}: {finding['message']}")
                elif _fails(finding, threshold):
                    failures += 1
                    failure = ET.SubElement(case, "failure", message=finding["message"], type=finding["rule"])
                    failure.text = _details(finding)
                else:
                    run = f" (run: {finding.get('command')})" if finding.get("command") else ""
                    notes.append(f"{finding['severity']}: {finding['rule']}: {finding['message']}{run}")
            if notes:
                ET.SubElement(case, "system-out").text = "\n".join(notes)
        element.set("tests", str(len(names)))
        element.set("failures", str(failures))
        element.set("errors", "0")
        element.set("skipped", "0")
        totals["tests"] += len(names)
        totals["failures"] += failures
    root.set("tests", str(totals["tests"]))
    root.set("failures", str(totals["failures"]))
    root.set("errors", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _details(finding: FindingDoc) -> str:
    lines = [f"{finding['severity']} {finding['rule']}: {finding['message']}", f"basis: {finding['basis']}"]
    if finding["status"] is not None:
        lines.append(f"status: {finding['status']} (first seen {finding['first_seen']})")
    labels: tuple[Literal["expected"], Literal["actual"], Literal["location"]] = ("expected", "actual", "location")
    for label in labels:
        value = finding[label]
        if value is not None:
            lines.append(f"{label}: {value}")
    lines.append(f"fix: {finding['fix']}")
    if finding.get("command"):
        lines.append(f"run: {finding.get('command')}")
    return "\n".join(lines)
