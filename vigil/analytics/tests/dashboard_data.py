"""Small synthetic data for the dashboard's tests: last year in Astana (the regional
representative's region) and Almaty, with visits of each type and mode, institutions visited,
closed, never and long unvisited, the official tally of the Penitentiary committee's
recommendations and of the Ministry of Health's, appeals, accountability and incidents."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from vigil.appeals.enums import CaseState, Channel, IncidentKind, Initiative
from vigil.appeals.models import AccountabilityRecord
from vigil.recommendations.enums import State
from vigil.registry.enums import InstitutionStatus
from vigil.registry.models import Institution
from vigil.visits.enums import Theme, VisitMode, VisitState, VisitType

YEAR = timezone.localdate().year - 1
"""Last year: the coverage figures (never visited, not visited for N years) count from today."""
RECENT = timezone.localdate() - datetime.timedelta(days=900)
"""About two and a half years ago: not visited for 2 years, but visited within 3."""


def _at(month: int, day: int) -> datetime.datetime:
    return datetime.datetime(YEAR, month, day, 10, 0, tzinfo=datetime.UTC)


@dataclass(frozen=True)
class DashboardData:
    colony: Institution
    ivs: Institution
    hospital: Institution
    closed: Institution
    never: Institution
    long_ago: Institution
    recent: Institution


def build_dashboard_data(
    ref: dict[str, Any],
    make_institution: Callable[..., Institution],
    make_visit: Callable[..., Any],
    make_recommendation: Callable[..., Any],
    appeals: tuple[Callable[..., Any], Callable[..., Any], Callable[..., Any]],
) -> DashboardData:
    """Last year: 4 made visits (3 in Astana, 1 in Almaty) to 5 institutions; 6 Astana
    recommendations of the Penitentiary committee and 1 Almaty one of the Ministry of Health;
    3 appeals (2 in Astana); 3 criminal cases; 2 officials held accountable; 2 incidents.
    `appeals`: the appeals app's factories (`make_appeal`, `make_case`, `make_incident`)."""
    make_appeal, make_case, make_incident = appeals
    colony = make_institution(last_visited_on=datetime.date(YEAR, 3, 1))
    ivs = make_institution(
        type=ref["ivs"], agency=ref["police"], last_visited_on=datetime.date(YEAR, 4, 1)
    )
    hospital = make_institution(
        type=ref["psych"],
        agency=ref["moh"],
        region=ref["almaty"],
        last_visited_on=datetime.date(YEAR, 5, 1),
    )
    closed = make_institution(
        status=InstitutionStatus.CLOSED, last_visited_on=datetime.date(YEAR, 6, 1)
    )
    never = make_institution()
    long_ago = make_institution(
        type=ref["ivs"],
        agency=ref["police"],
        region=ref["almaty"],
        last_visited_on=datetime.date(YEAR - 6, 6, 1),
    )
    recent = make_institution(type=ref["psych"], agency=ref["moh"], last_visited_on=RECENT)

    make_visit(VisitState.CLOSED, institution=colony, started_at=_at(3, 1))
    special = make_visit(
        VisitState.CLOSED,
        institution=colony,
        type=VisitType.SPECIAL,
        mode=VisitMode.REMOTE,
        started_at=_at(4, 1),
    )
    special.institutions.add(ivs)
    make_visit(
        VisitState.ON_SITE, institution=hospital, type=VisitType.THEMATIC, started_at=_at(5, 1)
    )
    make_visit(VisitState.CLOSED, institution=closed, started_at=_at(6, 1))
    make_visit(
        VisitState.CLOSED,
        institution=recent,
        started_at=datetime.datetime.combine(RECENT, datetime.time(10), tzinfo=datetime.UTC),
    )
    make_visit(VisitState.PLANNED, institution=never)  # not made: never counted

    issued = datetime.date(YEAR, 2, 10)
    deadline = datetime.date(YEAR, 4, 10)
    common = {"issued_on": issued, "deadline": deadline, "state_changed_on": issued}
    for state, theme in (
        (State.IMPLEMENTED_VERIFIED, Theme.T3),
        (State.IMPLEMENTED_CLAIMED, Theme.T3),
        (State.IN_IMPLEMENTATION, Theme.T3),
        (State.NOT_ACCEPTED, Theme.T1),
        (State.AWAITING_RESPONSE, Theme.T1),  # overdue: past its deadline, no answer
        (State.ESCALATED, Theme.T2),
    ):
        make_recommendation(state=state, theme=theme, institution=colony, **common)
    make_recommendation(
        state=State.IMPLEMENTED_VERIFIED,
        addressee=ref["moh"],
        institution=hospital,
        theme=Theme.T2,
        **common,
    )
    make_recommendation(  # the year before: the trend only
        state=State.NOT_ACCEPTED,
        institution=colony,
        issued_on=datetime.date(YEAR - 1, 3, 1),
        deadline=datetime.date(YEAR - 1, 5, 1),
        state_changed_on=datetime.date(YEAR - 1, 3, 1),
    )
    make_recommendation(state=State.DRAFT, institution=colony)  # not issued

    received = {
        "received_on": datetime.date(YEAR, 7, 1),
        "registered_on": datetime.date(YEAR, 7, 2),
    }
    make_appeal(institution=colony, **received)
    make_appeal(institution=ivs, channel=Channel.HOTLINE, **received)
    make_appeal(institution=hospital, **received)

    reported = datetime.date(YEAR, 7, 5)
    make_case(institution=colony, region=colony.region, reported_on=reported)
    make_case(
        CaseState.REGISTERED,
        institution=ivs,
        region=ivs.region,
        reported_on=reported,
        registered_on=reported,
        register_number="T-146-1",
    )
    make_case(institution=hospital, region=hospital.region, reported_on=reported)

    for institution, initiative in (
        (colony, Initiative.COMMISSIONER_REPRESENTATIVE),
        (hospital, Initiative.NPM_PARTICIPANT),
    ):
        AccountabilityRecord.objects.create(
            decided_on=datetime.date(YEAR, 8, 1),
            responsibility="disciplinary",
            initiative=initiative,
            institution=institution,
            region=institution.region,
        )

    make_incident(institution=colony, occurred_on=datetime.date(YEAR, 7, 10))
    make_incident(
        IncidentKind.DEATH_IN_CUSTODY,
        institution=hospital,
        occurred_on=datetime.date(YEAR, 7, 11),
    )
    return DashboardData(colony, ivs, hospital, closed, never, long_ago, recent)
