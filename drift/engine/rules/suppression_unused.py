"""`suppression-unused`: an `[[ignore]]` entry that matches no finding. Made by the engine
while it applies suppressions (`drift.engine.suppress`)."""

from __future__ import annotations

from drift.engine.rule import Rule
from drift.model import Severity


class SuppressionUnused(Rule):
    slug = "suppression-unused"
    severity = Severity.WARNING
    title = "Suppression matches nothing"
    explanation = """An [[ignore]] entry matches no finding of this scan: the drift it silenced
    is gone, or its rule, env or key pattern is wrong."""
    fix = "Remove the entry, or correct its patterns."
    scope = "engine"


RULE = SuppressionUnused
