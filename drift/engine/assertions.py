"""`[[assert]]`: cross-key assertions in CEL, the Common Expression Language Kubernetes uses
for its validation rules (safe, side-effect free, specified), through Google's own runtime
(cel-expr-python; the choice is measured in benchmarks/README.md).

Every declared key whose name is a CEL identifier is a variable typed by the schema (an int
key is a CEL int, a bool a bool, a csv a list of strings, a duration its seconds as a double,
anything else a string). A key that is absent, empty or invalid for its type in an
environment is absent: `has(NAME)` is false and using it makes the assertion unevaluable.
Expressions are compiled and type-checked once against the schema (a bad one is a
configuration error naming the assertion); a false check is an `assertion` finding whose
message is the assertion's own, so no value ever appears in it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from drift.engine import bounded
from drift.model import EnvSnapshot
from drift.schema import Schema, types
from drift.settings import Assertion

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_HAS = re.compile(r"\bhas\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)")
#: The map behind `has(NAME)`: CEL's has() tests a field, so `has(KEY)` reads `has(_present.KEY)`.
PRESENT = "_present"


class AssertionCompileError(Exception):
    """An expression that does not compile or type-check; the message names the assertion
    and CEL's position and reason (config text only, never a value)."""


def _url_parts(text: str) -> tuple[str, str]:
    scheme, separator, rest = text.partition("://")
    if not separator:
        return "", ""
    return scheme.lower(), rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0].rsplit("@", 1)[-1]


def _url_origin(text: str) -> str:
    scheme, authority = _url_parts(text)
    return f"{scheme}://{authority.lower()}" if scheme else ""


def _url_host(text: str) -> str:
    _, authority = _url_parts(text)
    host = authority.rsplit(":", 1)[0] if authority.count(":") == 1 or "]" in authority else authority
    return host.strip("[]").lower()


def _url_scheme(text: str) -> str:
    return _url_parts(text)[0]


def _csv(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def _duration_seconds(text: str) -> float:
    try:
        return types.parse_duration(text)
    except types.InvalidValue:
        return -1.0


#: The function library: name -> (parameter types, return type, implementation).
FUNCTIONS = {
    "csv": ("STRING", "LIST_STRING", _csv),
    "url_origin": ("STRING", "STRING", _url_origin),
    "url_host": ("STRING", "STRING", _url_host),
    "url_scheme": ("STRING", "STRING", _url_scheme),
    "duration_seconds": ("STRING", "DOUBLE", _duration_seconds),
}


class Compiled:
    """The assertions of a project, compiled against its schema."""

    def __init__(self, schema: Schema, assertions: Sequence[Assertion]) -> None:
        from cel_expr_python import cel  # imported only for projects that assert something

        self._cel = cel
        self.schema = schema
        self.variables = {
            name: spec.type for name, spec in schema.specs.items() if _IDENTIFIER.fullmatch(name) and name != PRESENT
        }
        declared: dict[str, Any] = {name: self._type(kind) for name, kind in self.variables.items()}
        declared[PRESENT] = cel.Type.Map(cel.Type.STRING, cel.Type.BOOL)
        overloads: dict[str, list[Any]] = {}
        for name, (parameter, result, impl) in FUNCTIONS.items():
            overload = cel.Overload(
                f"{name}_{parameter.lower()}", self._cel_type(result), [self._cel_type(parameter)], impl=impl
            )
            overloads.setdefault(name, []).append(overload)
        # csv() of a key typed csv is already a list: the identity, so the same check reads both ways
        overloads["csv"].append(
            cel.Overload("csv_list", self._cel_type("LIST_STRING"), [self._cel_type("LIST_STRING")], impl=list)
        )
        functions = [cel.FunctionDecl(name, found) for name, found in overloads.items()]
        self._env = cel.NewEnv(variables=declared, functions=functions)
        self.assertions = [
            (a, self._compile(a, a.check, "check"), self._compile(a, a.when, "when")) for a in assertions
        ]
        #: The keys each assertion names (by the identifiers in its text).
        self.uses = {
            a.name: sorted(set(_IDENTIFIER.findall(f"{a.check} {a.when or ''}")) & set(self.variables))
            for a in assertions
        }

    def _cel_type(self, name: str) -> Any:
        cel = self._cel
        return cel.Type.List(cel.Type.STRING) if name == "LIST_STRING" else getattr(cel.Type, name)

    def _type(self, kind: str) -> Any:
        cel = self._cel
        mapping = {
            "int": cel.Type.INT,
            "port": cel.Type.INT,
            "float": cel.Type.DOUBLE,
            "duration": cel.Type.DOUBLE,
            "bool": cel.Type.BOOL,
            "csv": cel.Type.List(cel.Type.STRING),
            "json": cel.Type.DYN,
        }
        return mapping.get(kind, cel.Type.STRING)

    def _compile(self, assertion: Assertion, expression: str | None, field: str) -> Any:
        if expression is None:
            return None
        try:
            compiled = self._env.compile(_HAS.sub(rf"has({PRESENT}.\1)", expression))
        except RuntimeError as exc:
            reason = str(exc).splitlines()[0].removeprefix("INVALID_ARGUMENT: ").removeprefix("ERROR: ")
            raise AssertionCompileError(f"assertion {assertion.name!r}: `{field}` does not compile: {reason}") from None
        if compiled.return_type() not in (self._cel.Type.BOOL, self._cel.Type.DYN):
            raise AssertionCompileError(f"assertion {assertion.name!r}: `{field}` must be a boolean expression")
        return compiled

    def data(self, snapshot: EnvSnapshot) -> dict[str, Any]:
        """The environment's typed values; absent, empty and invalid keys are left out."""
        specs = self.schema.for_env(snapshot.env)
        values: dict[str, Any] = {}
        for name in self.variables:
            entry = snapshot.entries.get(name)
            if entry is None or not entry.value:
                continue
            try:
                typed = types.parse(specs[name].type, entry.value).typed
            except types.InvalidValue:
                continue
            if isinstance(typed, int) and not isinstance(typed, bool) and not -(2**63) <= typed < 2**63:
                continue  # beyond a CEL int: absent, like any value its type cannot hold
            values[name] = list(typed) if isinstance(typed, tuple) else typed
        values[PRESENT] = dict.fromkeys(values, True)
        return values

    def failures(self, snapshot: EnvSnapshot) -> Iterator[tuple[Assertion, str | None]]:
        """Each assertion that does not hold in the environment, with None when it is false
        or the reason it could not be evaluated."""
        data = self.data(snapshot)
        runnable = []
        for assertion, check, when in self.assertions:
            if assertion.envs and snapshot.env not in assertion.envs:
                continue
            hidden = [name for name in self.uses[assertion.name] if _unreadable(snapshot, name)]
            if hidden:  # set, but its value is not given: never "holds" by default
                yield assertion, f"could not be evaluated: the value of {hidden[0]} is not readable"
                continue
            large = [name for name in self.uses[assertion.name] if _too_large(snapshot, name)]
            if large:  # CEL's budget counts steps, not bytes: what it may build is bounded here
                yield assertion, f"could not be evaluated: the value of {large[0]} is over {MAX_VALUE:,} characters"
                continue
            runnable.append((assertion, check, when))
        outcomes = bounded.run_each(runnable, lambda job: self._outcome(job[1], job[2], data))
        for (assertion, _, _), outcome in zip(runnable, outcomes, strict=True):
            if outcome is False:
                yield assertion, None
            elif isinstance(outcome, str):
                yield assertion, f"could not be evaluated: {outcome}"

    def _outcome(self, check: Any, when: Any, data: Mapping[str, Any]) -> bool | str | None:
        """True or False; None when `when` does not hold; else why it could not be evaluated."""
        applies = True if when is None else self._run(when, data)
        if applies is not True:
            return None if applies is False else applies
        return self._run(check, data)

    def _run(self, compiled: Any, data: Mapping[str, Any]) -> bool | str:
        """True, False, or the kind of error (CEL's status code, never its text)."""
        try:
            value = compiled.eval(data=data)
        except RuntimeError as exc:
            if "budget" in str(exc):
                return "it ran past CEL's iteration budget"
            return "a value could not be converted"
        except (TypeError, ValueError, OverflowError):  # a value CEL cannot hold
            return "a value could not be converted"
        if value.type() == self._cel.Type.ERROR:
            text = str(value.value())
            return text.split(":", 1)[0] if ":" in text else "error"
        result = value.value()
        return result if isinstance(result, bool) else "not a boolean"


#: The longest value an assertion reads: with CEL's step budget, this bounds the memory an
#: expression can build (a 120-character expression over a 2 MB value took 1.5 GB).
MAX_VALUE = 64 * 1024


def _too_large(snapshot: EnvSnapshot, name: str) -> bool:
    entry = snapshot.entries.get(name)
    return entry is not None and entry.value is not None and len(entry.value) > MAX_VALUE


def _unreadable(snapshot: EnvSnapshot, name: str) -> bool:
    entry = snapshot.entries.get(name)
    return entry is not None and entry.value is None


def compile_assertions(schema: Schema, assertions: Sequence[Assertion]) -> Compiled | None:
    """The compiled assertions, or None when there are none (and cel is not imported)."""
    return Compiled(schema, assertions) if assertions else None
