"""The plan proposal's service: the instance built from the data, solving, pins kept across
re-solves, the life cycle and who may move it, the planned visits created once."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from vigil.accounts.models import User
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.people.models import ConflictDeclaration, Participant
from vigil.planning import proposals, solver
from vigil.planning.enums import PinKind, ProposalEventKind, ProposalState
from vigil.planning.models import ProposalEvent
from vigil.registry.models import Institution
from vigil.visits.enums import VisitState, VisitType
from vigil.visits.models import Visit

pytestmark = pytest.mark.django_db

YEAR = 2027


@pytest.fixture
def places(make_institution: Callable[..., Institution], ref: dict[str, Any]) -> dict[str, Any]:
    """A colony (penal: required every year), a police station, a psychiatric hospital
    (medical: needs a doctor) and one with children (needs a psychologist); all but the
    colony visited last year, so that no coverage rule requires them."""
    last = datetime.date(YEAR - 1, 6, 1)
    return {
        "colony": make_institution(),
        "ivs": make_institution(type=ref["ivs"], agency=ref["police"], last_visited_on=last),
        "psych": make_institution(
            type=ref["psych"], agency=ref["moh"], region=ref["almaty"], last_visited_on=last
        ),
        "kids": make_institution(
            type=ref["ivs"], agency=ref["police"], population_boys=3, last_visited_on=last
        ),
    }


def test_instance_built_from_the_data(
    places: dict[str, Any], participants: dict[str, Participant]
) -> None:
    ConflictDeclaration.objects.create(
        participant=participants["lead"],
        institution=places["ivs"],
        kind="worked_at_institution",
        declared_on=datetime.date(2024, 1, 1),
    )
    pins: dict[int, Any] = {}
    instance = proposals.build_instance(YEAR, pins, {"budget": 7, "capacity": 5})
    by_id = {i.id: i for i in instance.institutions}
    colony, ivs, psych, kids = (by_id[places[k].pk] for k in ("colony", "ivs", "psych", "kids"))
    assert colony.required
    assert not colony.medical
    assert not colony.children
    assert psych.medical
    assert psych.region == places["psych"].region_id
    assert kids.children
    assert not ivs.children
    assert all(i.risk >= 0 for i in instance.institutions)
    people = {p.id: p for p in instance.participants}
    assert set(people) == {p.pk for p in participants.values()}
    assert people[participants["doctor"].pk].doctor
    assert people[participants["outsider"].pk].psychologist
    assert people[participants["lead"].pk].conflicts == frozenset({places["ivs"].pk})
    assert people[participants["monitor"].pk].capacity == 5
    assert instance.parameters.budget == 7
    assert instance.parameters.team_size == 3


def _solve(user: User, **params: Any) -> Any:
    return proposals.proposal_solve(actor=user, year=YEAR, parameters=params or None)


def test_solve_stores_the_visits_and_the_pin_is_kept(
    users: dict[str, User], places: dict[str, Any], participants: dict[str, Participant]
) -> None:
    proposal = _solve(users["coordinator"], budget=2, time_limit_s=5)
    assert proposal.status == solver.Status.OPTIMAL
    assert proposal.state == ProposalState.DRAFT
    rows = {v.institution_id: v for v in proposal.visits.all()}
    assert places["colony"].pk in rows
    assert rows[places["colony"].pk].why == "required"
    assert len(rows) <= 2
    assert all(v.team.count() == 3 for v in rows.values())
    proposals.proposal_pin_set(
        actor=users["coordinator"],
        proposal=proposal,
        institution=places["ivs"],
        kind=PinKind.PINNED,
        month=5,
        reason="Complaints from the press",
    )
    proposal = _solve(users["coordinator"])
    assert proposal.parameters["budget"] == 2  # kept from the first computation
    rows = {v.institution_id: v for v in proposal.visits.all()}
    assert rows[places["ivs"].pk].month == 5
    assert rows[places["ivs"].pk].why == "pinned"
    assert places["colony"].pk in rows
    proposals.proposal_pin_set(
        actor=users["coordinator"],
        proposal=proposal,
        institution=places["colony"],
        kind=PinKind.EXCLUDED,
        reason="Under renovation",
    )
    proposal = _solve(users["coordinator"])
    chosen = {v.institution_id for v in proposal.visits.all()}
    assert places["colony"].pk not in chosen
    assert places["ivs"].pk in chosen
    kinds = list(ProposalEvent.objects.values_list("kind", flat=True))
    assert kinds.count(ProposalEventKind.SOLVED) == 3
    assert kinds.count(ProposalEventKind.PIN) == 2
    assert AuditEvent.objects.filter(action=AuditAction.PROPOSAL_PIN_SET).count() == 2


def test_infeasible_proposal_names_the_institutions(
    users: dict[str, User], places: dict[str, Any], participants: dict[str, Participant]
) -> None:
    proposal = _solve(users["coordinator"], budget=0, time_limit_s=5, coverage="strict")
    assert proposal.status == solver.Status.INFEASIBLE
    assert proposal.infeasibility["reason"] == "budget"
    assert places["colony"].pk in proposal.infeasibility["institutions"]
    with pytest.raises(ValidationError):
        proposals.proposal_move(
            actor=users["coordinator"], proposal=proposal, to_state=ProposalState.PROPOSED
        )


def test_a_pin_needs_a_reason_and_an_exclusion_no_month(
    users: dict[str, User], places: dict[str, Any], participants: dict[str, Participant]
) -> None:
    proposal = _solve(users["coordinator"], time_limit_s=5)
    for kind, month, reason in ((PinKind.PINNED, 3, " "), (PinKind.EXCLUDED, 3, "x")):
        with pytest.raises(ValidationError):
            proposals.proposal_pin_set(
                actor=users["coordinator"],
                proposal=proposal,
                institution=places["ivs"],
                kind=kind,
                month=month,
                reason=reason,
            )


@pytest.mark.parametrize("actor", ["regional", "auditor", "monitor", "liaison"])
def test_only_managers_solve_pin_and_move(
    users: dict[str, User], places: dict[str, Any], participants: dict[str, Participant], actor: str
) -> None:
    with pytest.raises(PermissionDenied):
        _solve(users[actor])
    proposal = _solve(users["coordinator"], time_limit_s=5)
    with pytest.raises(PermissionDenied):
        proposals.proposal_pin_set(
            actor=users[actor],
            proposal=proposal,
            institution=places["ivs"],
            kind=PinKind.EXCLUDED,
            reason="x",
        )
    with pytest.raises(PermissionDenied):
        proposals.proposal_move(
            actor=users[actor], proposal=proposal, to_state=ProposalState.PROPOSED
        )


def test_life_cycle_and_visits_created_once(
    users: dict[str, User], places: dict[str, Any], participants: dict[str, Participant]
) -> None:
    coordinator = users["coordinator"]
    proposal = _solve(coordinator, budget=2, time_limit_s=5)
    with pytest.raises(ValidationError):
        proposals.proposal_move(actor=coordinator, proposal=proposal, to_state="approved")
    proposal = proposals.proposal_move(actor=coordinator, proposal=proposal, to_state="proposed")
    with pytest.raises(ValidationError):  # frozen while proposed
        _solve(coordinator)
    proposal = proposals.proposal_move(actor=coordinator, proposal=proposal, to_state="draft")
    proposal = proposals.proposal_move(actor=coordinator, proposal=proposal, to_state="proposed")
    with pytest.raises(ValidationError):  # not yet approved
        proposals.proposal_visits_create(actor=coordinator, proposal=proposal)
    proposal = proposals.proposal_move(actor=users["admin"], proposal=proposal, to_state="approved")
    with pytest.raises(ValidationError):  # approved is final
        proposals.proposal_move(actor=coordinator, proposal=proposal, to_state="draft")
    moves = ProposalEvent.objects.filter(kind=ProposalEventKind.MOVED)
    assert [(e.from_state, e.to_state) for e in moves] == [
        ("draft", "proposed"),
        ("proposed", "draft"),
        ("draft", "proposed"),
        ("proposed", "approved"),
    ]
    assert AuditEvent.objects.filter(action=AuditAction.PROPOSAL_MOVED).count() == 4
    created = proposals.proposal_visits_create(actor=coordinator, proposal=proposal)
    rows = {v.institution_id: v for v in proposal.visits.all()}
    assert len(created) == len(rows) > 0
    for visit in Visit.objects.all():
        [place] = visit.institutions.all()
        row = rows[place.pk]
        assert visit.state == VisitState.PLANNED
        assert visit.type == VisitType.PLANNED
        assert visit.plan.year == YEAR
        assert visit.planned_start.month == row.month
        assert set(visit.team.values_list("participant_id", flat=True)) == set(
            row.team.values_list("pk", flat=True)
        )
    with pytest.raises(ValidationError):
        proposals.proposal_visits_create(actor=coordinator, proposal=proposal)
    assert Visit.objects.count() == len(created)


def test_the_travel_rule_follows_the_regions_neighbours(
    places: dict[str, Any], participants: dict[str, Participant], ref: dict[str, Any]
) -> None:
    ref["astana"].neighbours.set([ref["karaganda"]])
    instance = proposals.build_instance(YEAR, {}, {"budget": 7})
    neighbours = instance.parameters.neighbours
    assert neighbours[ref["astana"].pk] == frozenset({ref["karaganda"].pk})
    assert neighbours[ref["karaganda"].pk] == frozenset({ref["astana"].pk})
    assert ref["almaty"].pk not in neighbours


def test_priority_coverage_leaves_out_what_cannot_be_staffed(
    users: dict[str, User], places: dict[str, Any], participants: dict[str, Participant]
) -> None:
    proposal = _solve(users["coordinator"], budget=0, time_limit_s=5)
    assert proposal.parameters["coverage"] == "priority"
    assert proposal.status == solver.Status.OPTIMAL
    assert proposal.left_out == [places["colony"].pk]
    assert not proposal.visits.exists()
    proposal = _solve(users["coordinator"], budget=1)
    assert proposal.left_out == []
    assert [v.institution_id for v in proposal.visits.all()] == [places["colony"].pk]
    assert proposal.visits.get().why == "required"
