"""HTML report at scale: 20 environments x 5,000 keys, rendered, then opened and filtered in
headless Chromium. Prints the render time, the page size, the time to load, and the time each
filter and a search take in the page (measured in the page, layout included)."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.generate import make_project  # noqa: E402
from devtools.browser import launch  # noqa: E402

MEASURE = """async ([selector, value, kind]) => {
  const start = performance.now();
  const el = document.querySelector(selector);
  el.value = value;
  el.dispatchEvent(new Event(kind));
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  document.body.offsetHeight;
  return performance.now() - start;
}"""


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        config = make_project(root, 20, 5000)
        start = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "drift",
                "check",
                "--config",
                str(config),
                "--output",
                "html:report.html",
                "--format",
                "json",
            ],
            cwd=root,
            capture_output=True,
            check=False,
        )
        render_s = time.perf_counter() - start
        page_path = root / "report.html"
        print(f"  check + render HTML (s)        {render_s:.2f}")
        print(f"  page size (MB)                 {page_path.stat().st_size / 1e6:.1f}")
        with sync_playwright() as playwright:
            browser = launch(playwright)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            start = time.perf_counter()
            page.goto(page_path.as_uri())
            page.wait_for_load_state("load")
            print(f"  load to 'load' event (s)       {time.perf_counter() - start:.2f}")
            findings = page.locator("[data-finding]").count()
            print(f"  findings on the page           {findings}")
            for label, args in [
                ("filter severity=warning (ms)", ["#f-severity", "warning", "change"]),
                ("filter environment (ms)", ["#f-env", "env03", "change"]),
                ("filter rule=invalid (ms)", ["#f-rule", "invalid", "change"]),
                ("search 'SETTING_0042' (ms)", ["#f-text", "setting_0042", "input"]),
                ("clear search (ms)", ["#f-text", "", "input"]),
                ("search a key in a closed section (ms)", ["#f-text", "setting_04990", "input"]),
                ("clear that search (ms)", ["#f-text", "", "input"]),
            ]:
                print(f"  {label:<38} {page.evaluate(MEASURE, args):.0f}")
            browser.close()


if __name__ == "__main__":
    main()
