"""GitLab Code Quality: the merge-request widget's report, a JSON array of Code Climate
issues (`artifacts: reports: codequality:` in .gitlab-ci.yml).

GitLab reads `description`, `check_name`, `fingerprint`, `severity` and `location` (a path
and `lines.begin`); every issue needs a file, so a finding read from a store (an SSM
parameter, a secret) is placed on the schema file, with the resource named in its text.
Fingerprints hash the finding id (stable across runs, unique per finding), so the widget
tells new issues from fixed ones between the target branch and the merge request.
Suppressed findings are left out: the widget has no notion of them.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from drift.model import Location
from drift.report.document import Document, FindingDoc

#: drift's severities on GitLab's scale; a secret rule's error is critical.
SEVERITIES = {"error": "major", "warning": "minor", "info": "info"}


def render(document: Document) -> str:
    """The issues as JSON text (ASCII only: no raw line separator reaches a log)."""
    prefix = document["repository_prefix"]
    fallback = document["schema"] or "drift.toml"
    issues = [_issue(finding, fallback, prefix) for finding in document["findings"]]
    return json.dumps(issues, indent=2) + "\n"


def _issue(finding: FindingDoc, fallback: str, prefix: str) -> dict[str, Any]:
    where = Location.of(finding["location"])
    path, line, resource = fallback, 1, None
    if where is not None and where.resource is None and where.path:
        path, line = where.path, where.line or 1
    elif where is not None:
        resource = where.resource if not (where.resource or "").startswith("/") else None
    description = finding["message"] + (f" (at {resource})" if resource else "")
    body = f"**Fix:** {finding['fix']}" + (f"\n\n`{finding['command']}`" if finding["command"] else "")
    secret = finding["rule"].startswith("secret-")
    return {
        "type": "issue",
        "check_name": finding["rule"],
        "description": description,
        "content": {"body": body},
        "categories": ["Security"] if secret else ["Bug Risk"],
        "fingerprint": hashlib.sha256(finding["id"].encode("utf-8", "surrogatepass")).hexdigest(),
        "severity": "critical" if secret and finding["severity"] == "error" else SEVERITIES[finding["severity"]],
        "location": {"path": prefix + path, "lines": {"begin": line}},
    }
