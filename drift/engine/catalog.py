"""The one list of rules drift runs: its built-in rules (one module each in
`drift/engine/rules/`) and, when a project turns them on, plugin rules from the `drift.rules`
entry-point group. Both are loaded and checked the same way (`checked`), so a built-in rule
is exactly what a plugin rule is, and `drift explain`, the README's rule table, the reports'
rule tables and SARIF's rule descriptors all come from the rules' own metadata.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from pathlib import Path

from drift.engine.rule import KEY_STATES, SCOPES, Example, Rule
from drift.errors import ConfigError

ENTRY_POINT_GROUP = "drift.rules"
#: Scopes only built-in rules have: `lint` runs in `drift schema lint` only; `engine` rules
#: are made by the engine about its own work (suppressions, a check that raised).
BUILTIN_SCOPES = (*SCOPES, "lint", "engine")


def checked(loaded: object, where: str, name: str, scopes: Sequence[str] = SCOPES) -> Rule:
    """An instance of a loaded rule class, after the checks every rule passes: a Rule
    subclass, registered under its own slug, with known scopes and complete metadata."""
    if not (isinstance(loaded, type) and issubclass(loaded, Rule)):
        raise ConfigError(f"{where} is not a drift.engine.plugins.Rule")
    rule = loaded()
    for field in ("slug", "severity", "title", "explanation", "fix", "scope"):
        if not hasattr(rule, field):
            raise ConfigError(f"{where} does not declare its {field}")
    if rule.slug != name:
        raise ConfigError(f"{where} is registered as {name!r} but declares slug {rule.slug!r}")
    if not rule.scopes or any(scope not in scopes for scope in rule.scopes):
        raise ConfigError(f"{where}: scope must be one of {', '.join(scopes)}")
    if any(state not in KEY_STATES for state in rule.keys):
        raise ConfigError(f"{where}: keys must be among {', '.join(KEY_STATES)}")
    return rule


def _builtins() -> dict[str, Rule]:
    """Every module of drift.engine.rules, by slug. The folder is listed directly: pkgutil
    would load `inspect`, which the pre-commit check otherwise never needs."""
    from drift.engine import rules as package

    found: dict[str, Rule] = {}
    for module in sorted(path.stem for path in Path(package.__path__[0]).glob("[!_]*.py")):
        loaded = getattr(importlib.import_module(f"{package.__name__}.{module}"), "RULE", None)
        rule = checked(loaded, f"built-in rule module {module}", module.replace("_", "-"), BUILTIN_SCOPES)
        found[rule.slug] = rule
    return found


#: The built-in rules by slug (never changed at run time).
RULES: dict[str, Rule] = _builtins()


def rule(slug: str) -> Rule:
    """A built-in rule by slug (KeyError when there is none)."""
    return RULES[slug]


def plugins(names: Sequence[str]) -> tuple[Rule, ...]:
    """The named plugin rules (`[drift] plugins`). Built-in rules win: a plugin claiming a
    built-in slug is refused."""
    if not names:
        return ()
    from importlib.metadata import entry_points  # costs tens of ms: only for projects with plugins

    found = {e.name: e for e in entry_points(group=ENTRY_POINT_GROUP) if e.name in names}
    loaded: list[Rule] = []
    for name in names:
        if name not in found:
            raise ConfigError(
                f"[drift] plugins: no installed rule plugin is named {name!r} (entry point group {ENTRY_POINT_GROUP})"
            )
        entry_point = found[name]
        where = f"rule plugin {entry_point.value}"
        try:
            cls = entry_point.load()
        except Exception as exc:  # a plugin that does not import is a clear error, not a traceback
            raise ConfigError(f"{where} cannot be loaded ({type(exc).__name__})") from None
        plugin = checked(cls, where, entry_point.name)
        if plugin.slug in RULES:
            raise ConfigError(f"{where} claims the rule {plugin.slug!r}, which drift already has")
        loaded.append(plugin)
    return tuple(loaded)


#: How the README names each scope.
SCOPE_NAMES = {
    "schema": "the schema",
    "environment": "each environment",
    "entry": "each key of each environment",
    "across": "across environments",
    "history": "since the last saved scan",
    "lint": "`schema lint`",
    "engine": "drift itself",
}


def markdown_table() -> str:
    """Every built-in rule as the README's table (`drift explain --markdown`), from the rules'
    own metadata; a test holds the README to it."""
    lines = ["| rule | default | looks at | what it finds |", "| --- | --- | --- | --- |"]
    for slug in sorted(RULES):
        info = RULES[slug]
        where = ", ".join(SCOPE_NAMES[s] for s in info.scopes)
        text = f"**{info.title}.** {info.explanation}".replace("|", "\\|")
        lines.append(f"| `{slug}` | {info.severity.label} | {where} | {text} |")
    return "\n".join(lines) + "\n"


def help_uri(slug: str) -> str:
    """The rule's section of docs/rules.md (SARIF `helpUri`); plugin rules have none."""
    from drift import HOME

    return f"{HOME}/blob/main/docs/rules.md#{slug}" if slug in RULES else ""


def rule_markdown(slug: str) -> str:
    """One built-in rule as docs/rules.md has it: its title, explanation, fix and example."""
    info = RULES[slug]
    where = ", ".join(SCOPE_NAMES[s] for s in info.scopes)
    lines = [f"## {slug}", "", f"**{info.title}** ({info.severity.label} by default; looks at {where})", ""]
    lines += [info.explanation, "", f"**Fix:** {info.fix}", ""]
    if info.example is not None:
        lines += ["```text", example_text(info.example).rstrip("\n"), "```", ""]
    return "\n".join(lines)


def rules_document() -> str:
    """docs/rules.md: every built-in rule, one section each, so that a rule's help link
    (SARIF `helpUri`) lands on it. A test holds the file to this text."""
    head = "# Rules\n\nGenerated from the rules' own metadata (`drift explain --markdown RULE` prints one).\n\n"
    return head + "\n".join(rule_markdown(slug) for slug in sorted(RULES))


def example_text(example: Example) -> str:
    """A rule's example as `drift explain RULE` prints it: the files where it fires, then
    as fixed."""

    def files(schema: str, envs: Mapping[str, str]) -> list[str]:
        lines = ["  .env.example:", *(f"    {line}" for line in schema.splitlines())]
        for env, text in envs.items():
            lines += [f"  {env}.env:", *(f"    {line}" if line else "    (empty)" for line in text.splitlines())]
        return lines

    out = ["Fires on:", *files(example.schema, example.bad), "Fixed:"]
    out += files(example.good_schema or example.schema, example.good)
    return "\n".join(out) + "\n"
