"""The HTML report of a nightly scan at the size the field produces: one environment reading
1,000 parameters (100 declared, 900 the schema does not know), two smaller ones with invalid
and missing keys, and a previous scan, so that about 1,350 findings are listed and about 300
are new since it. Prints the page's size and height, and the widest point at 1440 and 390 px
in headless Chromium, with screenshots of the top of the page in benchmarks/screenshots/.

Run it against another tree to compare: `PYTHONPATH=/tmp/before python benchmarks/html_size.py`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from devtools.browser import launch  # noqa: E402

DECLARED = 100


def write_project(root: Path, nightly: int) -> None:
    """The files as they stand on the nightly run `nightly` (0: the first, 1: the next)."""
    example = []
    for i in range(DECLARED):
        kind = ("# @type int\n", "# @type url\n", "# @type bool\n", "")[i % 4]
        example.append(f"{kind}SERVICE_SETTING_{i:03d}=\n")
    (root / ".env.example").write_text("".join(example))
    undeclared = 900 if nightly else 620  # the next night, 280 more parameters appeared
    production = [f"SERVICE_SETTING_{i:03d}={i}" for i in range(DECLARED)]
    production += [f"LEGACY_FEATURE_FLAG_{i:04d}=on" for i in range(undeclared)]
    (root / "production.env").write_text("\n".join(production) + "\n")
    for name, broken in (("staging", 120), ("development", 140)):
        lines = [f"SERVICE_SETTING_{i:03d}={'not-a-number' if i % 4 == 0 else i}" for i in range(DECLARED - 30)]
        (root / f"{name}.env").write_text("\n".join(lines[:broken]) + "\n")
    envs = "".join(
        f'[environments.{n}]\nsources = [{{ type = "dotenv", path = "{n}.env" }}]\n'
        for n in ("production", "staging", "development")
    )
    (root / "drift.toml").write_text(f'[drift]\nhistory = ".drift/history.db"\n{envs}')


def main() -> None:
    from playwright.sync_api import sync_playwright

    shots = HERE / "screenshots"
    shots.mkdir(exist_ok=True)
    env = {**os.environ, "DRIFT_FINGERPRINT_KEY": "benchmark-key-0123456789abcdef"}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for nightly in (0, 1):
            write_project(root, nightly)
            done = subprocess.run(
                [sys.executable, "-m", "drift", "scan", "--output", "html:report.html", "--output", "json:report.json"],
                cwd=root,
                capture_output=True,
                text=True,
                env=env,
                check=False,
            )
            assert done.returncode == 1, done.stderr
        import json

        document = json.loads((root / "report.json").read_text())
        new = sum(1 for f in document["findings"] if f.get("status") == "new")
        page_path = root / "report.html"
        print(f"  findings / new since the last scan   {len(document['findings']):,} / {new:,}")
        print(f"  page size (KB)                       {page_path.stat().st_size / 1024:,.0f}")
        tag = os.environ.get("DRIFT_BENCH_TAG", "after")
        with sync_playwright() as playwright:
            browser = launch(playwright)
            for width in (1440, 390):
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.goto(page_path.as_uri())
                page.wait_for_load_state("load")
                height = page.evaluate("document.documentElement.scrollHeight")
                wide = page.evaluate("document.documentElement.scrollWidth")
                trend = page.evaluate(
                    "(() => { const t = document.querySelector('#trend, .trend, svg');"
                    " return t ? Math.round(t.getBoundingClientRect().top + scrollY) : -1 })()"
                )
                print(f"  {width:>4} px: page height / widest / trend at (px)  {height:,} / {wide} / {trend:,}")
                page.screenshot(path=str(shots / f"nightly-{tag}-{width}.png"))
                page.close()
            browser.close()


if __name__ == "__main__":
    main()
