"""`cross-env-reference`: a reference into a store that another environment owns."""

from __future__ import annotations

from collections.abc import Mapping
from operator import attrgetter

from drift.engine.rule import EnvironmentView, Rule
from drift.model import Entry, Finding, Severity
from drift.schema import KeySpec

_METADATA = attrgetter("metadata")


class CrossEnvReference(Rule):
    slug = "cross-env-reference"
    severity = Severity.ERROR
    title = "Reference into another environment's store"
    explanation = """A reference (an ECS `secrets` valueFrom) points into a parameter path or
    secret prefix that the configuration lists as a source of another environment, e.g. a
    production task definition reading /mre/staging/DATABASE_URL."""
    fix = "Point the reference at this environment's own path or prefix."
    scope = "entry"
    keys = ("present", "undeclared")

    def applies_to(self, view: EnvironmentView) -> bool:
        # no environment with a store to point into, or no entry with metadata: nothing to
        # look at (the second test runs in C over every entry, 100,000 on 20 x 5,000 keys)
        if not any(view.state.namespaces.values()) or not any(map(len, map(_METADATA, view.entries.values()))):
            return False
        return any("reference" in e.metadata for e in view.entries.values())

    def check_entry(
        self, view: EnvironmentView, name: str, spec: KeySpec | None, entry: Entry | None
    ) -> Finding | None:
        assert entry is not None
        reference = entry.metadata.get("reference") if entry.metadata else None
        if not isinstance(reference, str) or entry.value is None:
            return None
        owner = _owner(view.state.namespaces, reference, view.env)
        if owner is None:
            return None
        return self.finding(
            view.env,
            name,
            f"{name} in {view.env} references {reference}, which belongs to environment {owner}",
            expected=f"a reference into {view.env}'s own store",
            location=entry.location,
        )


def _owner(namespaces: Mapping[str, tuple[str, ...]], reference: str, env: str) -> str | None:
    """The other environment whose configured path or prefix holds `reference`, if any."""
    if any(reference.startswith(prefix) for prefix in namespaces.get(env, ())):
        return None
    for other, prefixes in namespaces.items():
        if other != env and any(reference.startswith(prefix) for prefix in prefixes):
            return other
    return None


RULE = CrossEnvReference
