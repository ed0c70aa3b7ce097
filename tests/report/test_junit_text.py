"""The JUnit report is written as text (drift.report.junit), not built with ElementTree: on
generated documents (names and messages with XML's special characters, line breaks, tabs,
Unicode; findings above and below the threshold, suppressed, cross-environment; empty
suites) it must be exactly what ElementTree writes for the same tree, which is what the
report was before."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from drift.report import inert, junit
from drift.report.document import Document, FindingDoc

CROSS = junit.CROSS


def _reference(document: Document) -> str:
    """The renderer as it was: an ElementTree tree, indented and serialised, its test cases
    from the matrix (which holds every key checked, in every environment)."""
    document = inert.deep(document, inert.xml)
    threshold = document["fail_on"]
    keys_by_env: dict[str, list[str]] = {env["name"]: [] for env in document["environments"]}
    keys_by_env.setdefault(CROSS, [])
    for row in document["matrix"]:
        for env in row["cells"]:
            keys_by_env[env].append(row["key"])
    if not document["matrix"]:  # a report that carries only the keys
        for environment in document["environments"]:
            keys_by_env[environment["name"]] += document["keys"]
    findings: dict[tuple[str, str], list[FindingDoc]] = defaultdict(list)
    suppressed = {f["id"] for f in document["suppressed"]}
    for finding in [*document["findings"], *document["suppressed"]]:
        suite = finding["env"] or CROSS
        name = junit._case_name(finding)
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
                elif junit._fails(finding, threshold):
                    failures += 1
                    failure = ET.SubElement(case, "failure", message=finding["message"], type=finding["rule"])
                    failure.text = junit._details(finding)
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


#: Text with what XML escapes, what inert escapes, and ordinary words.
_TEXT = st.lists(
    st.sampled_from(["a", "KEY", "&", "<", ">", '"', "'", "\n", "\r", "\t", "é", "💥", " ", "::error", "\x1b[31m"])
    | st.text(max_size=3),
    max_size=6,
).map("".join)
_ENVS = ["production", "staging", "dev & test", "cross-environment"]  # the last: a suite name drift also uses


@st.composite
def _documents(draw: st.DrawFn) -> dict[str, Any]:
    envs = draw(st.lists(st.sampled_from(_ENVS), unique=True, max_size=3))
    keys = draw(st.lists(_TEXT, unique=True, max_size=5))
    matrix = [{"key": key, "cells": {env: {} for env in envs}} for key in keys]  # as validate.py requires

    def finding(index: int) -> dict[str, Any]:
        return {
            "id": f"f{index}",
            "rule": draw(st.sampled_from(["missing", "parity", "secret-reuse"])),
            "severity": draw(st.sampled_from(["error", "warning", "info"])),
            "env": draw(st.sampled_from([None, *envs])),
            "key": draw(st.sampled_from([None, *keys]) if keys else st.none()),
            "message": draw(_TEXT),
            "location": draw(st.none() | _TEXT),
            "basis": "declared",
            "status": draw(st.sampled_from([None, "new"])),
            "first_seen": "2026-12-01",
            "expected": draw(st.none() | _TEXT),
            "actual": draw(st.none() | _TEXT),
            "fix": draw(_TEXT),
            "command": draw(st.none() | _TEXT),
        }

    findings = [finding(index) for index in range(draw(st.integers(0, 6)))]
    suppressed = [finding(100 + index) for index in range(draw(st.integers(0, 2)))]
    return {
        "project": draw(_TEXT),
        "scanned_at": "2026-12-05T21:00:00+00:00",
        "fail_on": draw(st.sampled_from([None, "error", "warning", "info"])),
        "environments": [{"name": env} for env in envs],
        "keys": keys,
        "matrix": draw(st.sampled_from([matrix, []])),  # the renderer reads `keys`, not the matrix
        "findings": findings,
        "suppressed": suppressed,
    }


@settings(max_examples=300, deadline=None)
@given(_documents())
def test_the_junit_text_is_what_elementtree_writes(document: dict[str, Any]) -> None:
    typed: Document = document  # type: ignore[assignment]
    assert junit.render(typed) == _reference(typed)
    ET.fromstring(junit.render(typed).split("\n", 1)[1])  # and it parses
