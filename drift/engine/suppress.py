"""Applying `[[ignore]]` entries: what they silence, and what is wrong with them.

A suppression needs a rule and a reason; an expired one no longer suppresses and is itself a
`suppression-expired` finding; one that matches nothing is `suppression-unused`.
`source-unavailable` can never be suppressed (the config loader refuses such an entry, and
this module would not match it anyway).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from datetime import date

from drift.engine import catalog
from drift.model import Finding, Suppression

NEVER_SUPPRESSED = frozenset({"source-unavailable"})


def _describe(entry: Suppression) -> str:
    parts = [f"rule {entry.rule}"]
    if entry.env is not None:
        parts.append(f"env {entry.env}")
    if entry.key is not None:
        parts.append(f"key {entry.key}")
    return ", ".join(parts)


def _in_scope(entry: Suppression, environments: Sequence[str]) -> bool:
    return entry.env is None or any(fnmatch.fnmatchcase(env, entry.env) for env in environments)


def apply_suppressions(
    findings: Sequence[Finding], entries: Sequence[Suppression], today: date, environments: Sequence[str]
) -> tuple[list[Finding], list[Finding]]:
    """(findings still counted, including the suppressions' own findings; suppressed ones).

    An entry is `suppression-unused` only if it could apply to the scanned `environments`.
    """
    active: list[Finding] = []
    suppressed: list[Finding] = []
    used: set[int] = set()
    live = [(index, entry) for index, entry in enumerate(entries) if not entry.expired(today)]
    for finding in findings:
        match = None
        if finding.rule not in NEVER_SUPPRESSED:
            match = next(((i, e) for i, e in live if e.matches(finding)), None)
        if match is None:
            active.append(finding)
        else:
            used.add(match[0])
            suppressed.append(finding._replace(suppressed_by=match[1].reason))
    for index, entry in enumerate(entries):
        where = entry.location or f"[[ignore]] #{index + 1}"
        if entry.expired(today):
            active.append(
                catalog.rule("suppression-expired").finding(
                    None,
                    None,
                    f"the suppression of {_describe(entry)} expired on {entry.expires}; it no longer suppresses",
                    location=entry.location,
                    discriminator=where,
                )
            )
        elif index not in used and _in_scope(entry, environments):
            active.append(
                catalog.rule("suppression-unused").finding(
                    None,
                    None,
                    f"the suppression of {_describe(entry)} matches no finding",
                    location=entry.location,
                    discriminator=where,
                )
            )
    active.sort(key=Finding.sort_key)
    return active, suppressed
