"""`suppression-expired`: an `[[ignore]]` entry past its `expires` date. Made by the engine
while it applies suppressions (`drift.engine.suppress`)."""

from __future__ import annotations

from drift.engine.rule import Rule
from drift.model import Severity


class SuppressionExpired(Rule):
    slug = "suppression-expired"
    severity = Severity.WARNING
    title = "Suppression has expired"
    explanation = """An [[ignore]] entry (in drift.toml or the baseline) is past its `expires`
    date, so it no longer suppresses anything: the findings it silenced are reported again."""
    fix = "Fix the findings, or extend the entry's `expires` with a reason that still holds."
    scope = "engine"


RULE = SuppressionExpired
