"""JUnit XML, built as data: a testsuite per environment and one for cross-environment
findings, a testcase per key checked, a failure per finding at or above the threshold.

Findings below the threshold are listed in the testcase's system-out, so CI test views show
them without failing the build.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Literal, cast

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


class _Escaped(dict[str, str]):
    """`inert.xml` of each distinct string, worked out once: the matrix repeats every key
    name and environment name (100,000 cells on 20 x 5,000 keys)."""

    def __missing__(self, text: str) -> str:
        escaped = self[text] = inert.xml(text)
        return escaped


def render(document: Document) -> str:
    """JUnit XML text, every string made XML-safe first (of the matrix, only the key and
    environment names are read, each escaped once through `_Escaped`)."""
    matrix = document["matrix"]
    document = inert.deep(cast(Document, {**document, "matrix": []}), inert.xml)
    threshold = document["fail_on"]
    envs = [env["name"] for env in document["environments"]]
    keys_by_env: dict[str, list[str]] = {env: [] for env in [*envs, CROSS]}
    escaped = _Escaped()
    for row in matrix:  # every declared or present key is checked in every environment
        key = escaped[row["key"]]
        for env in row["cells"]:
            keys_by_env[escaped[env]].append(key)
    listed = {suite: set(names) for suite, names in keys_by_env.items()}
    findings: dict[tuple[str, str], list[FindingDoc]] = defaultdict(list)
    suppressed = {f["id"] for f in document["suppressed"]}
    for finding in [*document["findings"], *document["suppressed"]]:
        suite = finding["env"] or CROSS
        name = _case_name(finding)
        findings[(suite, name)].append(finding)
        if name not in listed.setdefault(suite, set()):
            listed[suite].add(name)
            keys_by_env.setdefault(suite, []).append(name)
    suites = []
    totals = {"tests": 0, "failures": 0}
    for suite_name, names in keys_by_env.items():
        classname = _attribute(f"drift.{suite_name}")
        cases = []
        failures = 0
        for name in names:
            children = []
            notes = []
            for finding in findings.get((suite_name, name), []):
                if finding["id"] in suppressed:
                    notes.append(f"suppressed {finding['rule']}: {finding['message']}")
                elif _fails(finding, threshold):
                    failures += 1
                    message, rule = _attribute(finding["message"]), _attribute(finding["rule"])
                    children.append(f'<failure message="{message}" type="{rule}">{_text(_details(finding))}</failure>')
                else:
                    run = f" (run: {finding.get('command')})" if finding.get("command") else ""
                    notes.append(f"{finding['severity']}: {finding['rule']}: {finding['message']}{run}")
            if notes:
                children.append(f"<system-out>{_text(chr(10).join(notes))}</system-out>")
            case = f'<testcase classname="{classname}" name="{_attribute(name)}"'
            cases.append(_element(case, children, 2))
        totals["tests"] += len(names)
        totals["failures"] += failures
        suite = (
            f'<testsuite name="{_attribute(suite_name)}" timestamp="{_attribute(document["scanned_at"])}" '
            f'tests="{len(names)}" failures="{failures}" errors="0" skipped="0"'
        )
        suites.append(_element(suite, cases, 1))
    project = _attribute(f"drift: {document['project']}")
    root = f'<testsuites name="{project}" tests="{totals["tests"]}" failures="{totals["failures"]}" errors="0"'
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + _element(root, suites, 0) + "\n"


def _element(start: str, children: list[str], level: int) -> str:
    """An element from its start tag (without the `>`) and its children's text, as
    ElementTree writes it after `ET.indent`: two spaces a level, `<tag ... />` when empty.
    The report is written as text rather than built as a tree: 100,000 test cases on
    20 x 5,000 keys took ElementTree half a second (tests/report/test_formats.py holds the
    text to what ElementTree writes for the same tree)."""
    if not children:
        return f"{start} />"
    inner = "\n" + "  " * (level + 1)
    return f"{start}>{inner}" + inner.join(children) + "\n" + "  " * level + f"</{start[1 : start.index(' ')]}>"


def _text(text: str) -> str:
    """Character data escaped as ElementTree escapes it."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attribute(text: str) -> str:
    """An attribute value escaped as ElementTree escapes it."""
    text = _text(text).replace('"', "&quot;")
    return text.replace("\r", "&#13;").replace("\n", "&#10;").replace("\t", "&#09;")


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
