"""An example drift rule plugin: every key an environment sets must be UPPER_SNAKE_CASE.

Installed beside drift and turned on in drift.toml with `[drift] plugins = ["key-naming"]`;
drift's tests install this package and run it (tests/test_rule_plugins.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from drift.engine.plugins import Rule, RuleContext
from drift.model import Finding, Severity

_UPPER_SNAKE = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*")


class KeyNaming(Rule):
    """Keys in UPPER_SNAKE_CASE, as most loaders and shells expect them."""

    slug: ClassVar[str] = "key-naming"
    severity: ClassVar[Severity] = Severity.WARNING
    title: ClassVar[str] = "Key is not UPPER_SNAKE_CASE"
    explanation: ClassVar[str] = """Environment variable names in lower case, with dots or dashes, or
    with a leading digit work in some loaders and not in others (a shell cannot export them)."""
    fix: ClassVar[str] = "Rename the key to UPPER_SNAKE_CASE in every environment and in the schema."
    scope: ClassVar[str] = "environment"

    def check(self, context: RuleContext) -> Iterator[Finding]:
        snapshot = context.snapshot
        assert snapshot is not None  # an environment-scoped rule always gets its environment
        for key, entry in snapshot.entries.items():
            if not _UPPER_SNAKE.fullmatch(key):
                yield self.finding(
                    snapshot.env, key, f"{key} in {snapshot.env} is not UPPER_SNAKE_CASE", location=entry.location
                )
