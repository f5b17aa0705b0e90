"""The coverage list (`/analysis/institutions/`): the institutions behind the coverage
figures, its count equal to the figure, for whom the registry's coverage rule allows."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client, override_settings

from vigil.accounts.models import User

from ..filters import StatisticsFilters
from ..selectors.statistics import statistics
from .dashboard_data import YEAR, DashboardData

pytestmark = pytest.mark.django_db

URL = "/analysis/institutions/"
Y = str(YEAR)


def _codes(response: Any) -> set[str]:
    return {institution.external_code for institution in response.context["page"].object_list}


@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
@pytest.mark.parametrize(
    ("actor", "status", "shown"),
    [
        ("anonymous", 302, None),
        ("admin", 200, 6),
        ("coordinator", 200, 6),
        ("auditor", 200, 6),
        ("monitor", 200, 6),
        ("regional", 200, 4),  # in operation in its region
        ("liaison", 403, None),  # never the coverage, not even of its own agency
        ("other_liaison", 403, None),
    ],
)
def test_who_may_open_the_coverage_list(
    dashboard_data: DashboardData,
    client_for: Callable[[str], Client],
    actor: str,
    status: int,
    shown: int | None,
    debug: bool,
) -> None:
    with override_settings(DEBUG=debug):
        response = client_for(actor).get(URL)
        exported = client_for(actor).get(URL, {"export": "csv"})
    assert response.status_code == status
    if status == 302:
        assert "/accounts/login/" in response["Location"]
    if shown is not None:
        assert response.context["page"].paginator.count == shown
        assert exported.status_code == 200
    else:
        assert exported.status_code == status


def test_each_coverage_shows_its_institutions(
    dashboard_data: DashboardData, client_for: Callable[[str], Client]
) -> None:
    client = client_for("coordinator")
    d = dashboard_data
    visited = client.get(URL, {"coverage": "visited", "year": Y})
    assert _codes(visited) == {i.external_code for i in (d.colony, d.ivs, d.hospital, d.closed)}
    covered = client.get(URL, {"coverage": "covered", "year": Y})
    assert _codes(covered) == {i.external_code for i in (d.colony, d.ivs, d.hospital)}
    assert _codes(client.get(URL, {"coverage": "never"})) == {d.never.external_code}
    unvisited = client.get(URL, {"coverage": "unvisited", "years": "3"})
    assert _codes(unvisited) == {d.never.external_code, d.long_ago.external_code}
    longer = client.get(URL, {"coverage": "unvisited", "years": "2"})
    assert _codes(longer) == {
        d.never.external_code,
        d.long_ago.external_code,
        d.recent.external_code,
    }
    in_almaty = client.get(URL, {"coverage": "visited", "year": Y, "region": "KZ-75"})
    assert _codes(in_almaty) == {d.hospital.external_code}
    police = client.get(URL, {"coverage": "visited", "year": Y, "agency": "MVD-POLICE"})
    assert _codes(police) == {d.ivs.external_code}
    by_type = client.get(URL, {"institution_type": "PSYCH_HOSPITAL"})
    assert _codes(by_type) == {d.hospital.external_code, d.recent.external_code}


@pytest.mark.parametrize("actor", ["coordinator", "regional", "monitor"])
@pytest.mark.parametrize(
    "query", [{"year": Y}, {"year": Y, "agency": "MVD"}, {"year": Y, "region": "KZ-71"}, {}]
)
def test_the_list_counts_what_the_figure_counts(
    dashboard_data: DashboardData,
    users: dict[str, User],
    client_for: Callable[[str], Client],
    actor: str,
    query: dict[str, str],
) -> None:
    client = client_for(actor)
    stats = client.get("/analysis/", query).context["stats"]
    figures = [stats.visits.institutions] if stats.visits else []
    figures += [
        stats.coverage.institutions,
        stats.coverage.covered,
        stats.coverage.never_visited,
        stats.coverage.not_visited,
    ]
    for figure in figures:
        assert figure.url.startswith(URL)
        response = client.get(figure.url)
        assert response.status_code == 200
        assert response.context["page"].paginator.count == figure.count, figure.url


def test_a_regional_representative_lists_its_regions_only(
    dashboard_data: DashboardData, users: dict[str, User], client_for: Callable[[str], Client]
) -> None:
    client = client_for("regional")
    response = client.get(URL, {"coverage": "unvisited", "region": "KZ-75"})
    assert response.context["list_form"].errors["region"]
    assert _codes(response) == {
        dashboard_data.never.external_code
    }  # Almaty's long unvisited one is not
    figure = statistics(users["regional"], StatisticsFilters(), ["coverage"]).coverage
    assert figure is not None
    assert figure.not_visited.count == 1


def test_sorted_by_last_visit_never_visited_last(
    dashboard_data: DashboardData, client_for: Callable[[str], Client]
) -> None:
    rows = client_for("coordinator").get(URL, {"ordering": "-last_visited"})
    codes = [i.external_code for i in rows.context["page"].object_list]
    assert codes[0] == dashboard_data.hospital.external_code
    assert codes[-1] == dashboard_data.never.external_code
    html = rows.content.decode()
    assert 'aria-sort="descending"' in html


def test_the_export_holds_the_rows_shown(
    dashboard_data: DashboardData, client_for: Callable[[str], Client]
) -> None:
    response = client_for("coordinator").get(URL, {"coverage": "never", "export": "csv"})
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0].split(",") == [
        "external_code",
        "name",
        "type",
        "agency",
        "region",
        "status",
        "last_visited_on",
    ]
    assert len(lines) == 2
    assert str(dashboard_data.never.external_code) in lines[1]
