"""Open data for 2023 on the data set that reproduces the NPM's published figures: the
same numbers as the dashboard's selectors (461 visits, 422 planned; 474 institutions; 258 + 17
officials), every hidden count behind a true marker."""

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ..filters import StatisticsFilters
from ..opendata.datasets import DATASETS
from ..opendata.suppression import HIDDEN, MARKERS, SMALL
from ..permissions import PUBLISHED
from ..selectors.statistics import statistics

pytestmark = pytest.mark.django_db


def test_open_data_for_2023_shows_the_published_figures(
    published_figures: Any, settings: Any
) -> None:
    settings.VIGIL_OPEN_DATA_LAST_YEAR = 2023
    client = Client()

    def get(slug: str) -> dict[str, Any]:
        response = client.get(reverse("opendata:json", args=[slug, 2023]))
        assert response.status_code == 200
        return json.loads(response.content)  # type: ignore[no-any-return]

    visits = get("visits")
    by_type = dict(
        zip((m["code"] for m in visits["columns"]["members"]), visits["column_totals"], strict=True)
    )
    # The NPM's published format: planned, special and the other kinds.
    assert [m["code"] for m in visits["columns"]["members"]] == ["planned", "special", "other"]
    assert visits["total"] == 461
    assert by_type["planned"] == 422
    # 422 planned, 33 special and 6 of the other kinds, each published as it is; the regions'
    # small counts of the other kinds are "<5" (the two joint visits share a region, so no
    # "<5" under the published 6 is pinned to 1).
    assert by_type == {"planned": 422, "special": 33, "other": 6}
    other = [row[2] for row in visits["cells"]]
    assert SMALL in other
    assert all(cell in (0, SMALL, HIDDEN) for cell in other)
    regions = {
        m["code"]: row for m, row in zip(visits["rows"]["members"], visits["cells"], strict=True)
    }
    assert regions["KZ-71"] == [12, 0, 0]  # nothing small in its row: published as it is

    # Every published count agrees with the dashboard's selectors.
    figures = statistics(PUBLISHED, StatisticsFilters(year=2023))
    assert figures.visits is not None
    assert figures.recommendations is not None
    assert figures.funnel is not None
    by_region = {x.key: x.count for x in figures.visits.by_region}
    published = 0
    for member, total in zip(visits["rows"]["members"], visits["row_totals"], strict=True):
        if total not in MARKERS:
            assert total == by_region.get(member["code"], 0)
            published += 1
    assert published > 10
    issued = {row.agency.code: row.counts.issued for row in figures.recommendations.by_agency}
    recommendations = get("recommendations")
    assert recommendations["total"] == figures.recommendations.counts.issued
    for member, total in zip(
        recommendations["rows"]["members"], recommendations["row_totals"], strict=True
    ):
        assert total in (issued.get(member["code"], 0), *MARKERS)
    appeals = get("appeals")
    by_channel = {x.key: x.count for x in figures.funnel.by_channel}
    assert appeals["total"] == figures.funnel.appeals_total.count
    for member, total in zip(appeals["columns"]["members"], appeals["column_totals"], strict=True):
        assert total in (by_channel.get(member["code"], 0), *MARKERS)

    assert get("institutions")["total"] == 474
    officials = get("accountability")
    assert officials["values"] == [258, 17, 0]
    assert officials["total"] == 275
    page = client.get(reverse("opendata:dataset", args=["visits", 2023]), HTTP_ACCEPT_LANGUAGE="en")
    assert b"461" in page.content
    assert not any(get(slug)["withheld"] for slug in DATASETS)
