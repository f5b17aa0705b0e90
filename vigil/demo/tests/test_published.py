"""The data set reproducing the NPM's published figures (`vigil.demo.published`): the counts
are checked straight on the database, as the analytics will count them, and the tallies
through the recommendations' own selector (as a coordinator, who sees everything)."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Count, F, Q

from vigil.accounts.models import User
from vigil.appeals.enums import Initiative
from vigil.appeals.models import AccountabilityRecord
from vigil.demo.published import PublishedSummary, build_published_figures
from vigil.demo.registry import DemoDataError
from vigil.recommendations.enums import Source
from vigil.recommendations.models import Recommendation
from vigil.recommendations.selectors.tallies import agency_tally
from vigil.reference.loader import reference_data_load
from vigil.reference.models import Agency
from vigil.registry.models import Institution
from vigil.visits.enums import NOT_STARTED_STATES, VisitState, VisitType
from vigil.visits.models import Finding, TeamMember, Visit

pytestmark = pytest.mark.django_db
NOT_MADE = [*NOT_STARTED_STATES, VisitState.CANCELLED]
# The ministries and committees the 2023 institutions answer to (their agencies' roots).
PUBLISHED_AGENCIES = {"MVD", "MP", "MTSZN", "MZ", "MO", "KNB"}


def _made_in_2023() -> "list[Visit]":
    return list(
        Visit.objects.filter(started_at__year=2023)
        .exclude(state__in=NOT_MADE)
        .prefetch_related("institutions", "team")
    )


def _root(agency: Agency) -> str:
    while agency.parent is not None and agency.parent.code != "GOV":
        agency = agency.parent
    return agency.code


def test_the_2023_visits(published_figures: PublishedSummary) -> None:
    visits = _made_in_2023()
    assert len(visits) == Visit.objects.count() == 461
    by_type = dict(
        Visit.objects.filter(pk__in=[v.pk for v in visits])
        .values_list("type")
        .annotate(n=Count("pk"))
        .order_by()
    )
    assert by_type == {
        VisitType.PLANNED: 422,
        VisitType.SPECIAL: 33,
        VisitType.FOLLOW_UP: 2,
        VisitType.THEMATIC: 2,
        VisitType.JOINT: 2,
    }
    visited = Institution.objects.filter(visits__in=visits).distinct()
    assert visited.count() == Institution.objects.count() == 474
    assert {_root(i.agency) for i in visited.select_related("agency__parent__parent")} == (
        PUBLISHED_AGENCIES
    )
    for visit in visits:
        assert visit.state == VisitState.CLOSED
        team = list(visit.team.all())
        assert len(team) >= 3
        assert sum(m.is_lead for m in team) == 1
        assert {i.region_id for i in visit.institutions.all()} == {visit.region_id}
        assert bool(visit.trigger_kind) == (visit.type == VisitType.SPECIAL)
        assert (visit.follow_up_of_id is not None) == (visit.type == VisitType.FOLLOW_UP)
    assert TeamMember.objects.values("participant").distinct().count() == 30
    assert published_figures.visits_2023 == 461
    assert published_figures.visits_by_type_2023 == {str(k): n for k, n in by_type.items()}
    assert published_figures.institutions_visited_2023 == 474


def test_the_2023_recommendations(
    published_figures: PublishedSummary, users: dict[str, User]
) -> None:
    tally = agency_tally(users["coordinator"], None, 2023)
    assert tally.issued == Recommendation.objects.filter(issued_on__year=2023).count() == 3012
    assert (tally.implemented, tally.in_implementation, tally.not_accepted) == (1205, 1200, 300)
    assert tally.no_response == 307
    assert tally.implementation_rate == Decimal("40.0")
    issued = Recommendation.objects.filter(issued_on__year=2023).select_related(
        "visit", "institution", "addressee__parent__parent"
    )
    assert not issued.filter(Q(visit__isnull=True) | ~Q(source=Source.VISIT_REPORT)).exists()
    assert {_root(r.addressee) for r in issued} == PUBLISHED_AGENCIES
    for rec in issued:
        assert rec.institution is not None
        assert rec.visit is not None
        assert rec.visit.ended_at is not None
        assert rec.addressee_id == rec.institution.agency_id
        assert rec.issued_on is not None
        assert rec.issued_on >= rec.visit.ended_at.date()
    # each is linked to the finding made at its institution on its visit
    links = Finding.recommendations.through.objects.filter(recommendation__in=issued)
    assert links.count() == 3012
    assert not links.exclude(finding__visit=F("recommendation__visit")).exists()
    assert not links.exclude(finding__institution=F("recommendation__institution")).exists()
    assert published_figures.recommendations_2023 == 3012
    assert published_figures.tally_2023 == {
        "implemented": 1205,
        "in_implementation": 1200,
        "not_accepted": 300,
    }
    assert published_figures.implementation_rate_2023 == 40.0


def test_the_2021_penitentiary_tally(
    published_figures: PublishedSummary, users: dict[str, User]
) -> None:
    kuis = Agency.objects.get(code="MVD-KUIS")
    tally = agency_tally(users["coordinator"], kuis, 2021)
    assert (tally.issued, tally.implemented, tally.in_implementation, tally.not_accepted) == (
        758,
        275,
        456,
        27,
    )
    assert tally.implementation_rate == Decimal("36.3")
    in_2021 = Recommendation.objects.filter(issued_on__year=2021)
    assert in_2021.count() == 758
    assert not in_2021.exclude(institution__type__category="penal").exists()
    # the liaison of the committee sees the same tally (its own subtree)
    assert agency_tally(users["liaison"], kuis, 2021) == tally
    assert published_figures.kuis_2021 == {
        "issued": 758,
        "implemented": 275,
        "in_implementation": 456,
        "not_accepted": 27,
    }
    assert published_figures.kuis_implementation_rate_2021 == 36.3


def test_the_2023_officials_brought_to_justice(published_figures: PublishedSummary) -> None:
    decided = AccountabilityRecord.objects.filter(decided_on__year=2023)
    counts = dict(decided.values_list("initiative").annotate(n=Count("pk")).order_by())
    assert counts == {Initiative.COMMISSIONER_REPRESENTATIVE: 258, Initiative.NPM_PARTICIPANT: 17}
    assert AccountabilityRecord.objects.count() == 275
    assert not decided.filter(initiative=Initiative.NPM_PARTICIPANT, visit__isnull=True).exists()
    assert published_figures.officials_2023 == {"commissioner": 258, "npm_participant": 17}


def _snapshot() -> list[tuple[object, ...]]:
    return [
        *Visit.objects.order_by("reference").values_list(
            "reference", "public_id", "type", "planned_start", "started_at", "region__code"
        ),
        *Recommendation.objects.order_by("reference").values_list(
            "reference", "external_ref", "state", "issued_on", "institution__external_code"
        ),
        *AccountabilityRecord.objects.order_by("public_id").values_list(
            "public_id", "decided_on", "initiative", "institution__external_code"
        ),
    ]


class _RolledBack(Exception):
    pass


def _built(seed: int) -> tuple[PublishedSummary, list[tuple[object, ...]]]:
    """The summary and the rows of one build, rolled back afterwards."""
    try:
        with transaction.atomic():
            summary = build_published_figures(seed=seed)
            snapshot = _snapshot()
            raise _RolledBack
    except _RolledBack:
        return summary, snapshot


def test_deterministic_for_a_seed() -> None:
    reference_data_load(country="kz")
    first, rows = _built(7)
    assert Visit.objects.count() == 0
    again, rows_again = _built(7)
    assert again == first
    assert rows_again == rows
    other, other_rows = _built(8)
    assert other == first  # the figures never depend on the seed
    assert other_rows != rows


def test_refuses_a_database_with_visits(published_figures: PublishedSummary) -> None:
    with pytest.raises(DemoDataError, match="without visits"):
        build_published_figures(seed=1)
    assert Visit.objects.count() == 461
    assert datetime.date(2023, 1, 1) <= Visit.objects.order_by("planned_start")[0].planned_start
