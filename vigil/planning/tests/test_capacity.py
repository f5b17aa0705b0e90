"""The plan reads each participant's record: their visits a year (else the `capacity`
parameter) and the months their periods away leave them (`available_months`)."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from vigil.accounts.models import User
from vigil.people.models import Participant, ParticipantAbsence
from vigil.planning import proposals, solver
from vigil.planning.enums import PinKind
from vigil.registry.models import Institution

pytestmark = pytest.mark.django_db

YEAR = 2027
FIRST_HALF = set(range(1, 7))


@pytest.fixture
def places(make_institution: Callable[..., Institution], ref: dict[str, Any]) -> dict[str, Any]:
    last = datetime.date(YEAR - 1, 6, 1)
    return {
        "colony": make_institution(),  # required every year
        "ivs": make_institution(type=ref["ivs"], agency=ref["police"], last_visited_on=last),
        "psych": make_institution(type=ref["psych"], agency=ref["moh"], last_visited_on=last),
        "kids": make_institution(
            type=ref["ivs"], agency=ref["police"], population_boys=3, last_visited_on=last
        ),
    }


@pytest.fixture
def availability(participants: dict[str, Participant]) -> dict[str, Participant]:
    """The monitor is away from January to June; the lead joins one visit a year."""
    ParticipantAbsence.objects.create(
        participant=participants["monitor"],
        starts_on=datetime.date(YEAR, 1, 1),
        ends_on=datetime.date(YEAR, 6, 30),
    )
    participants["lead"].visits_per_year = 1
    participants["lead"].save()
    return participants


def test_instance_reads_capacity_and_months(
    places: dict[str, Any], availability: dict[str, Participant]
) -> None:
    instance = proposals.build_instance(YEAR, {}, {"capacity": 7})
    people = {p.id: p for p in instance.participants}
    monitor, lead, doctor = (availability[k].pk for k in ("monitor", "lead", "doctor"))
    assert people[lead].capacity == 1
    assert people[monitor].capacity == people[doctor].capacity == 7
    assert people[monitor].months == frozenset(range(7, 13))
    assert people[doctor].months == frozenset(range(1, 13))


def test_an_absent_participant_is_in_no_team_of_those_months(
    users: dict[str, User], places: dict[str, Any], availability: dict[str, Participant]
) -> None:
    coordinator = users["coordinator"]
    proposal = proposals.proposal_solve(
        actor=coordinator,
        year=YEAR,
        parameters={"budget": 4, "reserved_percent": 0, "time_limit_s": 10},
    )
    proposals.proposal_pin_set(
        actor=coordinator,
        proposal=proposal,
        institution=places["colony"],
        kind=PinKind.PINNED,
        month=3,
        reason="Complaints in March",
    )
    proposal = proposals.proposal_solve(actor=coordinator, year=YEAR)
    assert proposal.status in (solver.Status.OPTIMAL, solver.Status.FEASIBLE)
    rows = list(proposal.visits.prefetch_related("team"))
    assert len(rows) == 4
    teams = {row.institution_id: (row.month, {p.pk for p in row.team.all()}) for row in rows}
    month, team = teams[places["colony"].pk]
    assert month == 3
    assert availability["monitor"].pk not in team
    for month, team in teams.values():
        if month in FIRST_HALF:
            assert availability["monitor"].pk not in team
    # The lead's record says one visit a year, whatever the plan's default.
    assert sum(availability["lead"].pk in team for _, team in teams.values()) <= 1
    assert sum(availability["monitor"].pk in team for _, team in teams.values()) == 3
