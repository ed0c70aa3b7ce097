"""Markdown for pull-request comments and GitHub step summaries: a summary table, the errors,
then the rest inside <details>; cells escaped; capped under GitHub's 65,536-character limit."""

from __future__ import annotations

from drift.report.document import Document, FindingDoc
from drift.report.jinja import environment

LIMIT = 65_000


def _environments(document: Document) -> list[dict[str, object]]:
    rows = []
    for env in document["environments"]:
        counts = env["findings"]
        failed = [f"{s['name']}: {s['error']}" for s in env["sources"] if s["status"] == "failed"]
        rows.append({"name": env["name"], "status": env["status"], "reason": "; ".join(failed), **counts})
    return rows


def _render(document: Document, findings: list[FindingDoc], left_out: int) -> str:
    return (
        environment()
        .get_template("report.md.j2")
        .render(
            doc=document,
            environments=_environments(document),
            errors=[f for f in findings if f["severity"] == "error"],
            rest=[f for f in findings if f["severity"] != "error"],
            left_out=left_out,
            new_count=sum(1 for f in document["findings"] if f["status"] == "new"),
        )
    )


def render(document: Document, limit: int = LIMIT) -> str:
    """The Markdown report, dropping the last findings (least severe first) until it fits."""
    findings = document["findings"]
    text = _render(document, findings, 0)
    if len(text) <= limit:
        return text
    low, high = 0, len(findings)
    while low < high:  # the most findings that still fit
        middle = (low + high + 1) // 2
        if len(_render(document, findings[:middle], len(findings) - middle)) <= limit:
            low = middle
        else:
            high = middle - 1
    return _render(document, findings[:low], len(findings) - low)
