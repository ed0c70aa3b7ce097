"""Terminal renderer: what an engineer reads in a shell or a CI log.

Colour only when asked for (the CLI decides from the terminal and NO_COLOR).
"""

from __future__ import annotations

from drift.model import SEVERITY_LABELS
from drift.report import inert
from drift.report.document import Document, FindingDoc

_COLORS = {"error": "31", "warning": "33", "info": "36", "ok": "32", "partial": "33", "failed": "31"}


def _paint(text: str, tone: str, color: bool) -> str:
    code = _COLORS.get(tone)
    return f"\x1b[{code}m{text}\x1b[0m" if color and code else text


def _finding_lines(finding: FindingDoc, color: bool, widths: tuple[int, int]) -> list[str]:
    severity = _paint(f"{finding['severity'].upper():<7}", finding["severity"], color)
    env = (finding["env"] or "*").ljust(widths[0])
    key = (finding["key"] or "-").ljust(widths[1])
    new = "NEW " if finding["status"] == "new" else ""
    inferred = "(inferred) " if finding["basis"] == "inferred" else ""
    lines = [f"{severity} {env}  {key}  {finding['rule']:<18}  {new}{inferred}{finding['message']}"]
    details = []
    if finding["expected"] is not None:
        details.append(f"expected: {finding['expected']}")
    if finding["actual"] is not None:
        details.append(f"actual: {finding['actual'] if finding['actual'] != '' else '(empty)'}")
    if finding["location"]:
        details.append(f"at {finding['location']}")
    if details:
        lines.append(" " * 8 + " · ".join(details))
    lines.append(" " * 8 + f"fix: {finding['fix']}")
    if finding.get("command"):
        lines.append(" " * 8 + f"run: {finding.get('command')}")
    return lines


def render(document: Document, color: bool = False) -> str:
    """The scan as text: environments, findings, summary and exit code. Every string from
    the document is made inert first (one line each, no control characters)."""
    document = inert.deep(document, inert.terminal)
    dialect = f" · dialect {document['dialect']}" if document["dialect"] else ""
    schema = document["schema"] or "(none)"
    out = [f"drift {document['tool']['version']} · {document['project']} · schema {schema}{dialect}"]
    for env in document["environments"]:
        counts = env["findings"]
        found = ", ".join(
            _paint(f"{counts[level]} {level}{'s' if counts[level] != 1 and level != 'info' else ''}", level, color)
            for level in SEVERITY_LABELS[:2]
        )
        read = _paint("all sources read" if env["status"] == "ok" else f"sources {env['status']}", env["status"], color)
        deployed = "deployed" if env["deployed"] else "not deployed"
        out.append(f"  {env['name']:<14} {found:<22} · {read} · {env['keys']} keys ({deployed})")
        for source in env["sources"]:
            if source["status"] == "failed":
                out.append(
                    f"      {source['type']} {source['name']}: {_paint('unavailable', 'failed', color)}"
                    f" ({source['error']})"
                )
            elif source["status"] == "empty":
                out.append(f"      {source['type']} {source['name']}: read, holds no keys")
    findings = document["findings"]
    out.append("")
    if findings:
        widths = (
            max(len(f["env"] or "*") for f in findings),
            min(40, max(len(f["key"] or "-") for f in findings)),
        )
        for finding in findings:
            out.extend(_finding_lines(finding, color, widths))
        out.append("")
    else:
        out.append("No drift found.")
    out += _summary(document, color)
    return "\n".join(out) + "\n"


def summary(document: Document, color: bool = False) -> str:
    """The summary alone (`--quiet`): counts, the exit code and what changed since the last
    scan, a line each."""
    return "\n".join(_summary(inert.deep(document, inert.terminal), color)) + "\n"


def _summary(document: Document, color: bool) -> list[str]:
    findings = document["findings"]
    out = []
    counts = document["summary"]
    totals = ", ".join(
        _paint(f"{counts[level]} {level}{'s' if counts[level] != 1 and level != 'info' else ''}", level, color)
        for level in SEVERITY_LABELS
    )
    fail_on = document["fail_on"] or "none"
    out.append(
        f"{totals} · exit {document['exit_code']} (fail on {fail_on}"
        + (", new findings only" if document["new_only"] else "")
        + ")"
    )
    if document["previous_scan"]:
        new = sum(1 for f in findings if f["status"] == "new")
        out.append(
            f"since scan {document['previous_scan']}: {new} new, {len(document['resolved'])} resolved"
            + (f", {len(document['unverified'])} not re-checked (source unavailable)" if document["unverified"] else "")
        )
    if document["suppressed"]:
        out.append(
            f"{len(document['suppressed'])} suppressed by [[ignore]] entries (listed in the JSON and HTML reports)"
        )
    if findings:
        out.append("`drift explain RULE` says what a rule means and how to fix it.")
    return out
