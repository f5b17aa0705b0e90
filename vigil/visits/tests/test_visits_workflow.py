"""The visit life cycle: every move in the transition table works for the roles it names
and no other; every move not in the table is refused with a clear message."""

import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.visits import workflow
from vigil.visits.enums import VisitState
from vigil.visits.models import Visit, VisitTransition
from vigil.visits.services.visits import visit_transition

ACTORS = [
    "admin",
    "coordinator",
    "regional",
    "monitor",
    "monitor_lead",
    "monitor_outsider",
    "liaison",
    "auditor",
]
PLANNERS = {"admin", "coordinator", "regional"}
ALLOWED = {
    "planner": PLANNERS,
    "planner_or_lead": PLANNERS | {"monitor_lead"},
    "coordinator": {"coordinator"},
}
STATES = list(VisitState.values)
LISTED = {(t.source, t.target) for t in workflow.TRANSITIONS}


def _id(t: workflow.Transition) -> str:
    return f"{t.source}->{t.target}"


def test_table_matches_the_life_cycle_of_the_domain():
    forward = [
        "draft",
        "planned",
        "prepared",
        "on_site",
        "debriefed",
        "report_draft",
        "report_review",
        "report_approved",
        "sent_to_authority",
    ]
    for source, target in itertools.pairwise(forward):
        assert (source, target) in LISTED
    for end in ("response_received", "response_overdue"):
        assert ("sent_to_authority", end) in LISTED
        assert (end, "closed") in LISTED
    assert not any(t.source in ("closed", "cancelled") for t in workflow.TRANSITIONS)


@pytest.mark.parametrize("move", [t for t in workflow.TRANSITIONS if not t.via_report], ids=_id)
def test_each_listed_move_works_for_its_roles_only(users, make_visit, participants, move):
    allowed = ALLOWED[move.who.__name__]
    note = "Reason given" if move.needs_note else ""
    for actor in ACTORS:
        visit = make_visit(state=move.source)
        events = AuditEvent.objects.count()
        if actor in allowed:
            visit_transition(actor=users[actor], visit=visit, to_state=move.target, note=note)
            visit.refresh_from_db()
            assert visit.state == move.target, actor
            step = VisitTransition.objects.get(visit=visit)
            assert (step.from_state, step.to_state, step.actor) == (
                move.source,
                move.target,
                users[actor],
            )
            assert AuditEvent.objects.filter(
                action=AuditAction.VISIT_TRANSITIONED, target_id=str(visit.public_id)
            ).exists()
        else:
            with pytest.raises(PermissionDenied):
                visit_transition(actor=users[actor], visit=visit, to_state=move.target, note=note)
            visit.refresh_from_db()
            assert visit.state == move.source, actor
            assert not VisitTransition.objects.filter(visit=visit).exists()
            assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("move", [t for t in workflow.TRANSITIONS if t.needs_note], ids=_id)
def test_moves_that_need_a_reason_refuse_an_empty_one(users, make_visit, move):
    visit = make_visit(state=move.source)
    with pytest.raises(ValidationError) as exc:
        visit_transition(
            actor=users["coordinator"],
            visit=visit,
            to_state=move.target,
            note="  ",
            via_report=move.via_report,
        )
    assert exc.value.message_dict == {"note": ["Give the reason for this step."]}


@pytest.mark.parametrize("move", [t for t in workflow.TRANSITIONS if t.via_report], ids=_id)
def test_report_moves_only_through_the_report_services(users, make_visit, move):
    visit = make_visit(state=move.source)
    with pytest.raises(ValidationError) as exc:
        visit_transition(actor=users["coordinator"], visit=visit, to_state=move.target, note="n")
    assert "cannot go from" in exc.value.message_dict["state"][0]
    allowed = ALLOWED[move.who.__name__]
    actor = "coordinator" if "coordinator" in allowed else "monitor_lead"
    visit_transition(
        actor=users[actor], visit=visit, to_state=move.target, note="n", via_report=True
    )
    visit.refresh_from_db()
    assert visit.state == move.target


@pytest.mark.parametrize(
    ("source", "target"),
    [(s, t) for s in STATES for t in STATES if (s, t) not in LISTED],
    ids=[f"{s}->{t}" for s in STATES for t in STATES if (s, t) not in LISTED],
)
def test_every_move_not_in_the_table_is_refused(users, make_visit, source, target):
    visit = make_visit(state=source)
    with pytest.raises(ValidationError) as exc:
        visit_transition(actor=users["coordinator"], visit=visit, to_state=target, note="n")
    message = exc.value.message_dict["state"][0]
    assert message.startswith("A visit cannot go from")
    assert str(VisitState(source).label) in message
    visit.refresh_from_db()
    assert visit.state == source
    assert not VisitTransition.objects.filter(visit=visit).exists()


def test_unknown_state_is_refused(users, make_visit):
    visit = make_visit(state=VisitState.DRAFT)
    with pytest.raises(ValidationError, match="“nowhere”"):
        visit_transition(actor=users["coordinator"], visit=visit, to_state="nowhere")


def test_available_moves_are_the_buttons(users, make_visit):
    visit = make_visit(state=VisitState.PLANNED)
    targets = {t.target for t in workflow.available(users["coordinator"], visit)}
    assert targets == {"prepared", "cancelled", "postponed"}
    assert {t.target for t in workflow.available(users["monitor_lead"], visit)} == {"prepared"}
    assert workflow.available(users["monitor"], visit) == []
    assert workflow.available(users["liaison"], visit) == []


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(ACTORS), st.sampled_from(STATES), st.booleans()),
        max_size=12,
    )
)
def test_any_sequence_of_requests_follows_the_table(users, make_visit, participants, steps):
    """Whatever is asked, by whoever, the visit only ever moves along the table, and its
    history records exactly the moves made."""
    visit = make_visit(state=VisitState.DRAFT)
    made = 0
    for actor, target, with_note in steps:
        source = Visit.objects.get(pk=visit.pk).state
        move = workflow.find(source, target)
        try:
            visit_transition(
                actor=users[actor], visit=visit, to_state=target, note="n" if with_note else ""
            )
        except (ValidationError, PermissionDenied):
            assert Visit.objects.get(pk=visit.pk).state == source
            continue
        assert move is not None
        assert not move.via_report
        assert actor in ALLOWED[move.who.__name__]
        assert with_note or not move.needs_note
        assert Visit.objects.get(pk=visit.pk).state == target
        made += 1
    assert VisitTransition.objects.filter(visit=visit).count() == made
