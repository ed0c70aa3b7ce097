"""Time and peak memory of `drift check` on single hostile files (issue #20's bound: one
minute and 300 MB a run for any file up to about 1 MB), each in a fresh process.

    .venv/bin/python benchmarks/hostile_limits.py                          # this tree
    PYTHONPATH=/tmp/before .venv/bin/python benchmarks/hostile_limits.py   # another tree

Peak memory is the child's own maximum resident set (os.wait4), so nothing else counts.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TOML = '[drift]\nschema = "{schema}"\n{envs}'
DOTENV_ENV = '[environments.{name}]\nsources = [{{ type = "dotenv", path = "{path}" }}]\n'


def _undeclared(root: Path) -> None:
    (root / ".env.example").write_text("A=1\n")
    (root / "prod.env").write_text("".join(f"K{i}=v\n" for i in range(150_000)))  # 1.3 MB
    (root / "drift.toml").write_text(
        TOML.format(schema=".env.example", envs=DOTENV_ENV.format(name="p", path="prod.env"))
    )


def _required(root: Path) -> None:
    (root / ".env.example").write_text("".join(f"KEY_NUMBER_{i}=x\n" for i in range(10_000)))  # 0.2 MB
    (root / "e.env").write_text("X=1\n")
    envs = "".join(DOTENV_ENV.format(name=f"e{i}", path="e.env") for i in range(3))
    (root / "drift.toml").write_text(TOML.format(schema=".env.example", envs=envs))


def _unit(root: Path) -> None:
    (root / "deploy").mkdir()
    words = " ".join(f"K{i % 5000}=v" for i in range(150_000))  # 1.1 MB on one line
    (root / "deploy" / "app.service").write_text(f"[Service]\nEnvironment={words}\n")
    (root / ".env.example").write_text("K1=v\n")
    source = '[environments.vm]\nsources = [{ type = "systemd", unit = "app.service", root = "deploy" }]\n'
    (root / "drift.toml").write_text(TOML.format(schema=".env.example", envs=source))


def _cel(root: Path) -> None:
    (root / ".env.example").write_text("# @type csv\nX=a\n")
    (root / "prod.env").write_text("X=" + ",".join("a" * 30_000) + "\n")  # 60 KB
    checks = '[[assert]]\nname = "huge"\ncheck = "X.map(a, X.map(b, a + b)).size() > 0"\n'
    (root / "drift.toml").write_text(
        TOML.format(schema=".env.example", envs=DOTENV_ENV.format(name="p", path="prod.env")) + checks
    )


CASES = {
    "150,000 undeclared keys in one 1.3 MB file": _undeclared,
    "10,000 required keys in the example, 3 empty environments": _required,
    "a unit file with 150,000 Environment= words": _unit,
    "a CEL assertion that builds gigabytes": _cel,
}


def _run(root: Path, fmt: str) -> tuple[float, float, int]:
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "drift", "check", "--format", fmt],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "DRIFT_FINGERPRINT_KEY": "bench"},
    )
    _, status, usage = os.wait4(child.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def main() -> None:
    print("| file | format | seconds | peak MB | exit |")
    print("| --- | --- | --- | --- | --- |")
    for name, build in CASES.items():
        with tempfile.TemporaryDirectory() as folder:
            build(Path(folder))
            for fmt in ("terminal", "json", "sarif", "html"):
                seconds, peak, code = _run(Path(folder), fmt)
                print(f"| {name} | {fmt} | {seconds:.2f} | {peak:.0f} | {code} |", flush=True)


if __name__ == "__main__":
    main()
