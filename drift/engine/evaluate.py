"""The engine's entry point: a schema and snapshots in, ordered findings out. Pure: no I/O."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from functools import lru_cache

from drift.engine import catalog
from drift.engine.assertions import Compiled
from drift.engine.cross_env import check_across
from drift.engine.per_env import EnvironmentRules
from drift.engine.plugins import Rule, RuleContext
from drift.engine.plugins import passes as plugin_passes
from drift.engine.schema_rules import check_schema
from drift.engine.secrecy import SecrecyCache, display
from drift.model import EnvSnapshot, Finding, Severity
from drift.schema import Schema
from drift.secrets import Fingerprinter
from drift.suggest import NearMisses

#: What each fact a collector reports means.
FACT_RULES = {
    "unreadable-line": catalog.MALFORMED,
    "repeated-assignment": catalog.DUPLICATE,
    "unresolved-reference": catalog.DANGLING_REFERENCE,
    "conflicting-sources": catalog.SOURCE_CONFLICT,
}


def source_findings(snapshot: EnvSnapshot) -> list[Finding]:
    """`source-unavailable` for each failed source, plus what the sources reported."""
    found: list[Finding] = []
    for source in snapshot.sources:
        if source.status == "failed":
            found.append(
                catalog.SOURCE_UNAVAILABLE.finding(
                    snapshot.env,
                    None,
                    f"could not read {source.type} source {source.name} for {snapshot.env}: {source.error}",
                    location=source.name,
                    discriminator=f"{source.type}:{source.name}",
                )
            )
    for problem in snapshot.problems:
        info = FACT_RULES[problem.kind]
        found.append(
            info.finding(
                snapshot.env,
                problem.key,
                problem.message,
                location=problem.location,
                discriminator=problem.discriminator,
            )
        )
    return found


def evaluate(
    schema: Schema,
    snapshots: Sequence[EnvSnapshot],
    fingerprint: Fingerprinter,
    now: datetime,
    namespaces: Mapping[str, tuple[str, ...]] | None = None,
    secrecy: SecrecyCache | None = None,
    inferred: Severity = Severity.WARNING,
    assertions: Compiled | None = None,
    plugin_rules: Sequence[Rule] = (),
) -> list[Finding]:
    """Every finding, ordered by severity, environment, key and rule.

    `now` decides staleness; `namespaces` maps every configured environment (selected or not)
    to the reference prefixes its sources own, for `cross-env-reference`; `inferred` is the
    highest severity a finding that rests on an inference may have; `assertions` are the
    project's compiled `[[assert]]` tables.

    Each pass of checks is isolated: one that raises becomes a `rule-error` finding naming
    it (never a value or the exception's text), and the others still run.
    """
    near_misses = lru_cache(maxsize=1)(lambda: NearMisses(schema.specs))
    secrecy = secrecy or secrecy_for(schema)
    rules = EnvironmentRules(schema, fingerprint, near_misses, now, namespaces or {}, secrecy)
    passes: list[tuple[str, str | None, Callable[[], list[Finding]]]] = [
        ("schema rules", None, lambda: check_schema(schema))
    ]
    for snapshot in snapshots:
        passes.append(("source problems", snapshot.env, functools.partial(source_findings, snapshot)))
        passes.append(("environment rules", snapshot.env, functools.partial(rules.check, snapshot)))
    passes.append(("cross-environment rules", None, lambda: check_across(schema, snapshots, fingerprint, secrecy)))
    if assertions is not None:
        passes.append(("assertions", None, lambda: assertions.evaluate(snapshots)))
    if plugin_rules:
        context = RuleContext(schema, snapshots, lambda v, s, e: display(v, secrecy.of(e.key, s, e), fingerprint))
        passes.extend(plugin_passes(plugin_rules, context))
    found: list[Finding] = []
    for name, env, run in passes:
        found.extend(_isolated(name, env, run))
    found = [_graded(f, inferred) for f in found]
    found.sort(key=Finding.sort_key)
    return _unique(found)


def _isolated(name: str, env: str | None, run: Callable[[], list[Finding]]) -> list[Finding]:
    """The findings of one pass, or a `rule-error` finding if it raised."""
    try:
        return run()
    except Exception as exc:  # a bug in a check must not hide the others' findings
        return [
            catalog.RULE_ERROR.finding(
                env,
                None,
                f"drift's {name} failed ({type(exc).__name__})"
                + (f" in {env}" if env else "")
                + "; their findings are missing",
                discriminator=name,
            )
        ]


def secrecy_for(schema: Schema) -> SecrecyCache:
    """A secrecy cache that knows the schema's secret keys (for near-miss names)."""
    return SecrecyCache(name for name, spec in schema.specs.items() if spec.schema_secret)


def _graded(finding: Finding, inferred: Severity) -> Finding:
    """An inferred finding is at most `inferred` severe (a warning unless --strict)."""
    if finding.basis == "inferred" and finding.severity > inferred:
        return dataclasses.replace(finding, severity=inferred)
    return finding


def _unique(findings: list[Finding]) -> list[Finding]:
    """Ids must be unique: a second finding with an id already seen is a bug in a rule, kept
    out of the results and reported as a `rule-error` (which fails the tests' exact finding
    sets), never dropped in silence."""
    seen: set[str] = set()
    unique = []
    for finding in findings:
        if finding.id not in seen:
            seen.add(finding.id)
            unique.append(finding)
        elif f"{catalog.RULE_ERROR.slug}:*:*:duplicate {finding.id}" not in seen:
            error = catalog.RULE_ERROR.finding(
                None,
                None,
                f"two findings share the id {finding.id}: a bug in the {finding.rule} rule",
                discriminator=f"duplicate {finding.id}",
            )
            seen.add(error.id)
            unique.append(error)
    return unique
