"""The dashboard in the browser (issue 9, point d): a coordinator opens the analysis, picks
the year and an agency (the URL keeps them, the figures change), the charts draw, a figure
opens the list behind it with the same count, axe finds nothing serious; screenshots of the
dashboard (desktop and a 360 px phone) are kept in `test-results/dashboard/` (git-ignored;
`VIGIL_TEST_ARTEFACTS` moves them), beside the annual report's pages."""

import os
import re
from pathlib import Path
from typing import Any

import pytest

from conftest import PASSWORD
from e2e.browser import axe_violations

ARTEFACTS = Path(os.environ.get("VIGIL_TEST_ARTEFACTS", "test-results")) / "dashboard"


def _figure(page: Any, key: str) -> int:
    text = page.locator(f"#dashboard-results [data-figure={key}] a").first.inner_text()
    return int(re.sub(r"\D", "", text))


@pytest.mark.django_db(transaction=True)
def test_the_coordinators_dashboard(  # type: ignore[no-untyped-def]
    browser, live_server, users, published_figures
) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page: Any = context.new_page()
    page.set_default_timeout(20_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(f"{base}/accounts/login/", timeout=60_000)
        page.fill("#id_username", users["coordinator"].email)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit].btn-primary")
        page.wait_for_url(f"{base}/")

        page.get_by_role("button", name="Analysis").click()
        page.get_by_role("link", name="Dashboard").click()
        page.wait_for_url(f"{base}/analysis/")
        assert page.locator("h1").inner_text() == "Dashboard"

        # The year: the figures of 2023 as published, the URL keeps it.
        page.locator("#id_year").fill("2023")
        page.get_by_role("button", name="Apply").click()
        page.wait_for_url(re.compile(r".*/analysis/\?.*year=2023.*"))
        page.locator("#dashboard-results [data-figure=visits] a", has_text="461").wait_for()
        assert _figure(page, "visits") == 461
        assert _figure(page, "institutions") == 474
        assert _figure(page, "commissioner") == 258
        assert _figure(page, "npm_participant") == 17
        by_type = page.locator("#chart-visits-by-type table").inner_text()
        for shown in ("422", "33", "91.5% of 461"):
            assert shown in by_type
        for key in (
            "visits-by-type",
            "visits-by-agency",
            "tally-by-agency",
            "implementation-trend",
        ):
            page.locator(f"#chart-{key} .vigil-chart-view[data-chart-ready]").wait_for()
        # No appeals in the published figures: nothing drawn, the table says so.
        assert page.locator("#chart-appeals-by-channel .vigil-chart-view").count() == 0
        assert "No figures to show." in page.locator("#chart-appeals-by-channel").inner_text()
        assert axe_violations(page) == []
        page.screenshot(path=str(ARTEFACTS / "dashboard-2023.png"), full_page=True)

        # The agency: fewer visits, both filters in the URL.
        page.locator("#id_agency").select_option("MVD")
        page.wait_for_url(re.compile(r".*agency=MVD.*"))
        assert "year=2023" in page.url
        page.wait_for_function(
            "() => !document.querySelector('#dashboard-results [data-figure=visits] a')"
            ".textContent.includes('461')"
        )
        interior = _figure(page, "visits")
        assert 0 < interior < 461
        assert page.locator("#id_year").input_value() == "2023"
        assert axe_violations(page) == []
        page.screenshot(path=str(ARTEFACTS / "dashboard-2023-mvd.png"), full_page=True)

        # The list behind the figure shows as many visits.
        page.locator("#dashboard-results [data-figure=visits] a").click()
        page.wait_for_url(
            lambda url: "/visits/?" in url and "made_in=2023" in url and "agency=MVD" in url
        )
        assert page.get_by_test_id("result-count").inner_text().startswith(f"{interior} visit")

        # On a phone: usable at 360 px, nothing wider than the screen but the tables' scroll.
        page.set_viewport_size({"width": 360, "height": 740})
        page.goto(f"{base}/analysis/?year=2023")
        page.locator("#chart-visits-by-type .vigil-chart-view[data-chart-ready]").wait_for()
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
        page.screenshot(path=str(ARTEFACTS / "dashboard-2023-phone.png"), full_page=True)
        assert errors == []
    finally:
        context.close()
