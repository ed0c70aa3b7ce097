"""`parity`: environments disagree on a key that must be the same (or must differ)."""

from __future__ import annotations

from collections.abc import Iterator

from drift.engine.cross_env import Seen, and_, describe, group, shared
from drift.engine.rule import Example, Rule, RuleContext
from drift.model import Finding, Severity


class Parity(Rule):
    slug = "parity"
    severity = Severity.ERROR
    title = "Environments disagree on a parity key"
    explanation = """The schema says this key must be the same in every environment (`parity =
    "same"`, @same) and it is not, or that no two environments may share a value (`parity =
    "differ"`, @differ) and some do. Only the selected environments are compared."""
    fix = "Make the values agree (or differ), or relax the key's parity in the schema."
    scope = "across"
    example = Example(
        "# @same\nLOG_FORMAT=json\n",
        bad={"staging": "LOG_FORMAT=json\n", "production": "LOG_FORMAT=text\n"},
        good={"staging": "LOG_FORMAT=json\n", "production": "LOG_FORMAT=json\n"},
    )

    def check(self, context: RuleContext) -> Iterator[Finding]:
        for key, spec, values in shared(context):
            if spec is None or spec.parity == "free":
                continue
            location = spec.location
            if spec.parity == "same":
                yield from self._same(key, values, location)
            elif not any(s.secrecy.shareable for s in values):  # a secret's sharing is `secret-reuse`'s
                yield from self._differ(key, values, location)

    def _same(self, key: str, values: list[Seen], location: str | None) -> Iterator[Finding]:
        groups = group(values)
        if len(groups) >= 2:
            yield self.finding(
                None,
                key,
                f"{key} must be the same in every environment but differs ({len(groups)} distinct values)",
                expected="the same value in every environment",
                actual=describe(groups),
                location=location,
            )

    def _differ(self, key: str, values: list[Seen], location: str | None) -> Iterator[Finding]:
        for members in group([s for s in values if not s.empty]):
            if len(members) >= 2:
                envs = [s.env for s in members]
                yield self.finding(
                    None,
                    key,
                    f"{key} must differ between environments but is the same in {and_(envs)}",
                    expected="a different value in each environment",
                    actual=describe([members]),
                    location=location,
                    discriminator="+".join(envs),
                )


RULE = Parity
