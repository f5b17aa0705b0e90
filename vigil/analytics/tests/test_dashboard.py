"""The dashboard page (`/analysis/`): who sees which sections, the filters in the URL, and
every figure a link to a list that shows exactly that many rows."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from vigil.accounts.models import User
from vigil.core.contributions import menu_entries
from vigil.core.figures import Figure
from vigil.visits.enums import VisitMode, VisitType

from ..dashboard_charts import dashboard_charts
from ..filters import StatisticsFilters
from ..permissions import SECTIONS, dashboard_sections
from ..selectors.statistics import Statistics, statistics
from .dashboard_data import YEAR, DashboardData

pytestmark = pytest.mark.django_db

URL = "/analysis/"
Y = str(YEAR)
NATIONAL = ["admin", "coordinator", "auditor"]


def _sections(html: str) -> set[str]:
    return {name for name in SECTIONS if f'data-section="{name}"' in html}


def test_anonymous_is_sent_to_the_login_page(client_for: Callable[[str], Client]) -> None:
    response = client_for("anonymous").get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ("admin", {"visits", "coverage", "recommendations", "themes"}),  # never the appeals
        ("coordinator", "all"),
        ("auditor", "all"),
        ("regional", "policy"),
        ("monitor", "policy"),
        ("liaison", {"recommendations"}),
        ("other_liaison", {"recommendations"}),
    ],
)
def test_each_role_sees_the_sections_its_policy_allows(
    dashboard_data: DashboardData,
    users: dict[str, User],
    client_for: Callable[[str], Client],
    actor: str,
    expected: Any,
    debug: bool,
) -> None:
    with override_settings(DEBUG=debug):
        response = client_for(actor).get(URL, {"year": Y})
    assert response.status_code == 200
    shown = _sections(response.content.decode())
    allowed = set(dashboard_sections(users[actor]))
    assert shown == allowed
    if expected == "all":
        assert shown == {
            "visits",
            "coverage",
            "recommendations",
            "themes",
            "appeals",
            "funnel",
            "accountability",
            "incidents",
        }
    elif isinstance(expected, set):
        assert shown == expected


def test_the_liaison_sees_only_its_agencys_recommendations(
    dashboard_data: DashboardData, client_for: Callable[[str], Client]
) -> None:
    html = client_for("liaison").get(URL, {"year": Y}).content.decode()
    for hidden in ('data-figure="visits"', 'data-figure="operating"', "appeals:list", "/appeals/"):
        assert hidden not in html
    stats = client_for("liaison").get(URL, {"year": Y}).context["stats"]
    assert stats.visits is None
    assert stats.coverage is None
    assert stats.funnel is None
    assert stats.incidents == []
    assert stats.recommendations.counts.issued == 6  # its committee's, not the ministry's
    other = client_for("other_liaison").get(URL, {"year": Y}).context["stats"]
    assert other.recommendations.counts.issued == 1


def test_the_figures_of_the_year(
    dashboard_data: DashboardData, client_for: Callable[[str], Client]
) -> None:
    response = client_for("coordinator").get(URL, {"year": Y})
    stats: Statistics = response.context["stats"]
    assert stats.visits is not None
    assert stats.coverage is not None
    assert stats.visits.total.count == 4
    by_type = {f.key: f.count for f in stats.visits.by_type}
    assert by_type[VisitType.PLANNED] == 2
    assert by_type[VisitType.SPECIAL] == 1
    assert by_type[VisitType.THEMATIC] == 1
    assert {f.key: f.count for f in stats.visits.by_mode}[VisitMode.REMOTE] == 1
    assert stats.visits.institutions.count == 4  # the closed one too
    assert stats.coverage.institutions.count == 6
    assert stats.coverage.covered.count == 3
    assert stats.coverage.never_visited.count == 1
    assert stats.coverage.not_visited.count == 2
    assert stats.recommendations is not None
    assert stats.recommendations.counts.issued == 7
    assert stats.recommendations.counts.implemented == 3
    html = response.content.decode()
    assert "42.9% of 7" in html or "42.86% of 7" in html  # a share shows its base
    assert f"made_in={YEAR}" in html


def test_the_year_defaults_to_the_current_one_and_can_be_cleared(
    dashboard_data: DashboardData, client_for: Callable[[str], Client]
) -> None:
    client = client_for("coordinator")
    this_year = client.get(URL).context["stats"]
    assert this_year.filters.year == timezone.localdate().year
    every_year = client.get(URL, {"year": ""}).context["stats"]
    assert every_year.filters.year is None
    assert every_year.visits.total.count == 5  # the visit of the year before too


def test_filters_stay_in_the_url_and_change_the_figures(
    dashboard_data: DashboardData, client_for: Callable[[str], Client]
) -> None:
    client = client_for("coordinator")
    by_agency = client.get(URL, {"year": Y, "agency": "MOH"})
    stats = by_agency.context["stats"]
    assert stats.visits.total.count == 1
    assert stats.recommendations.counts.issued == 1
    html = by_agency.content.decode()
    assert 'value="MOH" selected' in html
    assert "agency=MOH" in html  # the figures' links keep the filter
    by_type = client.get(URL, {"year": Y, "institution_type": "IVS"}).context["stats"]
    assert by_type.visits.total.count == 1
    by_region = client.get(URL, {"year": Y, "region": "KZ-75"}).context["stats"]
    assert by_region.visits.total.count == 1
    assert by_region.funnel.appeals_total.count == 1


def test_the_htmx_request_gets_the_figures_only(
    dashboard_data: DashboardData, client_for: Callable[[str], Client]
) -> None:
    response = client_for("coordinator").get(URL, {"year": Y}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert 'data-section="visits"' in html
    assert "<html" not in html
    assert "filter-bar" not in html


def test_the_regional_representative_counts_its_regions_only(
    dashboard_data: DashboardData, client_for: Callable[[str], Client]
) -> None:
    client = client_for("regional")
    stats = client.get(URL, {"year": Y}).context["stats"]
    assert stats.visits.total.count == 3  # the Almaty visit is not counted
    assert stats.coverage.institutions.count == 4
    assert stats.recommendations.counts.issued == 6
    assert stats.funnel.appeals_total.count == 2
    assert {f.key for f in stats.visits.by_region} == {"KZ-71"}
    other = client.get(URL, {"year": Y, "region": "KZ-75"})
    assert other.status_code == 200
    assert other.context["list_form"].errors["region"]
    assert other.context["stats"].filters.region is None
    assert other.context["stats"].visits.total.count == 3
    assert 'value="KZ-75"' not in other.content.decode()


def test_the_systemic_issues_link_keeps_the_year(
    dashboard_data: DashboardData, client_for: Callable[[str], Client]
) -> None:
    response = client_for("coordinator").get(URL, {"year": Y, "agency": "MVD"})
    assert response.context["systemic_url"] == f"/recommendations/systemic/?year={YEAR}&agency=MVD"
    assert client_for("coordinator").get(response.context["systemic_url"]).status_code == 200


def test_the_menu_entry_follows_the_policy(users: dict[str, User]) -> None:
    entry = next(e for e in menu_entries() if e.url_name == "analytics:dashboard")
    assert all(entry.visible(users[role]) for role in users)
    assert not entry.visible(None)


# --- links that hold: every figure's list shows exactly that many rows -------------------------


def _figures(stats: Statistics) -> Iterator[Figure]:
    if stats.visits is not None:
        v = stats.visits
        yield from (v.total, v.institutions, *v.by_type, *v.by_mode, *v.by_agency, *v.by_region)
    if stats.coverage is not None:
        c = stats.coverage
        yield from (c.institutions, c.covered, c.never_visited, c.not_visited)
    if stats.recommendations is not None:
        r = stats.recommendations
        yield from (*r.figures, r.escalated)
        for row in r.by_agency:
            yield from row.figures
    if stats.themes is not None:
        yield from stats.themes.by_theme
    if stats.funnel is not None:
        fu = stats.funnel
        yield from (fu.appeals_total, *fu.by_subject, *fu.by_channel, *fu.allegations, *fu.cases)
        if fu.accountability_total is not None:
            yield from (fu.accountability_total, *fu.accountability)
    yield from stats.incidents


FILTERS = [
    {},
    {"region": "KZ-71"},
    {"agency": "MVD"},
    {"agency": "MVD-KUIS"},
    {"agency": "MOH"},
    {"institution_type": "IVS"},
    {"institution_type": "COLONY_MEDIUM"},
]


@pytest.mark.parametrize("actor", ["coordinator", "regional"])
@pytest.mark.parametrize(
    "query", FILTERS, ids=lambda q: "&".join(f"{k}={v}" for k, v in q.items()) or "year"
)
def test_every_figure_opens_a_list_of_that_many_rows(
    dashboard_data: DashboardData,
    users: dict[str, User],
    client_for: Callable[[str], Client],
    actor: str,
    query: dict[str, str],
) -> None:
    client = client_for(actor)
    stats = client.get(URL, {"year": Y, **query}).context["stats"]
    checked = 0
    for figure in _figures(stats):
        if figure.url is None:
            continue
        page = client.get(figure.url)
        assert page.status_code == 200, figure.url
        assert page.context["page"].paginator.count == figure.count, (figure.key, figure.url)
        checked += 1
    assert checked > 20
    assert sum(f.count for f in _figures(stats)) > 0
    charts = dashboard_charts(stats)
    for chart in charts.values():
        for row in chart.rows:
            if row.url:
                page = client.get(row.url)
                assert page.context["page"].paginator.count == row.value, (chart.key, row.url)


def test_the_dashboard_and_the_selectors_agree(
    dashboard_data: DashboardData, users: dict[str, User], client_for: Callable[[str], Client]
) -> None:
    shown = client_for("regional").get(URL, {"year": Y}).context["stats"]
    direct = statistics(
        users["regional"], StatisticsFilters(year=YEAR), dashboard_sections(users["regional"])
    )
    assert [f.count for f in _figures(shown)] == [f.count for f in _figures(direct)]


# --- charts -------------------------------------------------------------------------------------


CHARTS = [
    "visits-by-type",
    "visits-by-agency",
    "tally-by-agency",
    "implementation-trend",
    "appeals-by-channel",
]


def test_the_charts_are_drawn_from_the_figures_with_their_tables(
    dashboard_data: DashboardData, client_for: Callable[[str], Client]
) -> None:
    response = client_for("coordinator").get(URL, {"year": Y})
    html = response.content.decode()
    for key in CHARTS:
        assert f'id="chart-{key}"' in html
        assert f'id="chart-{key}-spec"' in html
    assert "vega-embed.min.js" in html
    assert "50.0% of 4" in html  # 2 planned visits of 4, in the chart's table
    trend = dashboard_charts(response.context["stats"])["implementation-trend"]
    assert trend.kind == "line"
    points = {(row.series, row.category): (row.value, row.base) for row in trend.rows}
    mvd = "Ministry of Internal Affairs"
    assert points[(mvd, str(YEAR))] == (2, 6)
    assert points[(mvd, str(YEAR - 1))] == (0, 1)
    tally = dashboard_charts(response.context["stats"])["tally-by-agency"]
    assert tally.kind == "stacked_bar"
    assert sum(row.value for row in tally.rows if row.category == mvd) == 4


@pytest.mark.parametrize("key", CHARTS)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_each_charts_table_downloads(
    dashboard_data: DashboardData, client_for: Callable[[str], Client], key: str, fmt: str
) -> None:
    response = client_for("coordinator").get(URL, {"year": Y, "chart": key, "export": fmt})
    assert response.status_code == 200
    assert f'filename="{key}-' in response["Content-Disposition"]
    if fmt == "csv":
        lines = response.content.decode("utf-8-sig").strip().splitlines()
        assert len(lines) > 1


def test_a_liaison_gets_no_chart_of_what_it_may_not_see(
    dashboard_data: DashboardData, client_for: Callable[[str], Client]
) -> None:
    client = client_for("liaison")
    html = client.get(URL, {"year": Y}).content.decode()
    assert 'id="chart-visits-by-type"' not in html
    assert 'id="chart-tally-by-agency"' in html
    for key in ("visits-by-type", "visits-by-agency", "appeals-by-channel"):
        assert client.get(URL, {"year": Y, "chart": key, "export": "csv"}).status_code == 404
    assert (
        client.get(URL, {"year": Y, "chart": "tally-by-agency", "export": "pdf"}).status_code == 404
    )
