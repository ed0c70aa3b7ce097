"""The plugin API: what a package needs to add rules to drift through the `drift.rules`
entry-point group (beside `drift.collectors`). A plugin rule is exactly what a built-in rule
is (see `drift/engine/rules/`): a `Rule` subclass with its metadata and its check. Its check
runs in isolation, so a plugin that raises is a `rule-error` finding naming it, and its
metadata travels in `ScanResult.plugin_rules`, so the JSON `rules` table and SARIF's rule
descriptors know it.

A project turns plugin rules on by name (`[drift] plugins = ["key-naming"]`): looking entry
points up costs tens of milliseconds, which the fast local check does not pay by default.

    # my_rules/__init__.py
    from drift.engine.plugins import Rule, RuleContext
    from drift.model import Severity

    class KeyNaming(Rule):
        slug = "key-naming"
        severity = Severity.WARNING
        title = "Key is not UPPER_SNAKE_CASE"
        explanation = "..."
        fix = "Rename the key."
        scope = "environment"

        def check(self, context):
            for key, entry in context.snapshot.entries.items():
                if not key.isupper():
                    yield self.finding(context.snapshot.env, key, f"{key} is not upper case",
                                       location=entry.location)

    # the plugin's pyproject.toml
    [project.entry-points."drift.rules"]
    key-naming = "my_rules:KeyNaming"

    # the project's drift.toml
    [drift]
    plugins = ["key-naming"]
"""

from __future__ import annotations

from drift.engine.catalog import ENTRY_POINT_GROUP
from drift.engine.catalog import plugins as load
from drift.engine.rule import SCOPES, EnvironmentView, Rule, RuleContext

__all__ = ["ENTRY_POINT_GROUP", "SCOPES", "EnvironmentView", "Rule", "RuleContext", "load"]
