"""Headless Chromium as drift's tests, benchmarks and screenshots use it: Debian's
/usr/bin/chromium driven by Playwright, never a browser Playwright downloads."""

from __future__ import annotations

from typing import Any

CHROMIUM = "/usr/bin/chromium"
#: Without the background-networking flags Chromium tries to reach Google's hosts at start.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def launch(playwright: Any) -> Any:
    """A headless Chromium browser from a started Playwright."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
