"""A project with every kind of finding, hostile values and planted canaries, and a real
headless Chromium (Debian's /usr/bin/chromium driven by Playwright) to open its HTML report."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from devtools.browser import CHROMIUM, launch
from tests.conftest import Project, run

HOSTILE = "<img src=x onerror=alert(1)>"
SCRIPT_END = "</script><script>alert(2)</script>"
CANARIES = ("CANARY-html-secret-1", "sk_live_CANARYhtml000000000", "CANARY-url-pw")


@pytest.fixture
def report_project(project: Project) -> Project:
    project.write(
        ".env.example",
        """
        # @type enum(auto,always,never)
        COOKIE_SECURE_STRATEGY=auto
        # @min-length 64
        SESSION_SECRET=
        # @same
        LOG_LEVEL=info
        # @not-secret: shown, so the reports must escape it
        GREETING=
        # @not-secret
        MOTD=
        # @type int
        WORKERS=4
        DATABASE_URL=
        """,
    )
    project.write(
        "production.env",
        f"""
        COOKIE_SECURE_STRATEGY=sometimes
        SESSION_SECRET={CANARIES[0]}
        LOG_LEVEL=debug
        GREETING={HOSTILE}
        MOTD={SCRIPT_END}
        WORKERS=many
        DATABASE_URL=postgres://app:{CANARIES[2]}@db/app
        PAYMENT={CANARIES[1]}
        """,
    )
    project.write("staging.env", "COOKIE_SECURE_STRATEGY=auto\nLOG_LEVEL=info\nWORKERS=2\nGREETING=hi | `there`\n")
    project.write(
        "drift.toml",
        '[drift]\nname = "report-test"\n'
        '[environments.staging]\nsources = [{ type = "dotenv", path = "staging.env" }]\n'
        '[environments.production]\nsources = [{ type = "dotenv", path = "production.env" }]\n',
    )
    return project


@pytest.fixture
def report_json(report_project: Project) -> dict[str, Any]:
    result = run(["check", "--format", "json"], expect=1)
    document: dict[str, Any] = json.loads(result.stdout)
    return document


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Chromium, or a skip with the reason (a failure in CI, where .ci/run installs it)."""
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        message = f"{CHROMIUM} not found: install Debian's chromium package (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = launch(playwright)
        yield instance
        instance.close()
