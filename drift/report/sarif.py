"""SARIF 2.1.0, built as data: one rule per drift rule, one result per finding.

Locations are relative to the repository root (the project's `.env.example` line of the key,
or the env file line, behind `repository_prefix`); ARNs and other non-file locations become
logical locations. `partialFingerprints` hash the finding id, which is stable across runs
and unique per finding, so code scanning keeps an alert's identity from one run to the next.
At most MAX_RESULTS results are listed, the rest counted in a notification.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from drift import HOME
from drift.engine import catalog
from drift.model import Location
from drift.report.document import Document, FindingDoc

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
#: The most results GitHub code scanning accepts in a run; the rest are counted in a notification.
MAX_RESULTS = 25_000


def _location(finding: FindingDoc, fallback: str | None, prefix: str) -> dict[str, Any]:
    """A file and line for every result (code scanning drops a result without one): the
    finding's own, else, for one read from a store (an ARN, a parameter), the schema file's
    first line with the resource as a logical location beside it."""
    where = Location.of(finding["location"] or fallback)
    logical: list[dict[str, Any]] = []
    if where is not None and where.resource is not None:
        if where.resource.startswith("/"):  # a file outside the project: never its absolute path
            logical = [{"name": where.resource.rsplit("/", 1)[-1], "kind": "resource"}]
        else:
            logical = [{"fullyQualifiedName": where.resource, "kind": "resource"}]
        where = Location.of(fallback)
    if where is not None and where.anchor is not None:  # a Compose service, a workload
        logical = [{"name": where.anchor, "kind": "object"}]
    if where is None or where.path is None:
        return {"logicalLocations": logical or [{"name": finding["env"] or "schema", "kind": "module"}]}
    physical: dict[str, Any] = {
        "artifactLocation": {"uri": prefix + where.path, "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": where.line or 1},
    }
    return {"physicalLocation": physical, **({"logicalLocations": logical} if logical else {})}


def _name(title: str, slug: str) -> dict[str, str]:
    """A readable name from the title ("Required key missing" -> RequiredKeyMissing): SARIF
    wants it to differ from the opaque id, or be left out."""
    name = "".join(word[:1].upper() + word[1:] for word in re.findall(r"[A-Za-z0-9]+", title))
    return {"name": name} if name and name.lower() != slug.replace("-", "").lower() else {}


def _security(slug: str, severity: str) -> dict[str, Any]:
    """Code scanning ranks a rule tagged `security` by its `security-severity` (0-10): the
    secret rules are security findings, high when they fail a run by default."""
    if not slug.startswith("secret-"):
        return {}
    return {"properties": {"tags": ["security"], "security-severity": "8.0" if severity == "error" else "5.0"}}


def to_sarif(document: Document) -> dict[str, Any]:
    """The SARIF log as a dict."""
    slugs = sorted(document["rules"])
    index = {slug: i for i, slug in enumerate(slugs)}
    rules = [
        {
            "id": slug,
            **_name(info["title"], slug),
            **({"helpUri": catalog.help_uri(slug)} if catalog.help_uri(slug) else {}),
            "shortDescription": {"text": info["title"]},
            "fullDescription": {"text": info["explanation"]},
            # code scanning shows `help.markdown` in place of the explanation: it holds both
            "help": {
                "text": f"{info['explanation']}\n\nFix: {info['fix']}",
                "markdown": f"{info['explanation']}\n\n**Fix:** {info['fix']}",
            },
            "defaultConfiguration": {"level": LEVELS[info["severity"]]},
            **_security(slug, info["severity"]),
        }
        for slug, info in ((s, document["rules"][s]) for s in slugs)
    ]
    results = []
    suppressed = [(f, f["reason"]) for f in document["suppressed"]]
    for finding, reason in [(f, None) for f in document["findings"]] + suppressed:
        text = finding["message"]
        digest = hashlib.sha256(finding["id"].encode("utf-8", "surrogatepass")).hexdigest()
        if finding["expected"] is not None:
            text += f" (expected: {finding['expected']})"
        result: dict[str, Any] = {
            "ruleId": finding["rule"],
            "ruleIndex": index[finding["rule"]],
            "level": LEVELS[finding["severity"]],
            "message": {"text": text + (f" Fix: {finding.get('command')}" if finding.get("command") else "")},
            "locations": [_location(finding, document["schema"], document["repository_prefix"])],
            # code scanning tells alerts apart by primaryLocationLineHash: set from the finding
            # id, two findings of one rule on one line stay two alerts
            "partialFingerprints": {"driftFindingId/v1": digest, "primaryLocationLineHash": digest},
            "properties": {
                "id": finding["id"],
                "environment": finding["env"],
                "key": finding["key"],
                "basis": finding["basis"],
            },
        }
        if finding["status"] is not None:
            result["baselineState"] = "new" if finding["status"] == "new" else "unchanged"
        if reason is not None:
            result["suppressions"] = [{"kind": "external", "justification": reason}]
        results.append(result)
    notifications = []
    if len(results) > MAX_RESULTS:
        notifications.append(
            {
                "level": "warning",
                "message": {
                    "text": f"{len(results) - MAX_RESULTS:,} more results not listed (code scanning takes "
                    f"{MAX_RESULTS:,} a run); the JSON report has them all"
                },
            }
        )
        results = results[:MAX_RESULTS]
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "drift",
                        "version": document["tool"]["version"],
                        "semanticVersion": document["tool"]["version"],
                        "informationUri": HOME,
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "the repository root"}}},
                "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": notifications}],
                "results": results,
                "columnKind": "unicodeCodePoints",
            }
        ],
    }


def render(document: Document) -> str:
    """SARIF as compact JSON text: its readers are programs, and the standard library's C
    encoder (which indentation turns off) keeps a 30,000-result log at a third of the
    memory and time."""
    return json.dumps(to_sarif(document), ensure_ascii=False, separators=(",", ":")) + "\n"
