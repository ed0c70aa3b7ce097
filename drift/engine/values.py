"""Checking one value against its spec: type, allowed values, schemes, range, length,
pattern and `equals`. Messages say what was expected and never repeat the value."""

from collections.abc import Mapping
from typing import NamedTuple

from drift.model import Entry
from drift.schema import patterns, types
from drift.schema.keyspec import Condition, KeySpec
from drift.schema.showable import shown


class Violation(NamedTuple):
    """Why a value is invalid, and what would be valid."""

    message: str
    expected: str
    #: `inferred` when the broken constraint was guessed from the example value.
    basis: str = "declared"


def _number(value: float) -> str:
    return str(int(value)) if value.is_integer() else str(value)


def violation(spec: KeySpec, value: str) -> Violation | None:
    """The first way `value` breaks `spec`, or None. Empty values meet every constraint but
    `equals`."""
    if value == "":
        return _equals(spec, value)
    if not spec.constrained:
        return None
    try:
        parsed = types.parse(spec.type, value)
    except types.InvalidValue as exc:
        if "type" in spec.inferred:
            return Violation(
                f"{spec.name} is not {exc} (inferred from the example value; declare @type to confirm, "
                "or @type str to relax)",
                str(exc),
                "inferred",
            )
        return Violation(f"{spec.name} is not {exc}", str(exc))
    found = (
        _allowed(spec, parsed.typed)
        or _schemes(spec, value)
        or _range(spec, parsed.magnitude)
        or _length(spec, value)
        or _pattern(spec, value)
    )
    return found or _equals(spec, value)


def _allowed(spec: KeySpec, typed: object) -> Violation | None:
    if spec.values is None:
        return None
    allowed = ", ".join(spec.values)
    if spec.type == "csv":
        assert isinstance(typed, tuple)
        if any(item not in spec.values for item in typed):
            return Violation(f"{spec.name} has an item that is not one of: {allowed}", f"items from: {allowed}")
        return None
    if typed not in spec.values:
        return Violation(f"{spec.name} is not one of: {allowed}", f"one of: {allowed}")
    return None


def _schemes(spec: KeySpec, value: str) -> Violation | None:
    if spec.schemes is None:
        return None
    scheme = value.split("://", 1)[0].lower() if "://" in value else ""
    if scheme not in spec.schemes:
        allowed = ", ".join(spec.schemes)
        inferred = "schemes" in spec.inferred
        return Violation(
            f"{spec.name} has a URL scheme that is not allowed (allowed: {allowed})"
            + (" (inferred from the example value)" if inferred else ""),
            f"a URL with scheme {allowed}",
            "inferred" if inferred else "declared",
        )
    return None


def _range(spec: KeySpec, magnitude: float | int | None) -> Violation | None:
    if magnitude is None:
        return None
    unit = " items" if spec.type == "csv" else (" seconds" if spec.type == "duration" else "")
    if spec.min is not None and magnitude < spec.min:
        return Violation(
            f"{spec.name} is below the minimum of {_number(spec.min)}{unit}", f">= {_number(spec.min)}{unit}"
        )
    if spec.max is not None and magnitude > spec.max:
        return Violation(
            f"{spec.name} is above the maximum of {_number(spec.max)}{unit}", f"<= {_number(spec.max)}{unit}"
        )
    return None


def _length(spec: KeySpec, value: str) -> Violation | None:
    if spec.min_length is not None and len(value) < spec.min_length:
        return Violation(
            f"{spec.name} is {len(value)} characters, shorter than {spec.min_length}",
            f"at least {spec.min_length} characters",
        )
    if spec.max_length is not None and len(value) > spec.max_length:
        return Violation(
            f"{spec.name} is {len(value)} characters, longer than {spec.max_length}",
            f"at most {spec.max_length} characters",
        )
    return None


def _pattern(spec: KeySpec, value: str) -> Violation | None:
    if spec.pattern is None:
        return None
    try:
        if patterns.full_match(spec.pattern, value):
            return None
    except patterns.PatternTimeout:
        return Violation(
            f"{spec.name}: the pattern check could not complete within {patterns.MATCH_SECONDS} s "
            "(the pattern backtracks catastrophically; simplify it)",
            f"matches {spec.pattern}",
        )
    return Violation(f"{spec.name} does not match the pattern {spec.pattern}", f"matches {spec.pattern}")


def _equals(spec: KeySpec, value: str) -> Violation | None:
    if spec.equals is None:
        return None
    if types.comparable(types.typed_or_raw(spec.type, value)) == types.comparable(
        types.typed_or_raw(spec.type, spec.equals)
    ):
        return None
    text = shown(spec, spec.equals)
    if text is not None:
        return Violation(f"{spec.name} must equal {text!r} in this environment", text)
    return Violation(f"{spec.name} must equal its declared value in this environment", "the declared value")


def same_value(spec: KeySpec | None, left: str, right: str) -> bool:
    """Whether two values are equal as the key's type (`1` and `true` for a bool)."""
    if left == right:
        return True
    if spec is None or spec.type == "str":
        return False
    return types.comparable(types.typed_or_raw(spec.type, left)) == types.comparable(
        types.typed_or_raw(spec.type, right)
    )


def condition_holds(condition: Condition, specs: Mapping[str, KeySpec], entries: Mapping[str, Entry]) -> bool:
    """`required_if KEY=VALUE`: KEY is set, to VALUE compared as KEY's type."""
    other = entries.get(condition.key)
    if other is None or other.value is None:
        return False
    return same_value(specs.get(condition.key), other.value, condition.value)
