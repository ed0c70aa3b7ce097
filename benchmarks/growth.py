"""How a check grows with the number of keys: 20 environments of 2,500, 5,000, 10,000 and
20,000 keys (the most a source holds), `drift check --format json` from a fresh process
(wall time and peak RSS) against python-dotenv merely parsing the same files (the floor). The
per-key columns are what "linear" means here: they should stay level as the keys grow."""

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
    print("  keys   | drift check --format json | python-dotenv parse | ratio | drift per key (us, KB)")
    with tempfile.TemporaryDirectory() as tmp:
        for keys in SIZES:
            root = Path(tmp) / str(keys)
            make_project(root, ENVIRONMENTS, keys)
            parse_s, _ = min(peak_memory_mb(PARSE, root) for _ in range(3))
            command = [PYTHON, "-m", "drift", "check", "--format", "json"]
            json_s, json_mb = min(cli_peak(command, root) for _ in range(3))
            cells = ENVIRONMENTS * keys
            print(
                f"  {keys:>6,} | {json_s:6.2f} s {json_mb:6.0f} MB        | {parse_s:6.2f} s            "
                f"| {json_s / parse_s:.2f}x | {json_s / cells * 1e6:5.1f} us, {json_mb * 1024 / cells:4.1f} KB"
            )


if __name__ == "__main__":
    main()
