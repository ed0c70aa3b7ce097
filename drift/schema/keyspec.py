"""KeySpec: what the schema says about one key, and the field converters that build it.

drift.toml tables and `.env.example` annotations feed the same converters, so a field means
the same thing wherever it is written. Converters raise ValueError with a message that names
the field; callers add the file and line.
"""

import math
from collections.abc import Callable, Mapping
from functools import cached_property
from types import MappingProxyType
from typing import Any, NamedTuple

from drift.schema import patterns, types
from drift.secrets import is_secret_name, is_setting_name

PARITY_MODES = ("same", "differ", "free")


class Condition(NamedTuple):
    """`required_if = "KEY=VALUE"`: the key is required when KEY has that (typed) value."""

    key: str
    value: str

    def __str__(self) -> str:
        return f"{self.key}={self.value}"


#: Types whose valid values are flags, numbers, durations or enum words: never credentials,
#: so they may be shown (`showable`) and make a secret-sounding name a setting (`is_setting`).
SETTING_TYPES = frozenset({"bool", "int", "float", "port", "duration", "enum"})


#: The empty override table every spec without overrides shares (read-only, so sharing it is safe).
_NO_OVERRIDES: Mapping[str, Mapping[str, Any]] = MappingProxyType({})


class _Fields(NamedTuple):
    """KeySpec's fields. A named tuple rather than a dataclass: `dataclasses` loads `inspect`,
    a seventh of the pre-commit check's start-up (benchmarks/README.md)."""

    name: str
    type: str = "str"
    values: tuple[str, ...] | None = None
    schemes: tuple[str, ...] | None = None
    min: float | None = None
    max: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    default: str | None = None
    #: Explicit secrecy; None means "decide by name and value".
    secret: bool | None = None
    #: Explicit requirement: a bool, a tuple of environment names, or None (derive it).
    required: bool | tuple[str, ...] | None = None
    nonempty: bool = False
    required_if: Condition | None = None
    deprecated: str | None = None
    parity: str = "free"
    #: Seconds; a secret last changed longer ago is `stale`.
    max_age: float | None = None
    #: Only in `env.<name>` tables: the exact value this environment must have.
    equals: str | None = None
    #: `drift plan --generate KEY` may make this secret's value (cryptographically random,
    #: meeting `min_length` and `pattern`).
    generate: bool = False
    description: str = ""
    #: The value in `.env.example`, or None when not declared by an assignment there.
    example: str | None = None
    #: `example` (an assignment), `commented` (`# KEY=...`) or `config` (drift.toml only).
    origin: str = "config"
    #: `path:line` of the declaration, for reports and SARIF.
    location: str | None = None
    overrides: Mapping[str, Mapping[str, Any]] = _NO_OVERRIDES
    #: Documentation tags that drift does not interpret (`@see ...`), kept verbatim.
    notes: tuple[str, ...] = ()
    #: Fields drift guessed from the example value (`type`, `schemes`) rather than read
    #: from a declaration: findings that rest on them are `inferred`.
    inferred: frozenset[str] = frozenset()


class KeySpec(_Fields):
    """Everything the schema says about one key, for one environment once resolved. Immutable
    (`_replace` makes a changed copy); what is derived from the fields is worked out once, on
    first use (the subclass has the `__dict__` that `cached_property` keeps it in)."""

    def for_env(self, env: str) -> "KeySpec":
        """This spec with the environment's overrides applied."""
        override = self.overrides.get(env)
        if not override:
            return self
        return self._replace(**override, inferred=self.inferred - set(override))

    @cached_property
    def schema_secret(self) -> bool:
        """Secret by the schema: the explicit field, else the name heuristic, unless the key
        is a setting (`is_setting`)."""
        if self.secret is not None:
            return self.secret
        return is_secret_name(self.name) and not self.is_setting

    @cached_property
    def is_setting(self) -> bool:
        """A key whose name toggles or counts (`DISABLE_PASSWORD_LOGIN`, `PASSWORD_MIN_LENGTH`)
        and whose type, declared or inferred from the example, is a flag, a number or an enum:
        a setting, not a secret, whatever other word the name holds. Never for a key declared
        secret."""
        return self.secret is None and self.type in SETTING_TYPES and is_setting_name(self.name)

    @cached_property
    def constrained(self) -> bool:
        """Whether a non-empty value needs checking at all (a plain str key does not)."""
        return self.type != "str" or any(
            v is not None
            for v in (
                self.values,
                self.schemes,
                self.min,
                self.max,
                self.min_length,
                self.max_length,
                self.pattern,
                self.equals,
            )
        )

    def is_required(self, env: str) -> bool:
        """Whether the key must be present in `env`, leaving `required_if` to the caller."""
        return self.requirement(env)[0]

    def requirement(self, env: str) -> tuple[bool, bool]:
        """(required in `env`, whether that rests only on an inference): an empty example
        value and a secret-like name is a guess, not a declaration (DESIGN.md Semantics)."""
        if self.deprecated is not None or self.required_if is not None:
            return False, False
        if isinstance(self.required, tuple):
            return env in self.required, False
        if self.required is not None:
            return self.required, False
        if self.default is not None:  # the application falls back to it: `default-applied`, not `missing`
            return False, False
        if self.origin == "example":
            if self.example or self.nonempty or self.secret:
                return True, False
            return self.schema_secret, self.schema_secret
        return self.origin == "config", False


def _bool(name: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    raise ValueError(f"`{name}` must be true or false")


def _type(name: str, value: object) -> str:
    if not isinstance(value, str) or value not in types.TYPES:
        raise ValueError(f"`{name}` must be one of {', '.join(types.TYPES)}")
    return value


def _strings(name: str, value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        items = [v.strip() for v in value.split(",") if v.strip()]
    elif isinstance(value, list) and all(isinstance(v, str) for v in value):
        items = list(value)
    else:
        raise ValueError(f"`{name}` must be a list of strings")
    if not items:
        raise ValueError(f"`{name}` must not be empty")
    return tuple(items)


#: Bounds beyond this are refused: no setting needs them, and float() would overflow.
MAX_BOUND = 1e15


def _number(name: str, value: object) -> float:
    number: float | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = float(value) if abs(value) <= MAX_BOUND else None
    elif isinstance(value, float):
        number = value
    elif isinstance(value, str):
        try:
            number = float(value) if types.is_float(value) else types.parse_duration(value)
        except types.InvalidValue:
            number = None
    if number is None or not math.isfinite(number) or abs(number) > MAX_BOUND:
        raise ValueError(f"`{name}` must be a finite number up to {MAX_BOUND:.0e} (or a duration such as 15m)")
    return number


def _length(name: str, value: object) -> int:
    number = _number(name, value)
    if number < 0 or not number.is_integer():
        raise ValueError(f"`{name}` must be a whole number of characters")
    return int(number)


def _pattern(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"`{name}` must be a regular expression string")
    try:
        patterns.compiled(value)
    except patterns.BadPattern as exc:
        where = f" at position {exc.position}" if exc.position is not None else ""
        raise ValueError(f"`{name}` is not a valid regular expression{where}") from None
    return value


def _text(name: str, value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError(f"`{name}` must be a string")
    return str(value)


def _required(name: str, value: object) -> bool | tuple[str, ...]:
    if isinstance(value, bool):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ValueError(f"`{name}` must be true, false or a list of environment names")


def _condition(name: str, value: object) -> Condition:
    if not isinstance(value, str) or "=" not in value:
        raise ValueError(f"`{name}` must read KEY=VALUE")
    key, _, expected = value.partition("=")
    if not key.strip():
        raise ValueError(f"`{name}` must read KEY=VALUE")
    return Condition(key.strip(), expected.strip())


def _parity(name: str, value: object) -> str:
    if value not in PARITY_MODES:
        raise ValueError(f"`{name}` must be one of {', '.join(PARITY_MODES)}")
    return str(value)


def _duration(name: str, value: object) -> float:
    if isinstance(value, str):
        try:
            return types.parse_duration(value)
        except types.InvalidValue:
            pass
    raise ValueError(f"`{name}` must be a duration such as 90d, 12h or 4w")


Converter = Callable[[str, object], object]

#: Every field a [keys.NAME] table (and, with `equals`, an env.<name> table) may set.
FIELDS: dict[str, Converter] = {
    "type": _type,
    "values": _strings,
    "schemes": _strings,
    "min": _number,
    "max": _number,
    "min_length": _length,
    "max_length": _length,
    "pattern": _pattern,
    "default": _text,
    "secret": _bool,
    "required": _required,
    "nonempty": _bool,
    "required_if": _condition,
    "deprecated": _text,
    "parity": _parity,
    "max_age": _duration,
    "description": _text,
    "generate": _bool,
}
ENV_FIELDS: dict[str, Converter] = {**FIELDS, "equals": _text}


def convert(fields: Mapping[str, Converter], name: str, value: object) -> object:
    """Convert one field's value; KeyError for an unknown field, ValueError for a bad value."""
    return fields[name](name, value)


def build(name: str, merged: Mapping[str, Any], **facts: Any) -> KeySpec:
    """A KeySpec from converted fields, checking the combinations no single field can."""
    fields = dict(merged)
    if fields.get("values") is not None and "type" not in fields:
        fields["type"] = "enum"
    spec = KeySpec(name=name, **fields, **facts)
    check_combination(spec)
    for override in spec.overrides.values():
        check_combination(spec._replace(**override))
    return spec


def check_combination(spec: KeySpec) -> None:
    """Refuse field combinations that cannot mean anything (raises ValueError)."""
    if spec.type == "enum" and not spec.values:
        raise ValueError("type `enum` needs `values`")
    if spec.values is not None and spec.type not in ("enum", "csv"):
        raise ValueError("`values` applies to types enum and csv")
    if spec.schemes is not None and spec.type != "url":
        raise ValueError("`schemes` applies to type url")
    if (spec.min is not None or spec.max is not None) and spec.type not in types.NUMERIC_TYPES:
        raise ValueError("`min` / `max` apply to types int, float, port, duration and csv")
    if spec.min is not None and spec.max is not None and spec.min > spec.max:
        raise ValueError("`min` is greater than `max`")
