"""`drift plan` and `drift apply`: the changes that would clear findings in SSM Parameter
Store, Secrets Manager (a JSON secret member by member) and dotenv files, computed from a scan,
saved as a plan, and applied only if nothing changed since.

What a plan may set, per environment: a missing or wrong key that is not secret, to its
per-environment `equals`, its declared `default`, or (a `parity = "same"` key, with `--from`)
the reference environment's value when drift knows it is no secret; deprecated keys are
removed. A secret is never invented or copied: it comes from `--value-from-env KEY=VAR` (the
variable is read again when the plan is applied, so the value is never in the plan) or, for
a key declared `generate = true`, from `--generate KEY` (made when applied: cryptographically
random, meeting `min_length` and `pattern`), and goes to a SecureString or Secrets Manager
only. Anything else it cannot set is listed as "needs a value" with the command to give one.

Every item records what was observed (the store's version and a keyed fingerprint of the
value, or "absent"); `apply` reads each item again and refuses the whole plan if any changed,
skips items already in the planned state (applying twice changes nothing), applies item by
item, and on a failure stops, reports what was and was not applied, and rewrites the plan
with the rest so that the same command resumes.
"""

from __future__ import annotations

import hmac
import json
import os
import re
import secrets
import string
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from drift import stores
from drift.config import Project
from drift.errors import CollectorError, ConfigError
from drift.model import EnvSnapshot, ScanResult
from drift.platform import jsontext
from drift.platform.aws import SessionPool
from drift.platform.files import CONFIG_MAX_BYTES, UnreadableFile, read_text
from drift.report import inert
from drift.schema import KeySpec, Schema
from drift.schema.showable import shown, shown_whole
from drift.secrets import MASK, Fingerprinter, masked
from drift.settings import EnvironmentConfig

FORMAT = 1
ABSENT = "absent"


@dataclass
class Item:
    """One change to one key of one environment."""

    env: str
    key: str
    action: str  # `set` or `remove`
    store: str  # `ssm`, `secretsmanager` or `dotenv`
    target: str  # a parameter name, `secret-id#member`, or a file path relative to the config
    reason: str
    secret: bool = False
    #: The new value of a non-secret key; None for a secret or a removal.
    value: str | None = None
    #: Where a secret's value comes from when applied: `env:VAR` or `generate`.
    value_from: str | None = None
    #: What the store held when planned: its version, and the value's fingerprint (or "absent").
    version: str | None = None
    observed: str = ABSENT
    #: How the change is shown (masked as every output masks values).
    shown: str = ""


@dataclass
class NeedsValue:
    env: str
    key: str
    reason: str
    command: str


@dataclass
class Plan:
    project: str
    config: str | None
    items: list[Item] = field(default_factory=list)
    needs_value: list[NeedsValue] = field(default_factory=list)

    def dump(self, fingerprint: Fingerprinter) -> str:
        """The plan as JSON, sealed with a MAC under the project's fingerprint key: `apply`
        refuses a plan edited by hand or made for another project."""
        body = {"drift_plan": FORMAT, **asdict(self)}
        return json.dumps({**body, "mac": _mac(body, fingerprint)}, indent=2) + "\n"

    @classmethod
    def load(cls, path: Path, fingerprint: Fingerprinter) -> Plan:
        """A plan `dump` wrote with this project's key, every field of the expected type;
        anything else is "not a plan" (exit 2), naming the item."""
        shown = inert.terminal(str(path))
        try:
            data = jsontext.loads(read_text(path, CONFIG_MAX_BYTES))
        except UnreadableFile as exc:
            raise ConfigError(f"{shown}: cannot read the plan: {exc}") from None
        except ValueError:
            raise ConfigError(f"{shown}: not a plan written by drift (`drift plan --out FILE`): not JSON") from None
        if not isinstance(data, dict) or data.get("drift_plan") != FORMAT:
            raise ConfigError(f"{shown}: not a plan written by drift (`drift plan --out FILE`)")
        mac = data.pop("mac", None)
        if not isinstance(mac, str) or not hmac.compare_digest(mac, _mac(data, fingerprint)):
            raise ConfigError(
                f"{shown}: not a plan drift wrote with this project's fingerprint key (edited by hand, or "
                "made elsewhere): make a new plan"
            )
        try:
            return _typed_plan(data)
        except _NotAPlan as exc:
            raise ConfigError(f"{shown}: not a plan: {exc}") from None


def _mac(body: dict[str, Any], fingerprint: Fingerprinter) -> str:
    return fingerprint("drift plan\0" + json.dumps(body, sort_keys=True, separators=(",", ":")))


class _NotAPlan(Exception):
    """A field of the wrong type or value, named."""


_ITEM_FIELDS: dict[str, tuple[type, ...]] = {
    "env": (str,), "key": (str,), "action": (str,), "store": (str,), "target": (str,), "reason": (str,),
    "secret": (bool,), "value": (str, type(None)), "value_from": (str, type(None)), "version": (str, type(None)),
    "observed": (str,), "shown": (str,),
}  # fmt: skip
_VALUE_FROM = re.compile(r"env:[A-Za-z_][A-Za-z0-9_]*|generate|declared:(?:equals|default)")


def _typed_plan(data: dict[str, Any]) -> Plan:
    """The plan from its JSON, each field checked (what a hand-made plan gets wrong)."""
    if not isinstance(data.get("project"), str) or not isinstance(data.get("config"), (str, type(None))):
        raise _NotAPlan("`project` and `config` must be text")
    items, needs = data.get("items"), data.get("needs_value", [])
    if not isinstance(items, list) or not isinstance(needs, list):
        raise _NotAPlan("`items` and `needs_value` must be lists")
    plan = Plan(data["project"], data["config"])
    for number, raw in enumerate(items, 1):
        if not isinstance(raw, dict) or set(raw) != set(_ITEM_FIELDS):
            raise _NotAPlan(f"item {number} does not have the fields of a plan item")
        for name, kinds in _ITEM_FIELDS.items():
            if type(raw[name]) not in kinds:
                raise _NotAPlan(f"item {number}: `{name}` has the wrong type")
        item = Item(**raw)
        if item.action not in ("set", "remove") or item.store not in ("ssm", "secretsmanager", "dotenv"):
            raise _NotAPlan(f"item {number}: unknown action or store")
        if item.value_from is not None and not _VALUE_FROM.fullmatch(item.value_from):
            raise _NotAPlan(f"item {number}: `value_from` is not one drift writes")
        plan.items.append(item)
    for number, raw in enumerate(needs, 1):
        if not isinstance(raw, dict) or set(raw) != {"env", "key", "reason", "command"}:
            raise _NotAPlan(f"needs_value {number} does not have the fields drift writes")
        if not all(isinstance(v, str) for v in raw.values()):
            raise _NotAPlan(f"needs_value {number}: every field is text")
        plan.needs_value.append(NeedsValue(**raw))
    return plan


def validate(plan: Plan, project: Project, schema: Schema) -> None:
    """Refuse (exit 2, naming the item) any item the current configuration could not have
    planned: an environment it does not have, a store that is not one of that environment's
    sources, an SSM name outside the source's path, a secret bound for a plaintext file that
    is not already its store, a dotenv file that is not a source or leaves the project."""
    for number, item in enumerate(plan.items, 1):
        where = f"item {number} ({inert.terminal(item.env)} {inert.terminal(item.key)})"
        env = project.environments.get(item.env)
        if env is None:
            raise ConfigError(f"not a plan for this configuration: {where}: no such environment")
        spec = schema.for_env(item.env).get(item.key)
        secret = item.secret or (spec is not None and spec.schema_secret)
        store = stores.lookup(item.store)
        sources = [s for s in env.sources if s.type == item.store]
        if store is None or not any(store.owns(source, item.target, item.key) for source in sources):
            raise ConfigError(f"not a plan for this configuration: {where}: its target is not a source of it")
        if item.store == "dotenv":
            try:
                project.confined.path(item.target)
            except UnreadableFile as exc:
                raise ConfigError(f"not a plan for this configuration: {where}: {exc}") from None
            if secret and item.action == "set" and env.has_secret_store and item.observed == ABSENT:
                raise ConfigError(f"not a plan for this configuration: {where}: a secret goes to a secret store")
        if item.value is not None and (secret or item.action == "remove"):
            raise ConfigError(f"not a plan for this configuration: {where}: a secret's value is never in a plan")


# --- planning ---------------------------------------------------------------------------------


def make_plan(
    project: Project,
    schema: Schema,
    result: ScanResult,
    fingerprint: Fingerprinter,
    reference: str | None = None,
    from_env: Mapping[str, str] | None = None,
    generate: Sequence[str] = (),
) -> Plan:
    """The changes that would clear the scan's findings, environment by environment."""
    plan = Plan(project.name, str(project.config_path) if project.config_path else None)
    snapshots = {s.env: s for s in result.environments}
    if reference is not None and reference not in snapshots:
        raise ConfigError(f"--from {reference}: that environment was not read (add --env {reference})")
    for snapshot in result.environments:
        if snapshot.env == reference:
            continue  # read to copy from, never planned: `--from` writes only the target
        env = project.environments[snapshot.env]
        specs = schema.for_env(snapshot.env)
        other = snapshots.get(reference or "")
        for spec in specs.values():
            _plan_key(plan, project, env, snapshot, spec, other, fingerprint, from_env or {}, generate)
    return plan


def _plan_key(
    plan: Plan,
    project: Project,
    env: EnvironmentConfig,
    snapshot: EnvSnapshot,
    spec: KeySpec,
    reference: EnvSnapshot | None,
    fingerprint: Fingerprinter,
    from_env: Mapping[str, str],
    generate: Sequence[str],
) -> None:
    name = spec.name
    entry = snapshot.entries.get(name)
    if snapshot.could_hold(name) and entry is None:
        return  # a source that failed may hold it: nothing is planned on a guess
    if spec.deprecated is not None:
        if entry is not None:
            where = stores.locate(env, entry, name, secret=False)
            if where is not None:
                plan.items.append(
                    _item(env.name, name, "remove", where, "deprecated: " + spec.deprecated, entry, fingerprint)
                )
        return
    secret = bool(spec.schema_secret)
    if name in from_env:  # the user names the value: set it whatever the key holds now
        _plan_given(plan, project, env, spec, entry, f"env:{from_env[name]}", fingerprint)
        return
    wanted, reason = _wanted_value(spec, entry, reference, secret)
    value_from = None
    if secret and (entry is None or entry.value == "") and (spec.requirement(snapshot.env)[0] or spec.nonempty):
        if name in generate:
            if not spec.generate:
                raise ConfigError(f"--generate {name}: the schema does not mark it generatable (generate = true)")
            value_from, reason = "generate", "missing secret, generated when applied"
        else:
            command = f"drift plan --env {env.name} --value-from-env {name}=VARIABLE"
            plan.needs_value.append(NeedsValue(env.name, name, "a secret drift never invents", command))
            return
    elif wanted is None:
        command = f"set it in {env.name}'s source, or declare a default"
        if _differs_unshown(spec, entry, reference):
            why = f"parity same, but {reference.env if reference else ''}'s value is not one drift may show or copy"
            plan.needs_value.append(NeedsValue(env.name, name, why, command))
        elif entry is None and spec.requirement(snapshot.env)[0]:
            plan.needs_value.append(NeedsValue(env.name, name, "required, with no declared default or equals", command))
        return
    where = stores.locate(env, entry, name, secret)
    if where is None:
        why = "no source of this environment drift can write it to"
        plan.needs_value.append(NeedsValue(env.name, name, why, "add an ssm, secretsmanager or dotenv source"))
        return
    item = _item(env.name, name, "set", where, reason, entry, fingerprint)
    item.secret, item.value, item.value_from = secret, wanted if not secret else None, value_from
    item.shown = MASKED_SECRET if secret else _shown(spec, wanted or "")
    if wanted is not None and not secret and not shown_whole(spec, wanted) and reason in _DECLARED:
        # plan.json is an output: a declared value it may not show is read again when applied
        item.value, item.value_from = None, _DECLARED[reason]
    plan.items.append(item)


#: Where `apply` reads a declared value that the plan does not hold, by the item's reason.
_DECLARED = {
    "must equal its declared value here": "declared:equals",
    "missing: its declared default": "declared:default",
}


MASKED_SECRET = f"{MASK} (a secret, given when applied)"
GIVEN = f"{MASK} (given when applied)"


def _plan_given(
    plan: Plan, project: Project, env: EnvironmentConfig, spec: KeySpec, entry: Any, value_from: str,
    fingerprint: Fingerprinter,
) -> None:  # fmt: skip
    """A key whose value `--value-from-env` names: set from the variable when applied, in the
    store that holds it. A secret goes to a secret store; to a dotenv file only where that
    file is already its store (it holds the key, or the environment has no secret store)."""
    secret = bool(spec.schema_secret)
    where = stores.locate(env, entry, spec.name, secret and not stores.plaintext_allowed(env, entry))
    if where is None:
        why = "no source of this environment drift can write it to"
        why += " (a secret goes to a secret store)" if secret else ""
        plan.needs_value.append(NeedsValue(env.name, spec.name, why, "add an ssm or secretsmanager source"))
        return
    reason = "given with --value-from-env" if entry is not None else "missing, given with --value-from-env"
    item = _item(env.name, spec.name, "set", where, reason, entry, fingerprint)
    item.secret, item.value_from = secret, value_from
    item.shown = MASKED_SECRET if secret else GIVEN
    plan.items.append(item)


def _wanted_value(spec: KeySpec, entry: Any, reference: EnvSnapshot | None, secret: bool) -> tuple[str | None, str]:
    """The value a non-secret key should have, and why; (None, "") when nothing is known."""
    if secret:
        return None, ""
    # a declared `equals` or `default` is in the configuration already; a value read from
    # another environment is copied only when the display policy shows it whole
    current = entry.value if entry is not None else None
    if spec.equals is not None and current != spec.equals:
        return spec.equals, "must equal its declared value here"
    if current is None and spec.default is not None:
        return spec.default, "missing: its declared default"
    if spec.parity == "same" and reference is not None:
        other = reference.entries.get(spec.name)
        if other is not None and other.value is not None and other.value != current and shown_whole(spec, other.value):
            return other.value, f"parity same: {reference.env}'s value"
    return None, ""


def _differs_unshown(spec: KeySpec, entry: Any, reference: EnvSnapshot | None) -> bool:
    """A `parity = "same"` key whose reference value differs but may not be copied."""
    if spec.parity != "same" or reference is None:
        return False
    other = reference.entries.get(spec.name)
    current = entry.value if entry is not None else None
    return other is not None and other.value is not None and other.value != current


def _shown(spec: KeySpec, value: str) -> str:
    return shown(spec, value) or MASK


def _item(env: str, key: str, action: str, where: stores.Target, reason: str, entry: Any,
          fingerprint: Fingerprinter) -> Item:  # fmt: skip
    store, target, _ = where
    version = None
    observed = ABSENT
    if entry is not None and entry.value is not None:
        observed = fingerprint(entry.value)
        version = str(entry.metadata.get("version")) if entry.metadata.get("version") is not None else None
    return Item(env, key, action, store, target, reason, version=version, observed=observed)


def render(plan: Plan) -> str:
    lines = []
    for item in plan.items:
        verb = "remove" if item.action == "remove" else f"set = {item.shown}"
        seen = (
            "absent"
            if item.observed == ABSENT
            else f"now {masked(item.observed)}" + (f" (version {item.version})" if item.version else "")
        )
        lines.append(f"{item.env:<12} {item.key:<28} {verb}  [{item.store} {item.target}; {seen}]  {item.reason}")
    for need in plan.needs_value:
        lines.append(f"{need.env:<12} {need.key:<28} needs a value ({need.reason}): {need.command}")
    if not lines:
        lines.append("nothing to change")
    return "\n".join(lines) + "\n"


# --- applying --------------------------------------------------------------------------------


@dataclass
class Outcome:
    applied: list[Item] = field(default_factory=list)
    already: list[Item] = field(default_factory=list)
    failed: Item | None = None
    error: str = ""
    remaining: list[Item] = field(default_factory=list)


class Stores:
    """Reading and writing each item in its store (`drift/stores/`), for one apply."""

    def __init__(self, project: Project, fingerprint: Fingerprinter) -> None:
        self.project = project
        self.fingerprint = fingerprint
        self.place = stores.Place(project.root, project.dialect.name, project.confined, SessionPool())

    def _store(self, item: Item) -> stores.Store:
        env = self.project.environments.get(item.env)
        store = stores.lookup(item.store)
        if env is None or store is None:  # validate() refused such a plan already
            raise ConfigError(f"the plan names {item.env} / {item.store}, which the configuration does not have")
        return store(self.place, env)

    def observe(self, item: Item) -> tuple[str | None, str]:
        """(version, fingerprint or "absent") of the item now."""
        value, version = self._store(item).read(item.target, item.key)
        return version, ABSENT if value is None else self.fingerprint(value)

    def write(self, item: Item, value: str | None) -> None:
        """Set (value) or remove (None) the item."""
        self._store(item).write(item.target, item.key, value, item.secret)


def given_value(item: Item, spec: KeySpec | None) -> str:
    """A value given when applied: from the named variable, from the declaration the plan
    names, or generated."""
    if item.value_from is None:
        raise ConfigError(f"{item.env} {item.key}: an item without a value source")
    if item.value_from == "generate":
        return generated(spec)
    value = _planned(item, spec)
    if value is not None:
        return value
    if item.value_from.startswith("env:"):
        name = item.value_from[4:]
        raise ConfigError(f"{item.env} {item.key}: the variable {name} (--value-from-env) is not set")
    raise ConfigError(f"{item.env} {item.key}: the configuration no longer declares that value; make a new plan")


def _planned(item: Item, spec: KeySpec | None) -> str | None:
    """The value a given item will be set to, when it can be known before applying."""
    assert item.value_from is not None
    if item.value_from.startswith("env:"):
        return os.environ.get(item.value_from[4:])
    if item.value_from.startswith("declared:") and spec is not None:
        value = getattr(spec, item.value_from.partition(":")[2], None)
        return value if isinstance(value, str) else None
    return None


def generated(spec: KeySpec | None) -> str:
    """A random value meeting the key's `min_length`, `max_length` and `pattern`."""
    length = max(32, spec.min_length or 0) if spec is not None else 32
    if spec is not None and spec.max_length is not None:
        length = min(length, spec.max_length)
    alphabet = string.ascii_letters + string.digits
    pattern = re.compile(spec.pattern) if spec is not None and spec.pattern else None
    for _ in range(1000):
        value = "".join(secrets.choice(alphabet) for _ in range(length))
        if pattern is None or pattern.fullmatch(value):
            return value
    raise ConfigError(f"{spec.name if spec else 'the key'}: no random value meets its pattern; give one instead")


def apply(
    plan: Plan,
    writer: Stores,
    specs: Mapping[tuple[str, str], KeySpec],
    confirm: Callable[[Sequence[Item]], bool],
) -> Outcome:
    """Check every item against what was observed, then apply them in order."""
    outcome = Outcome()
    changed = []
    pending = []
    for item in plan.items:
        version, seen = writer.observe(item)
        if item.action == "remove":
            done = seen == ABSENT
        elif item.value_from == "generate":
            done = item.observed == ABSENT and seen != ABSENT  # a value is there now: made by an earlier apply
        else:
            planned = item.value if item.value_from is None else _planned(item, specs.get((item.env, item.key)))
            done = planned is not None and seen == writer.fingerprint(planned)
        if done:
            outcome.already.append(item)
        elif seen != item.observed or (item.version is not None and version != item.version):
            changed.append(item)
        else:
            pending.append(item)
    if changed:
        names = ", ".join(f"{i.env} {i.key}" for i in changed)
        raise ConfigError(f"changed since the plan was made: {names}; make a new plan")
    given = [i for i in pending if i.value_from is not None and i.action == "set"]
    values = {id(i): given_value(i, specs.get((i.env, i.key))) for i in given}
    if pending and not confirm(pending):
        raise ConfigError("not applied")
    for index, item in enumerate(pending):
        value = None if item.action == "remove" else values.get(id(item), item.value)
        try:
            writer.write(item, value)
        except CollectorError as exc:
            outcome.failed, outcome.error, outcome.remaining = item, str(exc), pending[index:]
            return outcome
        outcome.applied.append(item)
    return outcome
