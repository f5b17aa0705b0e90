"""`GET /api/v1/statistics/`: the dashboard's figures as JSON, the sections the caller may
see (the others null), the same counts as the page."""

from collections.abc import Callable

import pytest
from django.test import Client
from rest_framework.test import APIClient

from vigil.accounts.models import User

from ..permissions import SECTIONS, dashboard_sections
from .dashboard_data import YEAR, DashboardData

pytestmark = pytest.mark.django_db

URL = "/api/v1/statistics/"
Y = str(YEAR)


@pytest.fixture
def api(users: dict[str, User]) -> Callable[[str], APIClient]:
    def make(actor: str) -> APIClient:
        client = APIClient()
        if actor != "anonymous":
            client.force_authenticate(users[actor])
        return client

    return make


def test_anonymous_is_refused(api: Callable[[str], APIClient]) -> None:
    assert api("anonymous").get(URL).status_code == 401


@pytest.mark.parametrize(
    "actor", ["admin", "coordinator", "auditor", "regional", "monitor", "liaison", "other_liaison"]
)
def test_each_role_gets_the_sections_it_may_see(
    dashboard_data: DashboardData,
    users: dict[str, User],
    api: Callable[[str], APIClient],
    actor: str,
) -> None:
    response = api(actor).get(URL, {"year": Y})
    assert response.status_code == 200
    body = response.json()
    allowed = dashboard_sections(users[actor])
    assert body["sections"] == [name for name in SECTIONS if name in allowed]
    for name in SECTIONS:
        assert (body[name] is not None) == (name in allowed), name


def test_the_liaison_gets_its_agencys_recommendations_only(
    dashboard_data: DashboardData, api: Callable[[str], APIClient]
) -> None:
    body = api("liaison").get(URL, {"year": Y}).json()
    assert body["sections"] == ["recommendations"]
    for hidden in ("visits", "coverage", "appeals", "funnel", "accountability", "incidents"):
        assert body[hidden] is None
    issued = body["recommendations"]["figures"][0]
    assert issued["key"] == "issued"
    assert issued["count"] == 6
    text = str(body)
    assert "/visits/" not in text
    assert "/appeals/" not in text
    assert "/analysis/institutions/" not in text


def test_the_figures_match_the_page_and_carry_their_share_and_list(
    dashboard_data: DashboardData,
    api: Callable[[str], APIClient],
    client_for: Callable[[str], Client],
) -> None:
    body = api("coordinator").get(URL, {"year": Y}).json()
    stats = client_for("coordinator").get("/analysis/", {"year": Y}).context["stats"]
    assert body["year"] == YEAR
    assert body["visits"]["total"]["count"] == stats.visits.total.count == 4
    assert body["coverage"]["covered"]["count"] == stats.coverage.covered.count == 3
    covered = body["coverage"]["covered"]
    assert covered["base"] == 6
    assert covered["percent"] == 50.0
    assert covered["share"] == "50.0% of 6"
    assert covered["list"] == f"/analysis/institutions/?year={YEAR}&coverage=covered"
    tally = {figure["key"]: figure for figure in body["recommendations"]["figures"]}
    assert tally["implemented"]["count"] == 3
    assert tally["implemented"]["base"] == 7
    assert body["recommendations"]["implementation_rate"] == 42.9
    assert body["recommendations"]["escalated"]["count"] == 1
    assert body["appeals"]["total"]["count"] == 3
    assert body["accountability"]["total"]["count"] == 2
    assert sum(f["count"] for f in body["incidents"]) == 2
    mvd = next(row for row in body["recommendations"]["by_agency"] if row["agency"] == "MVD")
    assert mvd["figures"][0]["count"] == 6
    assert {(p["agency"], p["year"]) for p in body["recommendations"]["trend"]} >= {
        ("MVD", YEAR - 1),
        ("MVD", YEAR),
    }


def test_the_year_defaults_to_the_current_one_and_empty_counts_every_year(
    dashboard_data: DashboardData, api: Callable[[str], APIClient]
) -> None:
    assert api("coordinator").get(URL).json()["year"] == YEAR + 1
    every = api("coordinator").get(URL, {"year": ""}).json()
    assert every["year"] is None
    assert every["visits"]["total"]["count"] == 5


def test_filters_narrow_the_figures(
    dashboard_data: DashboardData, api: Callable[[str], APIClient]
) -> None:
    body = (
        api("coordinator")
        .get(URL, {"year": Y, "agency": "MOH", "institution_type": "PSYCH_HOSPITAL"})
        .json()
    )
    assert body["agency"] == "MOH"
    assert body["institution_type"] == "PSYCH_HOSPITAL"
    assert body["visits"]["total"]["count"] == 1
    assert "agency=MOH" in body["visits"]["total"]["list"]


def test_the_regional_representative_counts_its_regions_and_may_not_ask_for_another(
    dashboard_data: DashboardData, api: Callable[[str], APIClient]
) -> None:
    client = api("regional")
    body = client.get(URL, {"year": Y}).json()
    assert body["visits"]["total"]["count"] == 3
    assert body["appeals"]["total"]["count"] == 2
    assert [f["key"] for f in body["visits"]["by_region"]] == ["KZ-71"]
    # Another region is not the representative's to see: 404, as for a region that does not
    # exist; a liaison's other agency likewise.
    assert client.get(URL, {"year": Y, "region": "KZ-75"}).status_code == 404
    assert api("liaison").get(URL, {"agency": "MZ"}).status_code == 404


def test_a_malformed_filter_is_400_and_an_unknown_place_404(
    dashboard_data: DashboardData, api: Callable[[str], APIClient]
) -> None:
    assert api("coordinator").get(URL, {"year": "last"}).status_code == 400
    assert api("coordinator").get(URL, {"institution_type": "NOPE"}).status_code == 400
    assert api("coordinator").get(URL, {"agency": "NOPE"}).status_code == 404
