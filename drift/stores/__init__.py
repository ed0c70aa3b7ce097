"""Writing: one module per writable store (`ssm.py`, `secretsmanager.py`, `dotenv.py`), each
knowing where a key of an environment lives or would go, how to read it back (value and
version), how to write or delete it, and the command that fixes a finding there. `plan`,
`apply` and the fix commands (`fixes.py`) ask the stores; nothing else splits a source
string or decides where a key goes.

A store is registered in `STORES` under the source type it writes, as collectors are in
`collectors/registry.py`, and its module loads when a key of that type is asked about (a
dotenv-only project's fix commands never load boto3's helpers); adding one is its module,
its line here and its tests.
"""

from importlib import import_module
from pathlib import Path
from typing import Any, ClassVar, NamedTuple

from drift.model import Entry
from drift.platform.files import Confined
from drift.settings import EnvironmentConfig, SourceConfig


class Target(NamedTuple):
    """Where one key is written: the store (its source type), the name there (a parameter
    name, `secret_id#member`, a dotenv path relative to the project) and whether the value
    is kept encrypted."""

    store: str
    name: str
    secure: bool


class Fix(NamedTuple):
    """What the configuration says a key's value should be, for a fix command."""

    #: A declared `equals` or `default` exists (a plan sets it, whether or not it may be shown).
    declared: bool
    #: That value, when the display policy shows it whole (so a command may hold it).
    printable: str | None


class Place(NamedTuple):
    """What a store needs of the project to read and write: its folder, its dialect, its
    confinement and an AWS client pool (`aws.SessionPool`, created on first use)."""

    root: Path
    dialect: str
    confined: Confined
    pool: Any


class Store:
    """Base of every writable store; subclasses set `kind` (the source type it writes)."""

    kind: ClassVar[str]

    @classmethod
    def held(cls, name: str, key: str, secret: bool) -> Target | None:
        """Where a key read from this store's source `name` (the part of an entry's source
        after `kind:`) is written back; None when it may not be (a secret in plaintext)."""
        raise NotImplementedError

    @classmethod
    def new(cls, source: SourceConfig, key: str, secret: bool) -> Target | None:
        """Where a key this source does not hold yet would go; None when it may not."""
        raise NotImplementedError

    @classmethod
    def owns(cls, source: SourceConfig, name: str, key: str) -> bool:
        """Whether `name` is where this source keeps `key` (a plan's target checked against
        the configuration before anything is written)."""
        raise NotImplementedError

    def __init__(self, place: Place, env: EnvironmentConfig) -> None:
        self.place = place
        self.env = env

    def read(self, name: str, key: str) -> tuple[str | None, str | None]:
        """(value or None when absent, version or None)."""
        raise NotImplementedError

    def write(self, name: str, key: str, value: str | None, secure: bool) -> None:
        """Set `value`, or remove the key when it is None; a CollectorError names the cause."""
        raise NotImplementedError

    @classmethod
    def set_command(cls, env: EnvironmentConfig, target: Target, key: str, fix: Fix, syncable: bool) -> str | None:
        """The command that gives the key its value here (never a secret's value)."""
        return plan_command(env, key)

    @classmethod
    def remove_command(cls, env: EnvironmentConfig, target: Target) -> str:
        """The command that removes the key here."""
        return plan_command(env)

    @classmethod
    def secure_command(cls, env: EnvironmentConfig, target: Target) -> str | None:
        """The command that keeps a plaintext value encrypted, where the store can."""
        return None


#: The writable stores by the source type each writes: `module:class`.
STORES = {
    "ssm": "drift.stores.ssm:SsmStore",
    "secretsmanager": "drift.stores.secretsmanager:SecretsManagerStore",
    "dotenv": "drift.stores.dotenv:DotenvStore",
}


def lookup(kind: str) -> type[Store] | None:
    """The store that writes source type `kind`, if any."""
    if kind not in STORES:
        return None
    module, _, name = STORES[kind].partition(":")
    store: type[Store] = getattr(import_module(module), name)
    return store


def locate(env: EnvironmentConfig, entry: Entry | None, key: str, secret: bool) -> Target | None:
    """Where `key` of `env` is written: where it is now (`entry`), else the first of the
    environment's sources that may hold it (a secret only in a SecureString or Secrets
    Manager). The one order `plan` and the fix commands share."""
    if entry is not None:
        store = lookup(entry.kind)
        return store.held(entry.source_name, key, secret) if store is not None else None
    for candidate in env.sources:
        store = lookup(candidate.type)
        target = store.new(candidate, key, secret) if store is not None else None
        if target is not None:
            return target
    return None


def plaintext_allowed(env: EnvironmentConfig, entry: Entry | None) -> bool:
    """Whether a secret may be written in plaintext here: the dotenv file already holds it, or
    the environment has no secret store at all (its dotenv file is its store)."""
    if entry is None:
        return not env.has_secret_store
    return entry.kind == "dotenv"


def plan_command(env: EnvironmentConfig, key: str | None = None) -> str:
    """The plan and apply that clear a finding; with `key`, its value read from VARIABLE
    when applied (so it is never in the plan, the shell history or the report)."""
    given = f" --value-from-env {key}=VARIABLE" if key is not None else ""
    return f"drift plan --env {env.name}{given} --out plan.json && drift apply plan.json"


def region(env: EnvironmentConfig) -> str:
    """` --region R` for an AWS command, when the environment names one."""
    name = env.settings.get("aws", {}).get("region")
    return f" --region {quote(str(name))}" if name else ""


def quote(text: str) -> str:
    """`text` as one shell word (shlex loads with the first command: start-up time)."""
    import shlex

    return shlex.quote(text)
