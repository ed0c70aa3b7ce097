"""Rules from other packages: the `drift.rules` entry-point group (beside `drift.collectors`).

A plugin rule is a `Rule` subclass: its metadata (slug, default severity, title, explanation,
fix, scope) and its check in one class. Its metadata travels in `ScanResult.plugin_rules`
beside the built-in catalogue (which is never changed at run time), so the JSON `rules` table
and SARIF's rule descriptors know it; its check runs as an isolated pass, so a plugin that
raises is a `rule-error` finding naming it. Built-in rules win: a plugin claiming a built-in
slug is refused.

A project turns plugin rules on by name (`[drift] plugins = ["key-naming"]`): looking entry
points up costs tens of milliseconds, which the fast local check does not pay by default.

    # my_rules/__init__.py
    from drift.engine.plugins import Rule, RuleContext

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

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from drift.engine import catalog
from drift.errors import ConfigError
from drift.model import Entry, EnvSnapshot, Finding, Severity
from drift.schema import KeySpec, Schema

ENTRY_POINT_GROUP = "drift.rules"
SCOPES = ("schema", "environment", "across")


@dataclass(frozen=True)
class RuleContext:
    """What a rule may look at. `snapshot` is the environment being checked (scope
    `environment`), `snapshots` every selected environment; `display` is the only way to put
    a value in a finding: it masks whatever drift does not know to be no secret."""

    schema: Schema
    snapshots: Sequence[EnvSnapshot]
    display: Callable[[str, KeySpec | None, Entry], str | None]
    snapshot: EnvSnapshot | None = None


class Rule(ABC):
    """A rule from a plugin: metadata and check in one class."""

    slug: ClassVar[str]
    severity: ClassVar[Severity]
    title: ClassVar[str]
    explanation: ClassVar[str]
    fix: ClassVar[str]
    #: `schema` (once), `environment` (once per selected environment) or `across` (once).
    scope: ClassVar[str]

    @abstractmethod
    def check(self, context: RuleContext) -> Iterable[Finding]:
        """The findings; build each with `finding()`."""

    def finding(self, env: str | None, key: str | None, message: str, **fields: str | None) -> Finding:
        """A finding of this rule at its default severity (`expected`, `actual`, `location`,
        `discriminator` may be given; `actual` must come from `context.display`)."""
        return Finding(self.slug, self.severity, env, key, message, **fields)  # type: ignore[arg-type]


def load(names: Sequence[str]) -> tuple[Rule, ...]:
    """The named plugin rules, their metadata registered in the catalogue."""
    if not names:
        return ()
    from importlib.metadata import entry_points  # costs tens of ms: only for projects with plugins

    found = {e.name: e for e in entry_points(group=ENTRY_POINT_GROUP) if e.name in names}
    rules: list[Rule] = []
    for name in names:
        if name not in found:
            raise ConfigError(
                f"[drift] plugins: no installed rule plugin is named {name!r} (entry point group drift.rules)"
            )
        entry_point = found[name]
        where = f"rule plugin {entry_point.value}"
        try:
            loaded = entry_point.load()
        except Exception as exc:  # a plugin that does not import is a clear error, not a traceback
            raise ConfigError(f"{where} cannot be loaded ({type(exc).__name__})") from None
        if not (isinstance(loaded, type) and issubclass(loaded, Rule)):
            raise ConfigError(f"{where} is not a drift.engine.plugins.Rule")
        if loaded.slug != entry_point.name:
            raise ConfigError(f"{where} is registered as {entry_point.name!r} but declares slug {loaded.slug!r}")
        if loaded.scope not in SCOPES:
            raise ConfigError(f"{where}: scope must be one of {', '.join(SCOPES)}")
        if loaded.slug in catalog.RULES:
            raise ConfigError(f"{where} claims the rule {loaded.slug!r}, which drift already has")
        rules.append(loaded())
    return tuple(rules)


def info(rule: Rule) -> catalog.RuleInfo:
    """A plugin rule's metadata as the reports show every rule's."""
    return catalog.RuleInfo(rule.slug, rule.severity, rule.title, " ".join(rule.explanation.split()), rule.fix)


def passes(rules: Sequence[Rule], context: RuleContext) -> list[tuple[str, str | None, Callable[[], list[Finding]]]]:
    """Each rule's checks as named passes for `evaluate()` to run in isolation."""
    found: list[tuple[str, str | None, Callable[[], list[Finding]]]] = []
    for rule in rules:
        if rule.scope == "environment":
            for snapshot in context.snapshots:
                scoped = RuleContext(context.schema, context.snapshots, context.display, snapshot)
                found.append((f"{rule.slug} rule", snapshot.env, _runner(rule, scoped)))
        else:
            found.append((f"{rule.slug} rule", None, _runner(rule, context)))
    return found


def _runner(rule: Rule, context: RuleContext) -> Callable[[], list[Finding]]:
    def run() -> list[Finding]:
        made = list(rule.check(context))
        if any(f.rule != rule.slug for f in made):
            raise ValueError("a plugin rule made a finding of another rule")
        return made

    return run
