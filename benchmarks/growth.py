"""How a check grows with the number of keys: 20 environments of 2,500, 5,000, 10,000 and
20,000 keys (the most a source holds), `drift check` (the CI check's terminal report) and
`drift check --format json` (the report with its environment x key matrix) from a fresh
process (wall time and peak RSS) against python-dotenv merely parsing the same files (the
floor). The per-key columns are what "linear" means here: they should stay level as the keys
grow."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.generate import make_project  # noqa: E402
from benchmarks.run import PYTHON, cli_peak, peak_memory_mb  # noqa: E402

ENVIRONMENTS = 20
SIZES = (2_500, 5_000, 10_000, 20_000)
PARSE = (
    "from pathlib import Path\nfrom dotenv import dotenv_values\n"
    "for p in sorted(Path('.').glob('env*.env')): dotenv_values(p, interpolate=False)"
)


def main() -> None:
    print(f"  {ENVIRONMENTS} environments; best of 3 fresh processes each")
    print("  keys   | python-dotenv parse | drift check: s, MB, ratio, per key | --format json: s, MB, ratio, per key")
    with tempfile.TemporaryDirectory() as tmp:
        for keys in SIZES:
            root = Path(tmp) / str(keys)
            make_project(root, ENVIRONMENTS, keys)
            parse_s, _ = min(peak_memory_mb(PARSE, root) for _ in range(3))
            cells = ENVIRONMENTS * keys
            figures = []
            for extra in ([], ["--format", "json"]):
                seconds, peak = min(cli_peak([PYTHON, "-m", "drift", "check", *extra], root) for _ in range(3))
                figures.append(
                    f"{seconds:5.2f} s {peak:4.0f} MB {seconds / parse_s:.2f}x "
                    f"{seconds / cells * 1e6:4.1f} us {peak * 1024 / cells:3.1f} KB"
                )
            print(f"  {keys:>6,} | {parse_s:6.2f} s            | " + " | ".join(figures))


if __name__ == "__main__":
    main()
