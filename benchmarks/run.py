"""drift's benchmarks. `make bench` runs them all and prints the figures recorded in
benchmarks/README.md. Timings are medians of several runs of real processes."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.generate import make_project  # noqa: E402

PYTHON = sys.executable
#: Processes run with bytecode caches, as an installed drift has them (pip compiles on
#: install); a PYTHONDONTWRITEBYTECODE in the caller's environment would time compilation.
ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
ENVDRIFT = shutil.which("envdrift") or "/tmp/envdrift-venv/bin/envdrift"


def timed(command: list[str], cwd: Path, repeat: int = 7) -> float:
    """Median wall time of a command, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, capture_output=True, check=False, env=ENV)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_memory_mb(code: str, cwd: Path) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of a Python snippet in a fresh process."""
    wrapper = (
        "import resource, time, json\nstart = time.perf_counter()\n"
        + code
        + "\nprint(json.dumps([time.perf_counter() - start,"
        " resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024]))"
    )
    done = subprocess.run([PYTHON, "-c", wrapper], cwd=cwd, capture_output=True, text=True, check=True, env=ENV)
    seconds, peak = json.loads(done.stdout.strip().splitlines()[-1])
    return float(seconds), float(peak)


def small_files(work: Path) -> dict[str, float]:
    """`drift check` / `drift diff` on two small files, against `envdrift diff`."""
    (work / "a.env").write_text("".join(f"KEY_{i}=value{i}\n" for i in range(30)))
    (work / "b.env").write_text("".join(f"KEY_{i}=value{i if i % 7 else 'x'}\n" for i in range(2, 32)))
    (work / ".env.example").write_text("".join(f"KEY_{i}=value{i}\n" for i in range(50)))
    (work / ".env").write_text("".join(f"KEY_{i}=value{i}\n" for i in range(50)))
    standard = ", ".join(standard_modules_of_check(work))
    figures = interleaved(
        {
            "drift diff": [PYTHON, "-m", "drift", "diff", "a.env", "b.env"],
            "drift check (50 keys, no config)": [PYTHON, "-m", "drift", "check"],
            "python -c 'import dotenv'": [PYTHON, "-c", "import dotenv"],
            "python -c pass": [PYTHON, "-c", "pass"],
            "floor: the standard modules check loads": [PYTHON, "-c", f"import {standard}"],
            "floor: those and click": [PYTHON, "-c", f"import click, {standard}"],
        },
        work,
    )
    dotenv = figures["python -c 'import dotenv'"]
    figures["drift check / import dotenv"] = figures["drift check (50 keys, no config)"] / dotenv
    figures["floor, standard modules / import dotenv"] = figures["floor: the standard modules check loads"] / dotenv
    figures["floor, with click / import dotenv"] = figures["floor: those and click"] / dotenv
    if Path(ENVDRIFT).exists():
        figures["envdrift diff"] = timed([ENVDRIFT, "diff", "a.env", "b.env"], work)
    return figures


def standard_modules_of_check(work: Path) -> list[str]:
    """The standard library's top-level modules `drift check` loads beyond a bare interpreter's:
    what any implementation of the check on these modules pays before a line of drift runs."""
    probe = (
        "import sys\nbare = set(sys.modules)\nfrom drift.cli import main\n"
        "try:\n    main(['check'])\nexcept SystemExit:\n    pass\n"
        "names = {m.split('.')[0] for m in set(sys.modules) - bare}\n"
        "print(' '.join(sorted(n for n in names if n in sys.stdlib_module_names and not n.startswith('_'))))"
    )
    done = subprocess.run([PYTHON, "-c", probe], cwd=work, capture_output=True, text=True, check=True, env=ENV)
    return done.stdout.splitlines()[-1].split()


def interleaved(commands: dict[str, list[str]], cwd: Path, rounds: int = 41) -> dict[str, float]:
    """Median wall time of each command, run in turn round after round, so that a slower
    spell of the machine weighs on all of them alike (start-up times differ by milliseconds).
    A command that fails (any exit but 0, or 1 for drift's findings) stops the benchmark: an
    error exits early, and its time would be a figure for work never done."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, command in commands.items():
            start = time.perf_counter()
            done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False, env=ENV)
            times[name].append(time.perf_counter() - start)
            if done.returncode not in (0, 1):
                raise SystemExit(f"{name}: exit {done.returncode}: {done.stderr.strip()[-300:]}")
    return {name: statistics.median(values) for name, values in times.items()}


def cli_peak(command: list[str], cwd: Path) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of a command, from a small parent that waits for it."""
    wrapper = (
        "import resource, subprocess, sys, time, json\nstart = time.perf_counter()\n"
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=False)\n"
        "print(json.dumps([time.perf_counter() - start,"
        " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024]))"
    )
    done = subprocess.run([PYTHON, "-c", wrapper, *command], cwd=cwd, capture_output=True, text=True, env=ENV)
    seconds, peak = json.loads(done.stdout.strip().splitlines()[-1])
    return float(seconds), float(peak)


def large(work: Path, environments: int, keys: int) -> dict[str, float]:
    """A scan of N environments x K keys against python-dotenv parsing the same files."""
    root = work / f"large-{environments}x{keys}"
    make_project(root, environments, keys)
    parse = (
        "from pathlib import Path\nfrom dotenv import dotenv_values\n"
        "for p in sorted(Path('.').glob('env*.env')): dotenv_values(p, interpolate=False)"
    )
    check = (
        "from pathlib import Path\nfrom drift import api\n"
        "project = api.load_project(Path('drift.toml'), Path('.'))\n"
        "result = api.scan(project, with_matrix=False)"
    )
    check_matrix = check.replace("with_matrix=False", "with_matrix=True")
    warm = (
        "import time\nfrom pathlib import Path\nfrom dotenv import dotenv_values\nfrom drift import api\n"
        "files = sorted(Path('.').glob('env*.env'))\nstart = time.perf_counter()\n"
        "for p in files: dotenv_values(p, interpolate=False)\nparse = time.perf_counter() - start\n"
        "start = time.perf_counter()\napi.scan(api.load_project(Path('drift.toml'), Path('.')), with_matrix=False)\n"
        "print(parse, time.perf_counter() - start)"
    )
    warm_runs = []
    for _ in range(3):
        out = subprocess.run([PYTHON, "-c", warm], cwd=root, capture_output=True, text=True, check=True, env=ENV)
        warm_runs.append(tuple(float(x) for x in out.stdout.split()))
    warm_parse, warm_scan = min(warm_runs, key=lambda pair: pair[1] / pair[0])
    parse_s, parse_mb = min(peak_memory_mb(parse, root) for _ in range(3))
    check_s, check_mb = min(peak_memory_mb(check, root) for _ in range(3))
    matrix_s, matrix_mb = min(peak_memory_mb(check_matrix, root) for _ in range(3))
    cli_s, cli_mb = min(cli_peak([PYTHON, "-m", "drift", "check"], root) for _ in range(3))
    json_s, json_mb = min(cli_peak([PYTHON, "-m", "drift", "check", "--format", "json"], root) for _ in range(3))
    junit_s, junit_mb = min(cli_peak([PYTHON, "-m", "drift", "check", "--format", "junit"], root) for _ in range(3))
    return {
        "drift check --format json, fresh process (s)": json_s,
        "drift check --format json, peak RSS (MB)": json_mb,
        "drift check (terminal), fresh process (s)": cli_s,
        "drift check (terminal), peak RSS (MB)": cli_mb,
        "ratio check (terminal) / parse in one process (the issue's floor)": cli_s / warm_parse,
        "ratio check json / parse in one process (the issue's floor)": json_s / warm_parse,
        "drift check --format junit, fresh process (s)": junit_s,
        "drift check --format junit, peak RSS (MB)": junit_mb,
        "ratio check junit / parse in one process (the issue's floor)": junit_s / warm_parse,
        "ratio check json / parse in a fresh process": json_s / parse_s,
        "python-dotenv parse (s)": parse_s,
        "drift scan, terminal path (s)": check_s,
        "drift scan with matrix, json path (s)": matrix_s,
        "ratio scan / parse (fresh processes)": check_s / parse_s,
        "in one process: parse (s)": warm_parse,
        "in one process: scan (s)": warm_scan,
        "in one process: ratio scan / parse": warm_scan / warm_parse,
        "peak MB scan": check_mb,
        "peak MB scan with matrix": matrix_mb,
        "peak MB parse": parse_mb,
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        print("## small files (median of 41 interleaved runs, seconds)")
        for name, value in small_files(work).items():
            print(f"  {name:<36} {value:.3f}")
        for keys in (1000, 2500, 5000, 10000):
            print(f"## 20 environments x {keys} keys")
            for name, value in large(work, 20, keys).items():
                print(f"  {name:<62} {value:.2f}")


if __name__ == "__main__":
    main()
