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


class _Attributes(dict[str, str]):
    """`_attribute` of each distinct test case name, worked out once: every suite names the
    same keys (escaping each of the 100,000 names took a third of the report's time)."""

    def __missing__(self, text: str) -> str:
        escaped = self[text] = _attribute(text)
        return escaped


def render(document: Document) -> str:
    """JUnit XML text, every string made XML-safe first. It reads the keys checked, not the
    matrix, so a check that writes JUnit alone does not build one."""
    document = inert.deep(cast(Document, {**document, "matrix": []}), inert.xml)
    threshold = document["fail_on"]
    # every key checked (declared, or set in some environment) is checked in every environment
    keys_by_env = {env["name"]: list(document["keys"]) for env in document["environments"]}
    keys_by_env.setdefault(CROSS, [])
    listed = {suite: set(names) for suite, names in keys_by_env.items()}
    findings: dict[str, dict[str, list[FindingDoc]]] = defaultdict(lambda: defaultdict(list))
    suppressed = {f["id"] for f in document["suppressed"]}
    for finding in [*document["findings"], *document["suppressed"]]:
        suite = finding["env"] or CROSS
        name = _case_name(finding)
        findings[suite][name].append(finding)
        if name not in listed.setdefault(suite, set()):
            listed[suite].add(name)
            keys_by_env.setdefault(suite, []).append(name)
    suites = []
    totals = {"tests": 0, "failures": 0}
    attributes = _Attributes()
    for suite_name, names in keys_by_env.items():
        opening = f'<testcase classname="{_attribute(f"drift.{suite_name}")}" name="'
        found = findings.get(suite_name, {})
        # a case without findings is one line; those with findings are written in full below
        cases = [f'{opening}{name}" />' for name in map(attributes.__getitem__, names)]
        failures = 0
        for index in [index for index, name in enumerate(names) if name in found]:
            name = names[index]
            children = []
            notes = []
            for finding in found[name]:
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
            cases[index] = _element(f'{opening}{attributes[name]}"', children, 2)
        totals["tests"] += len(names)
        totals["failures"] += failures
        suite = (
            f'<testsuite name="{_attribute(suite_name)}" timestamp="{_attribute(document["scanned_at"])}" '
            f'tests="{len(names)}" failures="{failures}" errors="0" skipped="0"'
        )
        suites.append(_parts(suite, cases, 1))
    project = _attribute(f"drift: {document['project']}")
    root = f'<testsuites name="{project}" tests="{totals["tests"]}" failures="{totals["failures"]}" errors="0"'
    # the suites' parts are joined once, into the report (joining each level into a string
    # copied a large report's megabytes once a level)
    inner = [part for suite in suites for part in ("\n  ", *suite)]
    head = f'<?xml version="1.0" encoding="UTF-8"?>\n{root}'
    return "".join([head, ">", *inner, "\n</testsuites>\n"]) if inner else f"{head} />\n"


def _element(start: str, children: list[str], level: int) -> str:
    """An element from its start tag (without the `>`) and its children's text, as
    ElementTree writes it after `ET.indent`: two spaces a level, `<tag ... />` when empty.
    The report is written as text rather than built as a tree: 100,000 test cases on
    20 x 5,000 keys took ElementTree half a second (tests/report/test_junit_text.py holds
    the text to what ElementTree writes for the same tree)."""
    return "".join(_parts(start, children, level))


def _parts(start: str, children: list[str], level: int) -> list[str]:
    """`_element`'s text in pieces: its start, its children joined, its end."""
    if not children:
        return [f"{start} />"]
    inner = "\n" + "  " * (level + 1)
    return [f"{start}>{inner}", inner.join(children), "\n" + "  " * level + f"</{start[1 : start.index(' ')]}>"]


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
