"""The fleet report (`drift fleet`) in every format where it makes sense, each rendered from
the one JSON document `drift.actions.fleet.to_document` makes: terminal, json, markdown,
html (one self-contained page, as the scan report) and openmetrics (for a Prometheus alert
on stale projects or new drift across the fleet). Names only (projects, environments,
rules, keys); no value reaches a saved scan, so none can reach this report."""

from __future__ import annotations

import json
from typing import Any

from drift.report import inert

FORMATS = ("terminal", "json", "markdown", "html", "openmetrics")
#: Rules listed as the fleet's most frequent.
TOP_RULES = 10


def render(document: dict[str, Any], fmt: str) -> str:
    """The document in `fmt` (one of FORMATS)."""
    if fmt == "json":
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        return _markdown(document)
    if fmt == "html":
        return _html(document)
    if fmt == "openmetrics":
        return _openmetrics(document)
    return _terminal(document)


def _state(project: dict[str, Any]) -> str:
    if project["error"] is not None:
        return "unreadable"
    if project["scanned_at"] is None:
        return "no scan saved"
    return f"stale ({project['age_days']:.0f} days)" if project["stale"] else "ok"


def _oldest(project: dict[str, Any]) -> str:
    oldest = project["oldest"]
    if oldest is None:
        return ""
    where = "/".join(part for part in (oldest["env"], oldest["key"]) if part)
    return f"{oldest['first_seen'][:10]} {oldest['rule']} {where}".strip()


def _trend(project: dict[str, Any]) -> str:
    """`12 → 9 → 4` errors over the saved scans (the last five)."""
    return " → ".join(str(point["error"]) for point in project["trend"][-5:])


def _projects(count: int) -> str:
    return f"{count} project{'s' if count != 1 else ''}"


def _terminal(document: dict[str, Any]) -> str:
    summary = document["summary"]
    lines = [
        f"drift fleet · {_projects(summary['projects'])} · {summary['with_errors']} with errors · "
        f"{summary['with_new']} with new drift · {summary['stale']} stale · {summary['unreadable']} unreadable",
        "",
        f"{'project':<28} {'errors':>6} {'warn':>6} {'new':>5}  {'state':<18} oldest unresolved",
    ]
    for p in document["projects"]:
        totals = p["totals"]
        lines.append(
            f"{inert.terminal(p['name'])[:28]:<28} {totals['error']:>6} {totals['warning']:>6} {p['new']:>5}  "
            f"{_state(p):<18} {_oldest(p)}"
        )
        if p["error"] is not None:
            lines.append(f"    {p['error']}")
    if document["rules"]:
        top = ", ".join(f"{r['rule']} ({r['findings']} in {r['projects']})" for r in document["rules"][:TOP_RULES])
        lines += ["", f"most frequent rules: {top}"]
    for shared in document["shared_secrets"]:
        held = ", ".join(f"{h['project']}/{h['environment']}/{h['key']}" for h in shared["holders"])
        lines.append(f"masked value {shared['fingerprint_prefix']} held by {held}")
    # names come from saved scans anyone with write access to the bucket could have written:
    # every line one inert terminal line, none that a CI runner takes for a workflow command
    return inert.lines("\n".join(lines)) + "\n"


def _markdown(document: dict[str, Any]) -> str:
    from drift.report.jinja import environment

    return (
        environment()
        .get_template("fleet.md.j2")
        .render(doc=document, state=_state, oldest=_oldest, trend=_trend, top=TOP_RULES, projects=_projects)
    )


def _html(document: dict[str, Any]) -> str:
    from markupsafe import Markup

    from drift.report.html import asset, source_hash
    from drift.report.jinja import environment

    style = asset("report.css")  # the scan report's stylesheet; the page has no script
    csp = f"default-src 'none'; style-src {source_hash(style)}; img-src 'none'; base-uri 'none'; form-action 'none'"
    document = inert.deep(document, inert.xml)
    envs = sorted({env for p in document["projects"] for env in p["environments"]})
    return (
        environment()
        .get_template("fleet.html.j2")
        .render(
            doc=document,
            csp=csp,
            style=Markup(style),
            envs=envs,
            state=_state,
            oldest=_oldest,
            trend=_trend,
            top=TOP_RULES,
            projects=_projects,
        )
    )


def _openmetrics(document: dict[str, Any]) -> str:
    from prometheus_client import CollectorRegistry, Gauge, generate_latest

    document = inert.deep(document, inert.terminal)  # label values read in terminals: no raw control characters
    found = CollectorRegistry()
    findings = Gauge(
        "drift_fleet_findings",
        "Findings of each project's latest scan",
        ["project", "environment", "severity"],
        registry=found,
    )
    new = Gauge("drift_fleet_new_findings", "Findings new in each project's latest scan", ["project"], registry=found)
    scanned = Gauge(
        "drift_fleet_scan_timestamp_seconds", "When each project was last scanned", ["project"], registry=found
    )
    stale = Gauge(
        "drift_fleet_stale", "1 when a project has no scan within the stale days", ["project"], registry=found
    )
    up = Gauge("drift_fleet_history_up", "1 when the project's history was read", ["project"], registry=found)
    from datetime import datetime

    for p in document["projects"]:
        up.labels(p["name"]).set(p["error"] is None)
        if p["error"] is not None:
            continue
        stale.labels(p["name"]).set(p["stale"])
        new.labels(p["name"]).set(p["new"])
        if p["scanned_at"]:
            scanned.labels(p["name"]).set(datetime.fromisoformat(p["scanned_at"]).timestamp())
        for env, by in p["environments"].items():
            for severity, count in by.items():
                findings.labels(p["name"], env, severity).set(count)
    return generate_latest(found).decode("utf-8")
