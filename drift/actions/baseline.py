"""`drift baseline`: today's findings as `[[ignore]]` entries in a file of their own, so a
team can adopt drift on a project that already drifts without rewriting drift.toml.

Each entry names the exact rule, environment and key, carries a reason to fill in and an
expiry date. `source-unavailable` is never baselined.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from drift.engine import catalog
from drift.engine.suppress import NEVER_SUPPRESSED
from drift.model import Finding
from drift.platform.files import write_atomic

REASON = "baselined: explain why this is accepted, or fix it"
#: Events (history rules) and the engine's own findings (suppressions, a check that failed)
#: describe this run, not drift to accept.
NOT_BASELINED = frozenset(
    rule.slug for rule in catalog.RULES.values() if "history" in rule.scopes or "engine" in rule.scopes
)


def _glob_literal(text: str) -> str:
    """A key or environment as a glob that matches only itself."""
    return "".join(f"[{c}]" if c in "*?[]" else c for c in text)


def write_baseline(path: Path, findings: Sequence[Finding], days: int) -> tuple[int, int]:
    """Write the file; returns (entries written, findings skipped)."""
    expires = (datetime.now(UTC) + timedelta(days=days)).date().isoformat()
    seen: set[tuple[str, str | None, str | None]] = set()
    blocks = [
        "# drift baseline: findings accepted when drift was adopted.",
        f"# Written {datetime.now(UTC):%Y-%m-%d} by `drift baseline`; each entry expires on {expires}.",
        "# Replace each reason with why it is accepted, or fix the drift and delete the entry.",
    ]
    skipped = 0
    for finding in findings:
        if finding.rule in NEVER_SUPPRESSED:
            skipped += 1
            continue
        identity = (finding.rule, finding.env, finding.key)
        if identity in seen or finding.rule in NOT_BASELINED:
            continue
        seen.add(identity)
        lines = ["", "[[ignore]]", f"rule = {json.dumps(finding.rule)}"]
        if finding.env is not None:
            lines.append(f"env = {json.dumps(_glob_literal(finding.env))}")
        if finding.key is not None:
            lines.append(f"key = {json.dumps(_glob_literal(finding.key))}")
        lines += [f"reason = {json.dumps(REASON)}", f"expires = {expires}", f"# {finding.message}"]
        blocks.extend(lines)
    write_atomic(path, "\n".join(blocks) + "\n")
    return len(seen), skipped
