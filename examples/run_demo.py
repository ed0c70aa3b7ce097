"""`make run`: check the reference example (examples/mre) and write its reports.

Prints the terminal report and writes reports/drift-report.json. The example carries planted
drift on purpose, so the check's exit code (1) is reported, not treated as a failure.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "examples" / "mre" / "drift.toml"
REPORTS = ROOT / "reports"


def drift(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the installed drift command on the example."""
    return subprocess.run([sys.executable, "-m", "drift", *args], capture_output=True, text=True, check=False, cwd=ROOT)


def main() -> int:
    REPORTS.mkdir(exist_ok=True)
    terminal = drift("check", "--config", str(CONFIG))
    print(terminal.stdout, end="")
    print(terminal.stderr, end="", file=sys.stderr)
    as_json = drift("check", "--config", str(CONFIG), "--format", "json")
    if as_json.returncode not in (0, 1, 3):
        print(as_json.stderr, end="", file=sys.stderr)
        return as_json.returncode
    target = REPORTS / "drift-report.json"
    target.write_text(as_json.stdout, encoding="utf-8")
    print(
        f"\ndemo: drift exited {terminal.returncode} (the example drifts on purpose); wrote {target.relative_to(ROOT)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
