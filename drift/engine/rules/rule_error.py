"""`rule-error`: a check raised, or two findings share an id. Made by the engine
(`drift.engine.evaluate`), which runs every check in isolation."""

from __future__ import annotations

from drift.engine.rule import Rule
from drift.model import Severity


class RuleError(Rule):
    slug = "rule-error"
    severity = Severity.ERROR
    title = "A check failed inside drift"
    explanation = """One of drift's checks raised an error it did not anticipate (a bug in drift
    or in a rule plugin), or two findings came out with one id. The rest of the scan went on;
    the findings that check would have made are missing, so the result is not a clean bill of
    health and the exit code is at least 1. The message names the check, never a value."""
    fix = "Report it with the check's name; run with --debug for the frames."
    scope = "engine"


RULE = RuleError
