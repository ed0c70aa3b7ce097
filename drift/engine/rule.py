"""What a rule is: its metadata and its check in one class, for built-in rules
(`drift/engine/rules/`, one module each) and plugin rules (`drift.rules` entry points) alike.

A rule declares where it looks (`scope`):

- `schema`: once, at the schema alone (findings with no environment);
- `environment`: once per selected environment, at the whole snapshot;
- `entry`: once per key of each environment, inside the engine's one pass over the keys.
  This is the hot path (20 environments of 5,000 keys are 100,000 calls per rule), so the
  check gets plain arguments and returns one finding or None, and `applies(spec)` lets the
  engine skip keys the rule can never fire on, decided once per key, not per environment;
- `across`: once, at every selected environment together;
- `history`: once, at the previous saved scan's entries beside this scan's.

A rule may have several scopes (`secret-public` judges a declaration once and a value per
environment); its check methods tell them apart by `context.scope`.
"""

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from drift.model import CodeRead, Entry, EntryRecord, EnvSnapshot, Finding, Severity
from drift.schema import KeySpec, Schema

if TYPE_CHECKING:
    from drift.engine.assertions import Compiled
    from drift.engine.secrecy import Secrecy, SecrecyCache
    from drift.platform.suggest import NearMisses
    from drift.secrets import Fingerprinter

SCOPES = ("schema", "environment", "entry", "across", "history")
#: Which keys an entry-scoped rule is shown: declared keys that are set, declared keys that
#: are absent, keys that are set but not declared.
KEY_STATES = ("present", "absent", "undeclared")


class RuleContext(NamedTuple):
    """What a rule may look at. `snapshot` is the environment being checked (scope
    `environment`), `snapshots` every selected environment; `display` is the only way to put
    a value in a finding: it masks whatever drift does not know to be no secret.

    `previous` and `current` are the entries history keeps (fingerprints and displays,
    never values) of the previous saved scan and of this one, for `history` rules; the other
    fields are what built-in rules share with the engine."""

    schema: Schema
    snapshots: Sequence[EnvSnapshot]
    display: Callable[[str, KeySpec | None, Entry], str | None]
    snapshot: EnvSnapshot | None = None
    scope: str = "schema"
    previous: Sequence[EntryRecord] | None = None
    current: Sequence[EntryRecord] = ()
    engine: "EngineState | None" = None

    def at(self, scope: str, snapshot: EnvSnapshot | None = None) -> "RuleContext":
        """The same context for another scope (and environment)."""
        return RuleContext(
            self.schema, self.snapshots, self.display, snapshot, scope, self.previous, self.current, self.engine
        )

    @property
    def state(self) -> "EngineState":
        """The engine's shared state; built-in rules only."""
        if self.engine is None:
            raise RuntimeError("this context carries no engine state")
        return self.engine


class EngineState(NamedTuple):
    """What the built-in rules share within one scan: the fingerprint key, the secrecy cache,
    the clock, the reference namespaces, near misses and the compiled assertions."""

    fingerprint: "Fingerprinter"
    secrecy: "SecrecyCache"
    now: datetime
    #: Every configured environment (selected or not) -> the reference prefixes its
    #: sources own, for `cross-env-reference`.
    namespaces: Mapping[str, tuple[str, ...]]
    near_misses: "Callable[[], NearMisses]"
    #: What several rules work out once per scan (`cross_env.shared`).
    memo: dict[str, Any]
    assertions: "Compiled | None" = None
    #: The code's reads (`[code]`), or None when the project has no `[code]` table; and the
    #: key globs its `libraries` says libraries read.
    code: Sequence[CodeRead] | None = None
    libraries: Sequence[str] = ()
    #: With `--changed-since`: the reads on lines added since the ref; the rules about reads
    #: (`used-undeclared`, `used-missing`) look only at these.
    changed: Sequence[CodeRead] | None = None
    #: `[settings]`: path globs of deployment settings that may differ, and the environments
    #: that must agree (empty: every deployed one).
    settings_allow: Sequence[str] = ()
    settings_environments: Sequence[str] = ()
    #: In `drift merge`: the shards' sealed values (`cross_env.Sealed`), which the snapshots
    #: (read back from the shards, without values) do not hold.
    sealed: Mapping[str, Mapping[str, Any]] | None = None
    #: Each key's value in every environment (`cross_env.value_columns`), or None.
    columns: Mapping[str, tuple[object, ...]] | None = None


class EnvironmentView:
    """One environment as entry-scoped rules see it, built once per environment."""

    __slots__ = ("entries", "env", "snapshot", "specs", "state")

    def __init__(self, snapshot: EnvSnapshot, specs: Mapping[str, KeySpec], state: EngineState) -> None:
        self.snapshot = snapshot
        self.env = snapshot.env
        self.entries = snapshot.entries
        self.specs = specs
        self.state = state

    def holds(self, spec: KeySpec) -> bool:
        """Whether the key's `required_if` condition holds here (False when it has none)."""
        if spec.required_if is None:
            return False
        from drift.engine.values import condition_holds

        return condition_holds(spec.required_if, self.specs, self.entries)

    def secrecy(self, name: str, spec: KeySpec | None, entry: Entry) -> "Secrecy":
        """How the entry's value must be treated (cached for the scan)."""
        return self.state.secrecy.of(name, spec, entry)

    def display(self, name: str, spec: KeySpec | None, entry: Entry) -> str | None:
        """The entry's value as a finding may show it."""
        from drift.engine.secrecy import display

        return display(entry.value, self.secrecy(name, spec, entry), self.state.fingerprint)


class Example(NamedTuple):
    """A rule shown at work, as `drift explain RULE` prints it and SARIF's help carries it:
    the `.env.example`, each deployed environment's dotenv file where the rule fires, and
    the same files with the fix applied, where it does not. `tests/test_rules.py` runs both."""

    schema: str
    bad: Mapping[str, str]
    good: Mapping[str, str]
    #: The example as fixed, when the schema itself is what the rule is about.
    good_schema: str | None = None


class Rule:
    """A rule: metadata and checks in one class. Subclass it, set the metadata, and
    implement `check` (scopes schema, environment, across, history) and/or `check_entry`
    (scope entry). Build every finding with `finding()`."""

    slug: ClassVar[str]
    severity: ClassVar[Severity]
    title: ClassVar[str]
    explanation: ClassVar[str]
    fix: ClassVar[str]
    #: One scope, or several (see the module docstring).
    scope: ClassVar[str | tuple[str, ...]]
    #: For scope `entry`: which keys the rule is shown.
    keys: ClassVar[tuple[str, ...]] = ("present",)
    #: For scope `entry`: True when `check_entry` finds nothing for an entry exactly when it
    #: finds nothing for every entry with the same key, spec, value and store flags (in the
    #: environments `applies_to` admits). The engine then runs the rule once per distinct
    #: value down a key's column of environments rather than once per cell.
    by_value: ClassVar[bool] = False
    #: The rule at work on files, where a dotenv project shows it (None for rules about
    #: stores, history, code or migrations).
    example: ClassVar[Example | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if isinstance(cls.__dict__.get("explanation"), str):
            cls.explanation = " ".join(cls.explanation.split())
        if isinstance(cls.__dict__.get("fix"), str):
            cls.fix = " ".join(cls.fix.split())

    @property
    def scopes(self) -> tuple[str, ...]:
        """The rule's scopes as a tuple."""
        return (self.scope,) if isinstance(self.scope, str) else self.scope

    def check(self, context: RuleContext) -> Iterable[Finding]:
        """The findings of a schema, environment, across or history scope."""
        raise NotImplementedError(f"rule {self.slug} has no check for scope {context.scope}")

    def applies_to(self, view: EnvironmentView) -> bool:
        """Whether `check_entry` can fire in this environment at all (asked once per
        environment, so that a rule that cannot costs nothing per key)."""
        return True

    def applies(self, spec: KeySpec) -> bool:
        """Whether `check_entry` can fire on this declared key at all (asked once per key)."""
        return True

    def check_entry(
        self, view: EnvironmentView, name: str, spec: KeySpec | None, entry: Entry | None
    ) -> Finding | None:
        """The finding of scope `entry` for one key of one environment, or None. `spec` is
        None for an undeclared key, `entry` None for an absent one."""
        raise NotImplementedError(f"rule {self.slug} has no entry check")

    def from_facts(self, snapshot: EnvSnapshot, kind: str) -> Iterator[Finding]:
        """A finding per fact of `kind` that collecting the environment reported (collectors
        say what they saw: `unreadable-line`, `repeated-assignment`, ...; a rule says what
        it means)."""
        for problem in snapshot.problems:
            if problem.kind == kind:
                yield self.finding(
                    snapshot.env,
                    problem.key,
                    problem.message,
                    location=problem.location,
                    discriminator=problem.discriminator,
                )

    def finding(
        self,
        env: str | None,
        key: str | None,
        message: str,
        *,
        severity: Severity | None = None,
        expected: str | None = None,
        actual: str | None = None,
        location: str | None = None,
        discriminator: str = "",
        basis: str = "declared",
    ) -> Finding:
        """A finding of this rule (at its default severity unless the rule's configuration
        sets one, as `[[assert]]` does): the one way rules build findings. `actual` must
        come from a `display` (the context's or the view's)."""
        return Finding(
            self.slug,
            severity if severity is not None else self.severity,
            env,
            key,
            message,
            expected=expected,
            actual=actual,
            location=location,
            discriminator=discriminator,
            basis=basis,
        )
