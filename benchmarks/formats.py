"""`drift check` in every output format on 20 environments x 5,000 keys, each round's figures
taken against that round's python-dotenv parse (the floor), so that a slow minute of the
machine moves both: rounds of the parse, then each format from a fresh process, medians of
the ratios. With `--against PYTHON`, another install (an earlier commit's venv) runs in the
same rounds, side by side.

    python benchmarks/formats.py [--rounds 9] [--against /tmp/base/bin/python]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.generate import make_project  # noqa: E402
from benchmarks.run import ENV, PYTHON, cli_peak  # noqa: E402

FORMATS = ("terminal", "sarif", "codequality", "openmetrics", "markdown", "junit", "json")
#: The floor, timed inside its process (as `benchmarks/run.py`'s one-process parse).
PARSE = (
    "import time\nfrom pathlib import Path\nfrom dotenv import dotenv_values\n"
    "files = sorted(Path('.').glob('env*.env'))\nstart = time.perf_counter()\n"
    "for p in files: dotenv_values(p, interpolate=False)\nprint(time.perf_counter() - start)"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--against", help="another install's python, run in the same rounds")
    args = parser.parse_args()
    pythons = [PYTHON, *([args.against] if args.against else [])]
    figures: dict[tuple[str, str], list[tuple[float, float, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_project(root, 20, 5000)
        for _ in range(args.rounds):
            done = subprocess.run([PYTHON, "-c", PARSE], cwd=root, capture_output=True, text=True, check=True, env=ENV)
            floor = float(done.stdout)
            for python in pythons:
                for fmt in FORMATS:
                    seconds, peak = cli_peak([python, "-m", "drift", "check", "--format", fmt], root)
                    figures.setdefault((python, fmt), []).append((seconds, seconds / floor, peak))
    print(f"  20 x 5,000 keys, {args.rounds} rounds; medians; the floor is python-dotenv's parse in one process")
    for (python, fmt), rows in figures.items():
        seconds = statistics.median(row[0] for row in rows)
        ratio = statistics.median(row[1] for row in rows)
        peak = max(row[2] for row in rows)
        print(f"  {python:<28} {fmt:<12} {seconds:6.3f} s  {ratio:5.3f}x  {peak:4.0f} MB")


if __name__ == "__main__":
    main()
