"""The dashboard shows the NPM's published figures exactly (`published_figures`): 2023's 461
visits (422 planned, 33 special, 6 of other kinds) to 474 facilities and 258 + 17 officials
held accountable; 2021's penitentiary tally 758 / 275 / 456 / 27, 36.3% of 758."""

import re
from typing import Any

import pytest
from django.test import Client

from vigil.visits.enums import VisitType

from ..dashboard_charts import dashboard_charts

pytestmark = pytest.mark.django_db


def _after(html: str, marker: str, length: int = 600) -> str:
    start = html.index(marker)
    return html[start : start + length]


def _count(html: str, figure: str) -> int:
    """The count shown in the first element marked `data-figure="<figure>"`."""
    found = re.search(r">([\d\s\u00a0,]+)</a>", _after(html, f'data-figure="{figure}"'))
    assert found is not None, figure
    return int(re.sub(r"\D", "", found.group(1)))


def test_the_2023_figures(published_figures: Any, client_for: Any) -> None:
    client: Client = client_for("coordinator")
    response = client.get("/analysis/", {"year": "2023"})
    html = response.content.decode()
    assert _count(html, "visits") == 461
    assert _count(html, "institutions") == 474
    assert _count(html, "commissioner") == 258
    assert _count(html, "npm_participant") == 17
    by_type = dashboard_charts(response.context["stats"])["visits-by-type"]
    counts = {row.category: row.value for row in by_type.rows}
    planned, special = str(VisitType.PLANNED.label), str(VisitType.SPECIAL.label)
    assert (counts[planned], counts[special]) == (422, 33)
    assert sum(counts.values()) - 422 - 33 == 6
    table = _after(html, 'id="chart-visits-by-type"', 6000)
    for shown in (">422<", ">33<", "91.5% of 461", "7.2% of 461"):
        assert shown in table
    assert (
        client.get(response.context["stats"].visits.total.url).context["page"].paginator.count
        == 461
    )


def test_the_2021_penitentiary_tally(published_figures: Any, client_for: Any) -> None:
    html = (
        client_for("coordinator")
        .get("/analysis/", {"year": "2021", "agency": "MVD-KUIS"})
        .content.decode()
    )
    assert _count(html, "issued") == 758
    assert _count(html, "implemented") == 275
    assert _count(html, "in_implementation") == 456
    assert _count(html, "not_accepted") == 27
    assert "36.3% of 758" in html
