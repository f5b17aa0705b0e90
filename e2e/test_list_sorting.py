"""A coordinator sorts the visits list by a column, then filters it: the table is replaced in
place, the URL keeps both, and the export links carry them (the list pattern of UX.md)."""

import datetime
import re

import pytest

from conftest import PASSWORD
from e2e.browser import axe_violations
from vigil.visits.enums import VisitState


@pytest.fixture
def visits(make_visit, make_institution, ref):
    almaty = make_institution(region=ref["almaty"], name_en="Almaty clinic")
    return {
        "planned": make_visit(state=VisitState.PLANNED, planned_start=datetime.date(2026, 12, 9)),
        "on_site": make_visit(state=VisitState.ON_SITE, planned_start=datetime.date(2026, 11, 3)),
        "closed": make_visit(
            state=VisitState.CLOSED, institution=almaty, planned_start=datetime.date(2026, 3, 2)
        ),
        "draft": make_visit(
            state=VisitState.DRAFT, institution=almaty, planned_start=datetime.date(2026, 5, 2)
        ),
    }


def _references(page):  # type: ignore[no-untyped-def]
    return page.locator("#visit-results tbody tr td:first-child a").all_inner_texts()


@pytest.mark.django_db(transaction=True)
def test_sort_then_filter_the_visits(page, live_server, visits):
    base = live_server.url
    page.goto(f"{base}/accounts/login/?next=/visits/")
    page.fill("#id_username", "coordinator@test.vigil")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].btn-primary")
    page.wait_for_url(f"{base}/visits/")
    page.click("[data-testid=lang-en]")
    page.wait_for_load_state()
    assert page.get_by_test_id("result-count").inner_text() == "4 visits"
    assert axe_violations(page) == []

    # Sort by state: the life cycle's order, in place; the URL keeps the sort.
    page.locator("#visit-results thead").get_by_role("link", name="State").click()
    page.wait_for_url(re.compile(r".*ordering=state.*"))
    page.locator("#visit-results th[aria-sort=ascending]").wait_for()
    order = ["draft", "planned", "on_site", "closed"]
    assert _references(page) == [visits[key].reference for key in order]

    # Then a filter: the sort stays, and the export links carry both.
    page.select_option("#id_region", "KZ-75")
    page.wait_for_url(re.compile(r".*region=KZ-75.*"))
    page.get_by_text("2 visits", exact=True).wait_for()
    assert "ordering=state" in page.url
    assert _references(page) == [visits[key].reference for key in ("draft", "closed")]
    csv_link = page.get_by_role("link", name="CSV").get_attribute("href")
    assert "ordering=state" in csv_link
    assert "region=KZ-75" in csv_link
    assert "export=csv" in csv_link
    exported = page.request.get(f"{base}/visits/{csv_link}").text()
    assert [line.split(",")[0] for line in exported.splitlines()[1:]] == [
        visits[key].reference for key in ("draft", "closed")
    ]
    assert axe_violations(page) == []
