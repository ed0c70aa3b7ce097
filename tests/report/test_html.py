"""The HTML report in a real headless Chromium."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Project, run
from tests.report.conftest import CANARIES, HOSTILE, SCRIPT_END


@pytest.fixture
def page_of(browser: Any, report_project: Project, tmp_path: Path) -> Any:
    """Open the report; record every request, console message, page error and dialog."""
    run(["check", "--output", "html:out/report.html"], expect=1)
    path = report_project.root / "out" / "report.html"
    contexts = []

    def open_page(javascript: bool = True) -> Any:
        context = browser.new_context(java_script_enabled=javascript, viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.requests, page.problems, page.dialogs = [], [], []
        page.on("console", lambda m: page.problems.append(f"console {m.type}: {m.text}"))
        page.on("pageerror", lambda e: page.problems.append(f"pageerror: {e}"))
        page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
        page.route("**/*", lambda route: (page.requests.append(route.request.url), route.continue_()))
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        return page

    yield open_page, path
    for context in contexts:
        context.close()


def visible(page: Any, selector: str) -> int:
    return int(page.locator(selector).filter(visible=True).count())


def test_page_loads_clean_and_self_contained(page_of: Any, tmp_path: Path) -> None:
    open_page, path = page_of
    page = open_page()
    assert page.problems == []  # no console output at all: no error, no CSP violation
    assert page.requests == [path.as_uri()]
    assert page.dialogs == []
    assert page.title() == "drift report: report-test"
    assert page.locator("svg.chart rect").count() >= 2
    assert "Content-Security-Policy" in path.read_text()
    card = page.locator("[data-env-card='production']").inner_text()
    assert "production" in card and "errors" in card and "all sources read" in card
    assert page.locator("h1").inner_text() == "drift report: report-test"
    assert page.locator("[data-finding]").first.is_visible()
    shot = tmp_path / "report.png"
    page.screenshot(path=str(shot), full_page=True)
    png = shot.read_bytes()
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and width >= 800 and height > 1000  # a full page, not a blank tile


def test_filters_and_search_change_what_is_shown(page_of: Any) -> None:
    page = page_of[0]()
    total = visible(page, "[data-finding]")
    assert total >= 6
    page.select_option("#f-severity", "warning")
    warnings = visible(page, "[data-finding]")
    assert 0 < warnings < total
    severities = "rows => rows.map(r => r.closest('[data-group]').dataset.group)"  # a row's is its section's
    assert set(page.locator("[data-finding]:visible").evaluate_all(severities)) == {"warning"}
    page.select_option("#f-severity", "")
    page.select_option("#f-env", "staging")
    assert visible(page, "[data-finding]") < total
    places = "rows => rows.map(r => r.cells[1].textContent)"
    assert set(page.locator("[data-finding]:visible").evaluate_all(places)) == {"staging"}
    page.select_option("#f-env", "")
    page.select_option("#f-rule", "invalid")
    assert 0 < visible(page, "[data-finding]") < total
    page.select_option("#f-rule", "")
    page.fill("#f-text", "cookie_secure")
    assert visible(page, "[data-finding]") == 1
    assert visible(page, "[data-key-row]") == 1
    assert "1 of" in page.locator("#f-count").inner_text()
    page.fill("#f-text", "")
    assert visible(page, "[data-finding]") == total


def test_filters_work_from_the_keyboard(page_of: Any) -> None:
    page = page_of[0]()
    total = visible(page, "[data-finding]")
    page.focus("#f-severity")
    page.keyboard.press("ArrowDown")  # all -> error
    assert 0 < visible(page, "[data-finding]") < total
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.type("WORKERS")
    assert page.evaluate("document.activeElement.id") == "f-text"
    assert visible(page, "[data-finding]") == 1


def test_hostile_values_are_text(page_of: Any) -> None:
    page = page_of[0]()
    assert page.dialogs == []
    assert page.locator("img").count() == 0
    assert page.locator("script").count() == 1
    body = page.locator("body").inner_text()
    assert HOSTILE in body and SCRIPT_END in body


def test_no_secret_in_dom_or_source(page_of: Any) -> None:
    open_page, path = page_of
    page = open_page()
    content = page.content() + path.read_text()
    for canary in CANARIES:
        assert canary not in content
    assert "••••••" in content


def test_everything_is_visible_without_javascript(page_of: Any) -> None:
    page = page_of[0](javascript=False)
    assert visible(page, "[data-finding]") == page.locator("[data-finding]").count() >= 6
    assert visible(page, ".filters") == 0
    assert visible(page, "table.matrix") >= 1


def test_large_matrices_wait_in_closed_sections_that_search_opens(browser: Any, project: Project) -> None:
    keys = [f"KEY_{i:03d}" for i in range(320)]
    project.write(".env.example", "".join(f"{k}=x\n" for k in keys))
    project.write(
        "a.env", "".join(f"{k}=a{i}\n" for i, k in enumerate(keys[:260])) + "".join(f"{k}=x\n" for k in keys[260:])
    )
    project.write(
        "b.env", "".join(f"{k}=b{i}\n" for i, k in enumerate(keys[:260])) + "".join(f"{k}=x\n" for k in keys[260:])
    )
    project.write(
        "drift.toml",
        '[environments.a]\nsources = [{ type = "dotenv", path = "a.env" }]\n'
        '[environments.b]\nsources = [{ type = "dotenv", path = "b.env" }]\n',
    )
    run(["check", "--output", "html:r.html"], expect=0)
    page = browser.new_page()
    page.goto((project.root / "r.html").as_uri())
    assert visible(page, "[data-key-row]") == 100  # the rest wait in closed <details>
    row = page.locator('[data-key-row="key_250"]')
    assert not row.is_visible()
    page.fill("#f-text", "key_250")
    assert row.is_visible() and visible(page, "[data-key-row]") == 1
    page.fill("#f-text", "key_300")  # an agreeing key, two <details> deep
    assert page.locator('[data-key-row="key_300"]').is_visible()
    page.fill("#f-text", "")
    assert not row.is_visible() and visible(page, "[data-key-row]") == 100
    page.close()


def test_a_phone_sees_no_page_overflow_and_whole_keys(browser: Any, report_project: Project) -> None:
    """At 390 px wide (a phone) nothing but a table scrolls sideways, and a key is never
    broken into a letter a line."""
    run(["check", "--output", "html:out/report.html"], expect=1)
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    try:
        page = context.new_page()
        page.goto((report_project.root / "out" / "report.html").as_uri())
        page.wait_for_load_state("load")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        lines = page.evaluate(
            """() => [...document.querySelectorAll('td code, th code')]
                .filter(c => /^[A-Z][A-Z0-9_]{5,}$/.test(c.textContent))
                .map(c => c.getClientRects().length)"""
        )
        assert lines and max(lines) == 1, lines
    finally:
        context.close()


def test_a_report_with_many_new_findings_keeps_the_trend_on_top(browser: Any, project: Project) -> None:
    """Many new findings: the trend comes first, the "new" table lists 20 and folds the rest;
    the filters apply to it too, and live in the URL (a filtered view is a link)."""
    project.write(".env.example", "".join(f"KEY_{i:02}=v\n" for i in range(30)) + "# @type int\nN=1\n")
    project.write("p.env", "".join(f"KEY_{i:02}=v\n" for i in range(30)) + "N=1\n")
    project.write("drift.toml", '[environments.p]\nsources = [{ type = "dotenv", path = "p.env" }]\n')
    run(["scan"], expect=0)
    project.write("p.env", "N=one\n")
    run(["scan"], expect=1)
    page_url = (project.root / "reports" / "drift-report.html").as_uri()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(page_url)
        order = page.evaluate("[...document.querySelectorAll('h2')].map(h => h.id)")
        assert order.index("trend-title") < order.index("new-title") < order.index("findings-title")
        new_rows = page.locator("#new-title ~ table tbody tr").count()
        section = page.inner_text("section[aria-labelledby=new-title]")
        new = int(section.split(": ", 1)[1].split(" new", 1)[0])  # missing, removed, invalid, changed
        assert new_rows == 20 and f"{new - 20} more new findings: all {new} new ones" in section
        page.click(f"text=all {new} new ones")  # the rest: the findings filtered to the new ones
        # the link sets the URL's hash; the page applies it on `hashchange`, which comes after
        # (`expect` retries in the page's injected script: `wait_for_function` evaluates its
        # predicate with `eval`, which the report's Content-Security-Policy refuses)
        from playwright.sync_api import expect

        expect(page.locator("#f-status")).to_have_value("new", timeout=10_000)
        assert page.input_value("#f-status") == "new" and visible(page, "[data-finding]") == new
        assert page.locator("[data-finding]:visible:not([data-status=new])").count() == 0
        page.select_option("#f-status", "")
        page.select_option("#f-rule", "invalid")
        assert "rule=invalid" in page.evaluate("location.hash")
        listed = page.locator("[data-filtered][data-rule=invalid]").count()
        assert page.locator("[data-filtered]:not([hidden])").count() == listed < 20  # the new table follows filters
        assert "status" not in page.evaluate("location.hash")
        page.goto(page_url + "#rule=missing&q=key_0")
        page.reload()
        assert page.input_value("#f-rule") == "missing" and page.input_value("#f-text") == "key_0"
        assert visible(page, "[data-finding]") == 10
    finally:
        context.close()


def test_a_rule_with_many_findings_shows_ten_and_a_button(browser: Any, project: Project) -> None:
    """30 undeclared keys: ten rows and a button for the other twenty; a filter shows every
    match; without JavaScript all thirty are there."""
    project.write(".env.example", "A=1\n")
    project.write("p.env", "A=1\n" + "".join(f"EXTRA_{i:02}=x\n" for i in range(30)))
    project.write("drift.toml", '[environments.p]\nsources = [{ type = "dotenv", path = "p.env" }]\n')
    run(["check", "--output", "html:out/report.html"], expect=0)
    url = (project.root / "out" / "report.html").as_uri()
    for javascript, expected in ((True, 10), (False, 30)):
        context = browser.new_context(java_script_enabled=javascript, viewport={"width": 1280, "height": 900})
        try:
            page = context.new_page()
            page.goto(url)
            assert visible(page, "[data-rule=undeclared]") == expected
            # the rule's fix is said once; the matrix counts the lone undeclared keys, listed above
            assert page.locator("[data-rule=undeclared] .fix").count() == 1
            assert "30 keys the schema does not declare, each set in one environment only" in page.inner_text(
                "section[aria-labelledby=matrix-title]"
            )
            assert page.locator("tr[data-key-row^=extra_]").count() == 0
            if javascript:
                page.click("button.more")
                assert visible(page, "[data-rule=undeclared]") == 30
                page.reload()
                page.fill("#f-text", "extra_2")
                assert visible(page, "[data-rule=undeclared]") == 10  # EXTRA_20..29, none folded away
        finally:
            context.close()


def test_the_fleet_page_loads_clean_on_a_laptop_and_a_phone(browser: Any, tmp_path: Path) -> None:
    """`drift fleet --format html` in Chromium: no console output (its CSP admits its style and
    nothing else), every project a row, no page-level overflow at 390 px."""
    from tests.history.test_fleet import scanned

    folder = tmp_path / "histories"
    folder.mkdir()
    for name in ("payments-gateway-service", "search"):
        scanned(tmp_path, name, "WORKERS=many\nLOG_LEVEL=info\n", folder / f"{name}.db")
    page_path = tmp_path / "fleet.html"
    run(["fleet", f"{folder}/", "--output", f"html:{page_path}"], expect=1)
    for width in (1440, 390):
        context = browser.new_context(viewport={"width": width, "height": 900})
        try:
            page = context.new_page()
            problems: list[str] = []
            page.on("console", lambda m, seen=problems: seen.append(m.text))
            page.goto(page_path.as_uri())
            page.wait_for_load_state("load")
            assert problems == []
            assert page.locator("tr[data-project]").count() == 2
            assert page.evaluate("document.documentElement.scrollWidth") <= width
        finally:
            context.close()
