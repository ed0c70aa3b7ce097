"""Choosing the CEL implementation for `[[assert]]`: correctness on the features drift uses,
speed on 20 environments x 1,000 keys, and install size. Run in a virtual environment that
has the candidates (see benchmarks/README.md):

    python benchmarks/cel_choice.py
"""

from __future__ import annotations

import importlib.metadata
import statistics
import time
from collections.abc import Callable
from typing import Any

#: (expression, variables, expected): the features assertions use.
CASES: list[tuple[str, dict[str, Any], Any]] = [
    ("A + 1 == 3", {"A": 2}, True),
    ("A in B", {"A": "x", "B": ["x", "y"]}, True),
    ("size(B) == 2", {"B": ["x", "y"]}, True),
    ("A.startsWith('http')", {"A": "https://x"}, True),
    ("A.matches('^[a-z]+$')", {"A": "abc"}, True),
    ("has(keys.A) && !has(keys.B)", {"keys": {"A": True}}, True),
    ("A > 1.5", {"A": 2.0}, True),
    ("B.exists(x, x == 'y')", {"B": ["x", "y"]}, True),
    ("(A == 'smtp') ? size(B) > 0 : true", {"A": "smtp", "B": ["m"]}, True),
    ("A == true || A == false", {"A": True}, True),
]
ORIGIN = "url_origin(A) in csv(B)"


def _celpy() -> tuple[Callable[[str, dict[str, Any]], Any], Callable[[str, dict[str, Any]], Any]]:
    import celpy  # type: ignore[import-not-found,unused-ignore]
    from celpy import celtypes  # type: ignore[import-not-found,unused-ignore]

    env = celpy.Environment()

    def convert(value: Any) -> Any:
        return celpy.json_to_cel(value)

    def url_origin(value: Any) -> Any:
        text = str(value)
        scheme, _, rest = text.partition("://")
        return celtypes.StringType(f"{scheme}://{rest.split('/', 1)[0]}")

    def csv(value: Any) -> Any:
        return celtypes.ListType([celtypes.StringType(v.strip()) for v in str(value).split(",")])

    def run(expression: str, variables: dict[str, Any]) -> Any:
        program = env.program(env.compile(expression), functions={"url_origin": url_origin, "csv": csv})
        return program.evaluate({k: convert(v) for k, v in variables.items()})

    def prepare(expression: str, _: dict[str, Any]) -> Any:
        program = env.program(env.compile(expression), functions={"url_origin": url_origin, "csv": csv})
        return lambda variables: program.evaluate({k: convert(v) for k, v in variables.items()})

    return run, prepare


def _rust_cel() -> tuple[Callable[[str, dict[str, Any]], Any], Callable[[str, dict[str, Any]], Any]]:
    import cel  # type: ignore[import-not-found,unused-ignore]

    def context(variables: dict[str, Any]) -> Any:
        ctx = cel.Context()
        ctx.add_function("url_origin", lambda t: f"{t.split('://')[0]}://{t.split('://', 1)[1].split('/', 1)[0]}")
        ctx.add_function("csv", lambda t: [v.strip() for v in t.split(",")])
        for name, value in variables.items():
            ctx.add_variable(name, value)
        return ctx

    def run(expression: str, variables: dict[str, Any]) -> Any:
        return cel.evaluate(expression, context(variables))

    def prepare(expression: str, _: dict[str, Any]) -> Any:
        program = cel.compile(expression)
        return lambda variables: program.execute(context(variables))

    return run, prepare


def _cel_expr() -> tuple[Callable[[str, dict[str, Any]], Any], Callable[[str, dict[str, Any]], Any]]:
    from cel_expr_python import cel

    def declared(variables: dict[str, Any]) -> dict[str, Any]:
        return dict.fromkeys(variables, cel.Type.DYN)

    functions = [
        cel.FunctionDecl("url_origin", [cel.Overload("url_origin_string", cel.Type.STRING, [cel.Type.STRING],
                         impl=lambda t: f"{t.split('://')[0]}://{t.split('://', 1)[1].split('/', 1)[0]}")]),
        cel.FunctionDecl("csv", [cel.Overload("csv_string", cel.Type.List(cel.Type.STRING), [cel.Type.STRING],
                         impl=lambda t: [v.strip() for v in t.split(",")])]),
    ]  # fmt: skip

    def run(expression: str, variables: dict[str, Any]) -> Any:
        env = cel.NewEnv(variables=declared(variables), functions=functions)
        return env.compile(expression).eval(data=variables).value()

    def prepare(expression: str, variables: dict[str, Any]) -> Any:
        env = cel.NewEnv(variables=declared(variables), functions=functions)
        compiled = env.compile(expression)
        return lambda data: compiled.eval(data=data).value()

    return run, prepare


CANDIDATES = {
    "cel-python (celpy)": ("cel-python", _celpy),
    "common-expression-language": ("common-expression-language", _rust_cel),
    "cel-expr-python": ("cel-expr-python", _cel_expr),
}


def main() -> None:
    variables = {f"KEY_{i:04d}": f"value-{i}" for i in range(1000)}
    variables.update({"A": "https://app.example.io/login", "B": "https://app.example.io,http://localhost:3000"})
    for label, (distribution, factory) in CANDIDATES.items():
        try:
            version = importlib.metadata.version(distribution)
            run, prepare = factory()
        except Exception as exc:
            print(f"{label}: does not import ({type(exc).__name__}: {exc})")
            continue
        correct = 0
        for expression, values, expected in CASES:
            try:
                correct += run(expression, values) == expected
            except Exception:
                continue
        origin = prepare(ORIGIN, variables)
        times = []
        for _ in range(5):
            start = time.perf_counter()
            for _env in range(20):
                assert origin(variables) in (True,) or origin(variables) is not None
            times.append(time.perf_counter() - start)
        print(
            f"{label} {version}: {correct}/{len(CASES)} cases, "
            f"20 environments x 1,000 keys: {statistics.median(times) * 1000:.1f} ms"
        )


if __name__ == "__main__":
    main()
