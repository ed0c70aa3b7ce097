"""The HTML report: one self-contained page (inline CSS and JS, no request leaves it).

The Content-Security-Policy allows nothing but the page's own inline script and style, by
hash. Every value goes through Jinja's autoescaping; the script reads the DOM and never
receives data, so a hostile value cannot become code.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from importlib import resources

from markupsafe import Markup

from drift.model import SEVERITY_LABELS
from drift.report import inert
from drift.report.document import Document, RowDoc
from drift.report.jinja import environment

SEVERITIES = SEVERITY_LABELS
#: New findings listed in their own table; the rest are a link to the findings filtered to
#: the new ones (the trend and the findings stay near the top of a report with hundreds).
NEW_SHOWN = 20
CHART_WIDTH = 640
LABEL_WIDTH = 140
CLIP = 80
#: Rows of the matrix laid out on load; the rest wait in closed <details> of CHUNK_ROWS rows,
#: since laying out a table of 100,000 cells takes Chromium seconds. Chromium lays out a row
#: of 21 cells in about half a millisecond: 100 rows keep clearing a search (which shows them
#: all again) under 100 ms (benchmarks/README.md).
OPEN_ROWS = 100
CHUNK_ROWS = 250


@dataclass
class Segment:
    severity: str
    count: int
    x: float
    width: float


@dataclass
class Bar:
    label: str
    y: int
    total: int
    end: float
    segments: list[Segment] = field(default_factory=list)


def asset(name: str) -> str:
    """A file of the package's templates (report.css, report.js), never a user path."""
    return resources.files("drift.report").joinpath("templates", name).read_text(encoding="utf-8")


def source_hash(text: str) -> str:
    """The CSP source that admits exactly this inline script or style."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def chart(document: Document) -> dict[str, object]:
    """Stacked bars of findings per environment (and one for cross-environment findings)."""
    labels = [env["name"] for env in document["environments"]]
    counts: dict[str, dict[str, int]] = {label: dict.fromkeys(SEVERITIES, 0) for label in [*labels, "across"]}
    for finding in document["findings"]:
        counts[finding["env"] or "across"][finding["severity"]] += 1
    if not any(counts["across"].values()):
        del counts["across"]
    largest = max([sum(c.values()) for c in counts.values()] + [1])
    scale = (CHART_WIDTH - LABEL_WIDTH - 40) / largest
    bars = []
    for index, (label, by_severity) in enumerate(counts.items()):
        bar = Bar(label, 8 + index * 26, sum(by_severity.values()), float(LABEL_WIDTH))
        for severity in SEVERITIES:
            if by_severity[severity]:
                width = round(by_severity[severity] * scale, 1)
                bar.segments.append(Segment(severity, by_severity[severity], round(bar.end, 1), width))
                bar.end += width
        bars.append(bar)
    return {"width": CHART_WIDTH, "height": 40 + 26 * len(bars), "bars": bars}


def trend(document: Document) -> dict[str, object] | None:
    """Polylines of errors and warnings over the saved scans (None with fewer than two)."""
    points = document["trend"]
    if len(points) < 2:
        return None
    width, height, top, left = CHART_WIDTH, 180, 10, 40
    base = height - 30
    largest = max([max(p["error"], p["warning"]) for p in points] + [1])
    step = (width - left - 10) / (len(points) - 1)

    def line(level: str) -> str:
        return " ".join(
            f"{left + i * step:.1f},{base - (p[level] / largest) * (base - top):.1f}"  # type: ignore[literal-required]
            for i, p in enumerate(points)
        )

    return {
        "width": width,
        "height": height,
        "top": top,
        "base": base,
        "largest": largest,
        "error": line("error"),
        "warning": line("warning"),
    }


def letter(group: int) -> str:
    """A, B, ..., Z, AA, AB, ...: a name for the n-th group of equal values."""
    name = ""
    group += 1
    while group:
        group, rest = divmod(group - 1, 26)
        name = chr(65 + rest) + name
    return name


def clip(value: str | None) -> str:
    """Long values are shortened in cells (the JSON report has them whole)."""
    text = value or ""
    return text if len(text) <= CLIP else text[: CLIP - 1] + "…"


def split_matrix(rows: list[RowDoc]) -> tuple[list[RowDoc], int, list[RowDoc]]:
    """Keys with any problem first (most findings first, then schema order); keys that agree
    everywhere go behind a count. Keys the schema does not declare, set in one environment
    only and with findings, are counted, not drawn: a row of one cell compares nothing, and
    each is a finding above (a nightly scan of a 1,000-parameter path has hundreds)."""
    problems: list[RowDoc] = []
    agreeing: list[RowDoc] = []
    lone = 0
    for row in rows:
        held = sum(cell["state"] != "missing" for cell in row["cells"].values())
        if row["findings"] and not row["declared"] and held == 1:
            lone += 1
        elif row["findings"] or row["status"] not in ("same", "single"):
            problems.append(row)
        else:
            agreeing.append(row)
    problems.sort(key=lambda r: -r["findings"])
    return problems, lone, agreeing


def render(document: Document) -> str:
    """The page (Jinja escapes markup; characters HTML forbids are made visible first)."""
    document = inert.deep(document, inert.xml)
    env = environment()
    env.filters.update(letter=letter, clip=clip)
    style, script = asset("report.css"), asset("report.js")
    csp = (
        f"default-src 'none'; script-src {source_hash(script)}; style-src {source_hash(style)}; "
        "img-src 'none'; base-uri 'none'; form-action 'none'"
    )
    problem_rows, lone_undeclared, agreeing_rows = split_matrix(document["matrix"])
    # within a severity, a rule's findings together: its fix is said once (and folded by rule)
    groups = [
        (level, sorted((f for f in document["findings"] if f["severity"] == level), key=lambda f: f["rule"]))
        for level in SEVERITIES
    ]
    return env.get_template("report.html.j2").render(
        doc=document,
        csp=csp,
        style=Markup(style),
        script=Markup(script),
        chart=chart(document),
        trend=trend(document),
        new_findings=[f for f in document["findings"] if f["status"] == "new"],
        new_shown=NEW_SHOWN,
        groups=[(level, items) for level, items in groups if items],
        envs=[e["name"] for e in document["environments"]],
        filter_envs=sorted({f["env"] or "*" for f in document["findings"]}),
        filter_rules=sorted({f["rule"] for f in document["findings"]}),
        problem_rows=problem_rows,
        lone_undeclared=lone_undeclared,
        agreeing_rows=agreeing_rows,
        open_rows=OPEN_ROWS,
        chunk_rows=CHUNK_ROWS,
    )
