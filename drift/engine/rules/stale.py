"""`stale`: a secret unchanged for longer than its `max_age`."""

from __future__ import annotations

from datetime import UTC, datetime

from drift.engine.rule import EnvironmentView, Rule
from drift.model import Entry, Finding, Severity
from drift.schema import KeySpec

DAY = 86400


class Stale(Rule):
    slug = "stale"
    severity = Severity.WARNING
    title = "Secret older than its maximum age"
    explanation = """The key's `max_age` (@max-age) says how long a value may go unchanged; the
    store says it was last changed or rotated longer ago than that."""
    fix = "Rotate the secret (and consider Secrets Manager rotation)."
    scope = "entry"

    def applies(self, spec: KeySpec) -> bool:
        return spec.max_age is not None

    def check_entry(
        self, view: EnvironmentView, name: str, spec: KeySpec | None, entry: Entry | None
    ) -> Finding | None:
        assert spec is not None and spec.max_age is not None and entry is not None
        changed = _last_changed(entry)
        if entry.value is None or changed is None:
            return None
        age = (view.state.now - changed).total_seconds()
        if age <= spec.max_age:
            return None
        limit = int(spec.max_age // DAY)
        return self.finding(
            view.env,
            name,
            f"{name} in {view.env} was last changed {int(age // DAY)} days ago, more than its maximum age of "
            f"{limit} days",
            expected=f"changed within {limit} days",
            location=entry.location,
        )


def _last_changed(entry: Entry) -> datetime | None:
    """When the store says the value last changed (or was rotated), if it says."""
    text = entry.metadata.get("last_changed")
    if not isinstance(text, str):
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


RULE = Stale
