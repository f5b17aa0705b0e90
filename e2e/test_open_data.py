"""Open data as a visitor without an account reads it: the index (in Russian, the browser's
language), a dataset's table (caption, headers, the "<5" and "x" markers), its CSV download;
axe finds no serious violation."""

import csv
import datetime
import io

import pytest
from django.utils import timezone

from e2e.browser import axe_violations
from vigil.visits.enums import VisitState, VisitType

YEAR = timezone.localdate().year - 1


@pytest.mark.django_db(transaction=True)
def test_a_visitor_reads_a_table_and_downloads_it(  # type: ignore[no-untyped-def]
    page, live_server, make_visit, make_institution, ref
) -> None:
    started = datetime.datetime(YEAR, 5, 10, 10, 0, tzinfo=datetime.UTC)
    for _ in range(6):
        make_visit(VisitState.CLOSED, started_at=started)
    hospital = make_institution(type=ref["psych"], agency=ref["moh"], region=ref["almaty"])
    make_visit(VisitState.CLOSED, institution=hospital, type=VisitType.SPECIAL, started_at=started)

    page.goto(f"{live_server.url}/open-data/")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert axe_violations(page) == []
    page.locator(f"[data-testid=dataset-visits] a:text-is('{YEAR}')").click()
    page.wait_for_load_state()
    table = page.get_by_test_id("opendata-table")
    assert str(YEAR) in table.locator("caption").inner_text()
    assert table.locator("th[scope=col]").count() == 5  # region, three kinds, total
    # The 1 special visit is "<5"; the 6 planned ones are "x" (else 7 - 6 gives the 1 away).
    cells = table.locator("td").all_inner_texts()
    assert "<5" in cells
    assert "x" in cells
    assert table.get_by_test_id("total").last.inner_text() == "7"
    assert axe_violations(page) == []

    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    with open(download.value.path(), encoding="utf-8") as f:
        rows = list(csv.reader(io.StringIO(f.read())))
    assert rows[0] == ["region", "planned", "special", "other", "total"]
    assert rows[-1] == ["total", "x", "<5", "0", "7"]
