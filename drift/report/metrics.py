"""Metrics in the Prometheus text exposition format, through `prometheus_client` (the
client library Prometheus maintains): for node_exporter's textfile collector
(`--output openmetrics:PATH`) and for a Pushgateway (`[metrics] pushgateway`).

What a monitoring system alerts on: findings by environment, severity and rule; each source
up or not; the exit code; the scan's duration and time; and the time of the last scan that
read every source (`drift_last_success_timestamp_seconds`), for a dead-man's switch. A
failed run does not reset that last one: a textfile keeps the value it held, a push leaves
the Pushgateway's. Labels carry names (environments, rules, sources), never a value.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from drift.report import inert
from drift.report.document import Document

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry

LAST_SUCCESS = "drift_last_success_timestamp_seconds"


def registry(document: Document, previous_success: float | None = None) -> CollectorRegistry:
    """The scan's metrics; `previous_success` carries the last successful scan's time through
    a run that could not read every source."""
    from prometheus_client import CollectorRegistry, Gauge

    document = inert.deep(document, inert.terminal)  # label values read in terminals: no raw control characters
    found = CollectorRegistry()
    project = document["project"]
    findings = Gauge(
        "drift_findings", "Findings of the scan", ["project", "environment", "severity", "rule"], registry=found
    )
    counts: dict[tuple[str, str, str], int] = {}
    for finding in document["findings"]:
        key = (finding["env"] or "*", finding["severity"], finding["rule"])
        counts[key] = counts.get(key, 0) + 1
    for (name, severity, rule), count in sorted(counts.items()):
        findings.labels(project, name, severity, rule).set(count)
    up = Gauge(
        "drift_source_up", "1 when the source was read", ["project", "environment", "type", "source"], registry=found
    )
    for env in document["environments"]:
        for source in env["sources"]:
            up.labels(project, env["name"], source["type"], source["name"]).set(source["status"] != "failed")
    Gauge("drift_exit_code", "The run's exit code", ["project"], registry=found).labels(project).set(
        document["exit_code"]
    )
    Gauge("drift_scan_duration_seconds", "Seconds the scan took", ["project"], registry=found).labels(project).set(
        document["duration_seconds"]
    )
    scanned = datetime.fromisoformat(document["scanned_at"]).timestamp()
    Gauge("drift_scan_timestamp_seconds", "When the scan ran", ["project"], registry=found).labels(project).set(scanned)
    succeeded = all(env["status"] == "ok" for env in document["environments"]) and document["exit_code"] in (0, 1)
    success = scanned if succeeded else previous_success
    if success is not None:
        Gauge(LAST_SUCCESS, "When a scan last read every source", ["project"], registry=found).labels(project).set(
            success
        )
    return found


def render(document: Document) -> str:
    """The metrics as Prometheus text."""
    from prometheus_client import generate_latest

    return generate_latest(registry(document)).decode("utf-8")


def textfile(document: Document, path: Path) -> str:
    """The metrics for node_exporter's textfile collector at `path`, keeping the last
    successful scan's time that the file held when this run could not read every source."""
    return _text(registry(document, _previous_success(path)))


def _text(found: CollectorRegistry) -> str:
    from prometheus_client import generate_latest

    return generate_latest(found).decode("utf-8")


def _previous_success(path: Path) -> float | None:
    """The last successful scan's time in an earlier textfile, if there is a readable one."""
    from prometheus_client.parser import text_string_to_metric_families

    from drift.platform.files import UnreadableFile, read_text

    try:
        text = read_text(path, 1024 * 1024)
    except UnreadableFile:
        return None
    try:
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                if sample.name == LAST_SUCCESS:
                    return float(sample.value)
    except (ValueError, TypeError):  # a damaged file: start over
        return None
    return None


def push(document: Document, gateway: str, job: str, timeout: float = 10.0) -> str | None:
    """Push the metrics to a Pushgateway (grouped by project; metrics of the same name
    replaced, so a failed run leaves the last success in place); the problem, or None."""
    from prometheus_client import pushadd_to_gateway

    try:
        pushadd_to_gateway(
            gateway,
            job=job,
            registry=registry(document),
            grouping_key={"project": document["project"]},
            timeout=timeout,
        )
    except OSError as exc:  # URLError, refused, timeouts
        return f"the Pushgateway at {gateway} did not take the metrics ({type(exc).__name__})"
    return None
