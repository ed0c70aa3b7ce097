"""`local-value`: a deployed environment points at a developer's machine."""

from __future__ import annotations

from drift.engine.rule import EnvironmentView, Example, Rule
from drift.engine.secrecy import INFERRED
from drift.model import Entry, Finding, Severity
from drift.schema import KeySpec
from drift.schema.hosts import local_host

#: Types whose value names a place to reach.
_ADDRESS_TYPES = frozenset({"url", "str"})


class LocalValue(Rule):
    slug = "local-value"
    severity = Severity.ERROR
    title = "Deployed environment points at a developer's machine"
    explanation = """A URL or host in a deployed environment names localhost, a loopback or
    unspecified address (127.0.0.1, ::1, 0.0.0.0), Docker Desktop's host.docker.internal, or a
    .local / .test / .localhost name: on a server that is the server itself or nothing, almost
    always an example value copied from a developer's file. An error when the key's type is
    declared (`@type url`), an inferred warning otherwise. Bind addresses (HOST=0.0.0.0, *_BIND,
    LISTEN_*) are not hosts to reach and are never flagged."""
    fix = """Set the deployed service's own address (the database, cache or API this environment
    uses); if a sidecar really listens on localhost, declare it with an [[ignore]] entry."""
    scope = "entry"
    example = Example(
        "# @type url\nAPI_URL=http://localhost:4000\n",
        bad={"production": "API_URL=http://localhost:4000\n"},
        good={"production": "API_URL=https://api.acme.io\n"},
    )
    by_value = True
    keys = ("present", "undeclared")

    def applies(self, spec: KeySpec) -> bool:
        return spec.type in _ADDRESS_TYPES

    def applies_to(self, view: EnvironmentView) -> bool:
        return view.snapshot.deployed

    def check_entry(
        self, view: EnvironmentView, name: str, spec: KeySpec | None, entry: Entry | None
    ) -> Finding | None:
        assert entry is not None
        value = entry.value
        if not value or not view.snapshot.deployed:
            return None
        host = local_host(name, value)
        if host is None:
            return None
        declared = spec is not None and spec.type == "url" and "type" not in spec.inferred
        return self.finding(
            view.env,
            name,
            f"{name} in deployed environment {view.env} points at {host}, a developer's machine: "
            f"set the address of {view.env}'s own service",
            expected=f"the address {view.env} reaches",
            actual=view.display(name, spec, entry),
            location=entry.location,
            basis="declared" if declared else INFERRED,
        )


RULE = LocalValue
