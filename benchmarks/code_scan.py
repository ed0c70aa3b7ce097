"""Issue #13's figures: the keys the code reads, on generated repositories of 2,500, 5,000 and
10,000 source files (about 2 MB of code at 10,000), `drift code --format json` in a fresh
process, first with an empty content-hash cache, then again with the cache of the first run
(goal: 10,000 files under 5 s, linear growth, a repeated scan of an unchanged tree under 1 s).

Run with `python benchmarks/code_scan.py`; the figures go in benchmarks/README.md.
"""

from __future__ import annotations

import random
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.run import PYTHON, timed  # noqa: E402

TEMPLATES = (
    "import {{ helper{n} }} from './h{n}';\n// process.env.NOT_A_READ_{n}\n"
    "export const url{n} = process.env.SERVICE_{k}_URL ?? 'http://localhost';\n"
    "export function handler{n}(req: Request) {{\n  const token = process.env.TOKEN_{k};\n"
    "  return helper{n}(req, token, `${{process.env.REGION}}`);\n}}\n",
    "import os\n\n\ndef handler_{n}(event):\n    # os.environ['NOT_A_READ']\n"
    "    timeout = int(os.getenv('TIMEOUT_{k}', '30'))\n    return os.environ['QUEUE_{k}'], timeout\n",
    "const {{ DB_{k}, CACHE_{k}: cache = 'memory' }} = process.env;\nmodule.exports = function f{n}() {{\n"
    "  return [DB_{k}, cache, 'process.env.IN_A_STRING'];\n}};\n",
)
SUFFIXES = (".ts", ".py", ".js")


def make_tree(root: Path, count: int) -> int:
    rng = random.Random(11)
    size = 0
    for n in range(count):
        which = n % 3
        text = TEMPLATES[which].format(n=n, k=rng.randrange(400))
        path = root / "src" / f"m{n // 100:03d}" / f"file{n}{SUFFIXES[which]}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        size += len(text)
    (root / ".env.example").write_text("REGION=eu\n")
    (root / "drift.toml").write_text(
        '[code]\npaths = ["src"]\n[environments.local]\nsources = [{ type = "process" }]\n'
    )
    return size


def main() -> None:
    print("## the keys the code reads: `drift code --format json`, fresh process, median of 3, seconds")
    for count in (2_500, 5_000, 10_000):
        folder = Path(tempfile.mkdtemp(prefix="drift-bench-code-"))
        try:
            size = make_tree(folder, count)
            command = [PYTHON, "-m", "drift", "code", "--format", "json"]
            cold = []
            for _ in range(3):
                shutil.rmtree(folder / ".drift", ignore_errors=True)
                cold.append(timed(command, folder, repeat=1))
            warm = timed(command, folder, repeat=3)
            print(
                f"  {count:>6} files ({size / 1e6:.1f} MB): no cache {sorted(cold)[1]:.2f}, unchanged tree {warm:.2f}"
            )
        finally:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
