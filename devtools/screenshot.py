"""Regenerate docs/report.png, the README's picture of the HTML report (after `make run`)."""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from devtools.browser import launch  # noqa: E402


def main() -> int:
    report = ROOT / "reports" / (sys.argv[1] if len(sys.argv) > 1 else "drift-report.html")
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1280, "height": 1400})
        page.goto(report.as_uri())
        page.screenshot(path=str(ROOT / "docs" / "report.png"), full_page=False)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
