"""GitHub Actions integration: workflow annotations and the step summary.

Annotations go to stdout only when stdout carries the terminal format (never inside a
machine format). Their text is escaped as the workflow-command syntax requires.
"""

from __future__ import annotations

import os
from pathlib import Path

from drift.errors import OutputError
from drift.model import Location, Severity
from drift.report import inert
from drift.report.document import Document

_LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def active() -> bool:
    """Whether drift runs inside GitHub Actions."""
    return os.environ.get("GITHUB_ACTIONS") == "true"


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


#: GitHub shows at most 10 annotations of each level a step; the rest are summarised.
MAX_PER_LEVEL = 10


def workflow_annotations(document: Document) -> str:
    """`::error file=...,line=...,title=...::message` lines for findings at or above fail_on."""
    threshold = document["fail_on"]
    if threshold is None:
        return ""
    lines = []
    per_level: dict[str, int] = {}
    for finding in document["findings"]:
        if Severity.parse(finding["severity"]) < Severity.parse(threshold):
            continue
        level = _LEVELS[finding["severity"]]
        per_level[level] = per_level.get(level, 0) + 1
        if per_level[level] > MAX_PER_LEVEL:
            continue
        props = [f"title={_property('drift ' + finding['rule'])}"]
        where = Location.of(finding["location"])
        if where is not None and where.path is not None and where.line is not None:
            path = document["repository_prefix"] + where.path  # the runner names files from the workspace
            props = [f"file={_property(path)}", f"line={where.line}", *props]
        lines.append(f"::{level} {','.join(props)}::{_data(inert.terminal(finding['message']))}")
    for level, count in per_level.items():  # what the runner would drop, said in one line of its own
        if count > MAX_PER_LEVEL:
            more = count - MAX_PER_LEVEL
            lines.append(f"::{level} title=drift::{more} more {level} findings (the step summary lists them all)")
    return "\n".join(lines) + ("\n" if lines else "")


def append_step_summary(markdown: str) -> None:
    """Append to $GITHUB_STEP_SUMMARY when the runner provides it."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if target:
        try:
            with Path(target).open("a", encoding="utf-8") as handle:
                handle.write(markdown + "\n")
        except OSError as exc:
            raise OutputError(f"cannot append to $GITHUB_STEP_SUMMARY ({exc.strerror or type(exc).__name__})") from None
