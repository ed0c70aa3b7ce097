"""The engine's entry point: a schema and snapshots in, ordered findings out. Pure: no I/O.

Every rule, built-in or plugin, comes from the one list in `catalog` and runs here by its
scope. Each check runs in isolation: one that raises becomes a `rule-error` finding naming
the rule (never a value or the exception's text), and the others still run.
"""

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from functools import lru_cache
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple

from drift.engine import catalog
from drift.engine.rule import EngineState, EnvironmentView, Rule, RuleContext
from drift.engine.secrecy import SecrecyCache, display
from drift.model import CodeRead, Entry, EntryRecord, EnvSnapshot, Finding, Severity
from drift.platform.suggest import NearMisses
from drift.schema import KeySpec, Schema
from drift.secrets import Fingerprinter

if TYPE_CHECKING:
    from drift.engine.assertions import Compiled
    from drift.engine.cross_env import Column, Sealed

#: The scopes a check runs (`drift schema lint` runs schema and lint).
CHECK_SCOPES = ("schema", "environment", "entry", "across", "history")
#: What a shard of a sharded scan runs over its environments (`drift scan --shard`), and what
#: `drift merge` runs over all of them.
SHARD_SCOPES = ("schema", "environment", "entry")
MERGE_SCOPES = ("across", "history")


class Inputs(NamedTuple):
    """Everything one evaluation reads, as one record: the schema and the snapshots; the
    fingerprint key and the clock (`now` decides staleness); `namespaces`, every configured
    environment (selected or not) -> the reference prefixes its sources own, for
    `cross-env-reference`; `inferred`, the highest severity a finding that rests on an
    inference may have; the compiled `[[assert]]` tables; plugin rules; `previous` and
    `current`, the entries history keeps of the previous saved scan and of this one (history
    rules run only with both); the code's reads when the project has a `[code]` table (None
    otherwise), the key globs `libraries` read, the reads on lines added since
    `--changed-since`; and `[settings]`'s allowed paths and compared environments."""

    schema: Schema
    snapshots: Sequence[EnvSnapshot]
    fingerprint: Fingerprinter
    now: datetime
    namespaces: Mapping[str, tuple[str, ...]] = MappingProxyType({})
    secrecy: SecrecyCache | None = None
    inferred: Severity = Severity.WARNING
    assertions: "Compiled | None" = None
    plugin_rules: Sequence[Rule] = ()
    previous: Sequence[EntryRecord] | None = None
    current: Sequence[EntryRecord] = ()
    code: Sequence[CodeRead] | None = None
    libraries: Sequence[str] = ()
    changed: Sequence[CodeRead] | None = None
    settings_allow: Sequence[str] = ()
    settings_environments: Sequence[str] = ()
    #: In `drift merge`: the shards' sealed values (the snapshots then hold none).
    sealed: "Sealed | None" = None
    #: Each key's value in every environment (`cross_env.value_columns`), worked out once a
    #: scan for the rules and the matrix; None: `cross_env.shared` goes entry by entry.
    columns: "Mapping[str, Column] | None" = None


def evaluate(inputs: Inputs, scopes: Sequence[str] = CHECK_SCOPES, shards: Sequence[Finding] = ()) -> list[Finding]:
    """Every finding of `scopes`, ordered by severity, environment, key and rule; in `drift
    merge`, with the shards' findings (`shards`: of the other scopes, saved ungraded)."""
    found = run([*catalog.RULES.values(), *inputs.plugin_rules], context_for(inputs), scopes)
    found = [_graded(f, inputs.inferred) for f in (*shards, *found)]
    found.sort(key=Finding.sort_key)
    return _unique(found)


def context_for(inputs: Inputs) -> RuleContext:
    """What rules see of one scan."""
    schema, fingerprint = inputs.schema, inputs.fingerprint
    cache = inputs.secrecy or secrecy_for(schema)
    state = EngineState(
        fingerprint,
        cache,
        inputs.now,
        inputs.namespaces,
        lru_cache(maxsize=1)(lambda: NearMisses(schema.specs)),
        {},
        inputs.assertions,
        inputs.code,
        inputs.libraries,
        inputs.changed,
        inputs.settings_allow,
        inputs.settings_environments,
        inputs.sealed,
        inputs.columns,
    )

    def shown(value: str, spec: KeySpec | None, entry: Entry) -> str | None:
        return display(value, cache.of(entry.key, spec, entry), fingerprint)

    return RuleContext(schema, inputs.snapshots, shown, previous=inputs.previous, current=inputs.current, engine=state)


def run(rules: Sequence[Rule], context: RuleContext, scopes: Sequence[str]) -> list[Finding]:
    """The findings of `rules` in `scopes`, each check isolated."""
    by_scope = {scope: [r for r in rules if scope in r.scopes] for scope in scopes}
    found: list[Finding] = []
    for rule in by_scope.get("schema", []) + by_scope.get("lint", []):
        found.extend(_isolated(rule, None, context.at("schema")))
    entry_rules = by_scope.get("entry", [])
    if entry_rules and context.engine is None:
        raise RuntimeError("entry-scoped rules need the engine's state")
    per_key = EntryPass(entry_rules, context) if entry_rules else None
    for snapshot in context.snapshots if ("environment" in by_scope or entry_rules) else ():
        scoped = context.at("environment", snapshot)
        for rule in by_scope.get("environment", []):
            found.extend(_isolated(rule, snapshot.env, scoped))
        if per_key is not None:
            found.extend(per_key.run(snapshot))
    for rule in by_scope.get("across", []):
        found.extend(_isolated(rule, None, context.at("across")))
    if context.previous is not None:
        for rule in by_scope.get("history", []):
            found.extend(_isolated(rule, None, context.at("history")))
    return found


#: A declared key in an entry pass's plan: (name, spec, rules when set, rules when absent,
#: whether every rule when set is `by_value`).
_PlanRow = tuple[str, KeySpec, list[Rule], list[Rule], bool]


class EntryPass:
    """The entry-scoped rules over one environment's keys, in one pass: this is the hot path
    (20 environments of 5,000 keys are 100,000 keys). Which rules can fire is decided once per
    environment (`Rule.applies_to`: `placeholder` only in deployed ones) and once per declared
    key (`Rule.applies`), not once per key and environment; a rule that raises is dropped for
    the rest of the environment and reported once."""

    def __init__(self, rules: Sequence[Rule], context: RuleContext) -> None:
        self.rules = rules
        self.context = context
        #: (rules active in an environment, id of its specs mapping) -> a row per declared key:
        #: (name, spec, its rules when set, when absent, whether every rule when set is
        #: `by_value`). Environments without overrides share one specs mapping, so one plan.
        self._plans: dict[tuple[tuple[Rule, ...], int], list[_PlanRow]] = {}
        #: (rule, key, id(spec), value, store flags) where a `by_value` rule found nothing
        self._quiet: set[tuple[Rule, str, int, str | None, bool, bool]] = set()
        #: (rules active, id of the specs mapping) -> key -> a value without store flags that
        #: all of them found nothing in: the same value in another environment is passed over
        self._quiet_values: dict[tuple[tuple[Rule, ...], int], dict[str, str | None]] = {}

    def _plan(self, active: tuple[Rule, ...], specs: Mapping[str, KeySpec]) -> list[_PlanRow]:
        plan = self._plans.get((active, id(specs)))
        if plan is None:  # the schema keeps `specs` for the scan, so its id stays its own
            present = [r for r in active if "present" in r.keys]
            absent = [r for r in active if "absent" in r.keys]
            plan = self._plans[(active, id(specs))] = []
            for name, spec in specs.items():
                when_set = [r for r in present if r.applies(spec)]
                by_value = all(r.by_value for r in when_set)
                plan.append((name, spec, when_set, [r for r in absent if r.applies(spec)], by_value))
        return plan

    def run(self, snapshot: EnvSnapshot) -> list[Finding]:
        """Every entry-scoped finding for one environment."""
        view = EnvironmentView(snapshot, self.context.schema.for_env(snapshot.env), self.context.state)
        active = tuple(rule for rule in self.rules if rule.applies_to(view))
        entries, specs = snapshot.entries, view.specs
        quiet = self._quiet_values.setdefault((active, id(specs)), {})
        passed = _unchanged(entries, quiet)
        found: list[Finding] = []
        broken: dict[str, str] = {}
        for name, spec, when_set, when_absent, by_value in self._plan(active, specs):
            if name in passed:
                continue
            entry = entries.get(name)
            if entry is None:
                if when_absent:
                    self._apply(when_absent, view, name, spec, None, found, broken)
            elif when_set:
                before = len(found)
                self._apply(when_set, view, name, spec, entry, found, broken)
                if by_value and len(found) == before and not broken and not _flagged(entry):
                    quiet[name] = entry.value
        undeclared = [r for r in active if "undeclared" in r.keys]
        for name, entry in entries.items():
            if name not in specs:
                self._apply(undeclared, view, name, None, entry, found, broken)
        found.extend(_rule_error(slug, snapshot.env, error) for slug, error in broken.items())
        return found

    def _apply(
        self,
        rules: list[Rule],
        view: EnvironmentView,
        name: str,
        spec: KeySpec | None,
        entry: Entry | None,
        found: list[Finding],
        broken: dict[str, str],
    ) -> None:
        quiet = self._quiet
        for rule in rules:
            if broken and rule.slug in broken:
                continue
            cell = None
            if rule.by_value and entry is not None:
                cell = (rule, name, id(spec), entry.value, entry.store_secret, entry.plaintext_store)
                if cell in quiet:
                    continue
            try:
                finding = rule.check_entry(view, name, spec, entry)
            except Exception as exc:  # a bug in a rule must not hide the others' findings
                broken[rule.slug] = type(exc).__name__
                continue
            if finding is None:
                if cell is not None:
                    quiet.add(cell)
                continue
            if finding.rule != rule.slug:
                broken[rule.slug] = "a finding of another rule"
                continue
            found.append(finding)


def _flagged(entry: Entry) -> bool:
    return entry.store_secret or entry.plaintext_store


_UNSET = object()


def _unchanged(entries: Mapping[str, Entry], quiet: Mapping[str, str | None]) -> set[str]:
    """The keys whose value (without store flags) is one the environment's rules found
    nothing in elsewhere: one light pass instead of building and comparing a cell per key,
    since on 20 x 5,000 keys most cells are such."""
    if not quiet:
        return set()
    return {
        name
        for name, entry in entries.items()
        if quiet.get(name, _UNSET) == entry.value and not entry.store_secret and not entry.plaintext_store
    }


def _isolated(rule: Rule, env: str | None, context: RuleContext) -> list[Finding]:
    """The findings of one check, or a `rule-error` finding if it raised or made a finding
    of another rule."""
    try:
        made = list(rule.check(context))
    except Exception as exc:  # a bug in a check must not hide the others' findings
        return [_rule_error(rule.slug, env, type(exc).__name__)]
    if any(f.rule != rule.slug for f in made):
        return [_rule_error(rule.slug, env, "a finding of another rule")]
    return made


def _rule_error(slug: str, env: str | None, error: str) -> Finding:
    return catalog.rule("rule-error").finding(
        env,
        None,
        f"drift's {slug} rule failed ({error})" + (f" in {env}" if env else "") + "; its findings are missing",
        discriminator=slug,
    )


def secrecy_for(schema: Schema) -> SecrecyCache:
    """A secrecy cache that knows the schema's secret keys (for near-miss names)."""
    return SecrecyCache(name for name, spec in schema.specs.items() if spec.schema_secret)


def _graded(finding: Finding, inferred: Severity) -> Finding:
    """An inferred finding is at most `inferred` severe (a warning unless --strict)."""
    if finding.basis == "inferred" and finding.severity > inferred:
        return finding._replace(severity=inferred)
    return finding


def _unique(findings: Iterable[Finding]) -> list[Finding]:
    """Ids must be unique: a second finding with an id already seen is a bug in a rule, kept
    out of the results and reported as a `rule-error` (which fails the tests' exact finding
    sets), never dropped in silence."""
    seen: set[str] = set()
    unique = []
    for finding in findings:
        if finding.id not in seen:
            seen.add(finding.id)
            unique.append(finding)
        elif f"rule-error:*:*:duplicate {finding.id}" not in seen:
            error = catalog.rule("rule-error").finding(
                None,
                None,
                f"two findings share the id {finding.id}: a bug in the {finding.rule} rule",
                discriminator=f"duplicate {finding.id}",
            )
            seen.add(error.id)
            unique.append(error)
    return unique
