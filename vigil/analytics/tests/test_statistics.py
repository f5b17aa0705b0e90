from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from vigil.accounts.models import User
from vigil.visits.enums import VisitState, VisitType
from vigil.visits.models import Visit

from ..filters import StatisticsFilters
from ..permissions import PUBLISHED
from ..selectors.statistics import statistics

pytestmark = pytest.mark.django_db


def test_made_visits_are_counted_by_type_and_the_list_behind_shows_them(
    users: dict[str, User], make_visit: Callable[..., Visit], client: Client
) -> None:
    make_visit(VisitState.CLOSED)
    make_visit(VisitState.ON_SITE, type=VisitType.SPECIAL)
    make_visit(VisitState.PLANNED)  # not made: never counted
    make_visit(VisitState.CANCELLED)
    year = Visit.objects.exclude(started_at=None).first().started_at.year  # type: ignore[union-attr]
    f = StatisticsFilters(year=year)

    for audience in (users["coordinator"], PUBLISHED):
        result = statistics(audience, f, ["visits"])
        assert result.visits is not None
        assert result.visits.total.count == 2
        by_type = {figure.key: figure.count for figure in result.visits.by_type}
        assert by_type[VisitType.PLANNED] == 1
        assert by_type[VisitType.SPECIAL] == 1
        assert result.visits.institutions.count == 2

    special = next(
        x
        for x in statistics(users["coordinator"], f, ["visits"]).visits.by_type  # type: ignore[union-attr]
        if x.key == VisitType.SPECIAL
    )
    assert special.share is not None
    assert special.share.text() == "50.00% of 2"
    client.force_login(users["coordinator"])
    assert special.url is not None
    page = client.get(special.url)
    assert page.status_code == 200
    listed = [v for v in Visit.objects.all() if v.reference in page.content.decode()]
    assert [v.type for v in listed] == [VisitType.SPECIAL]


def test_a_liaison_counts_only_its_agencys_recommendations(users: dict[str, User]) -> None:
    result = statistics(users["liaison"], StatisticsFilters(), ["recommendations"])
    assert result.recommendations is not None
    assert result.recommendations.counts.issued == 0


def test_unknown_sections_are_left_empty(users: dict[str, Any]) -> None:
    result = statistics(users["coordinator"], StatisticsFilters(), ["recommendations"])
    assert result.visits is None
    assert result.funnel is None
    assert result.incidents == []


def test_the_published_figures_are_reproduced(
    users: dict[str, User], published_figures: Any
) -> None:
    """2023: 461 visits (422 planned, 33 special, 6 of other kinds) to 474 facilities, about
    40% of 3,000+ recommendations implemented, 258 + 17 officials; 2021: the penitentiary
    committee's 758 / 275 / 456 / 27 (36.3%) — for a coordinator and for publication alike."""
    from vigil.appeals.enums import Initiative
    from vigil.reference.models import Agency

    for audience in (users["coordinator"], PUBLISHED):
        result = statistics(audience, StatisticsFilters(year=2023))
        assert result.visits is not None
        assert result.visits.total.count == 461
        by_type = {figure.key: figure.count for figure in result.visits.by_type}
        assert by_type[VisitType.PLANNED] == 422
        assert by_type[VisitType.SPECIAL] == 33
        assert sum(by_type.values()) - 422 - 33 == 6
        assert result.visits.institutions.count == 474
        assert {figure.key for figure in result.visits.by_agency} == {
            "MVD",
            "KNB",
            "MO",
            "MZ",
            "MTSZN",
            "MP",
        }
        assert result.recommendations is not None
        assert result.recommendations.counts.issued > 3000
        assert result.recommendations.counts.implementation_rate == Decimal("40.0")
        assert result.funnel is not None
        officials = {figure.key: figure.count for figure in result.funnel.accountability}
        assert officials[Initiative.COMMISSIONER_REPRESENTATIVE] == 258
        assert officials[Initiative.NPM_PARTICIPANT] == 17

    kuis = Agency.objects.get(code="MVD-KUIS")
    penitentiary = statistics(
        PUBLISHED, StatisticsFilters(year=2021, agency=kuis), ["recommendations"]
    ).recommendations
    assert penitentiary is not None
    counts = penitentiary.counts
    assert (counts.issued, counts.implemented, counts.in_implementation, counts.not_accepted) == (
        758,
        275,
        456,
        27,
    )
    implemented = next(f for f in penitentiary.figures if f.key == "implemented")
    assert implemented.share is not None
    assert implemented.share.text() == "36.3% of 758"
