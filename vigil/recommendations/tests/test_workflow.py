"""The recommendation life cycle: the transition table, who may make each move, what must be
filled, refusals of moves not in the table, and the history each move leaves."""

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.recommendations import workflow
from vigil.recommendations.enums import ClaimedStatus, EventKind, State, Verdict
from vigil.recommendations.models import Recommendation, RecommendationEvent
from vigil.recommendations.services.lifecycle import recommendation_transition
from vigil.recommendations.workflow import Via

pytestmark = pytest.mark.django_db

ACTORS = ["admin", "coordinator", "regional", "monitor", "liaison", "auditor", "other_liaison"]
NPM = {"admin", "coordinator", "regional"}  # regional: the recommendation is in Astana
MANUAL = [t for t in workflow.TRANSITIONS if t.via == Via.MANUAL]


def _id(t: workflow.Transition) -> str:
    return f"{t.source}->{t.target}"


def audit_count() -> int:
    return AuditEvent.objects.filter(action=AuditAction.RECOMMENDATION_TRANSITIONED).count()


def future(days: int = 40) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def _kwargs(t: workflow.Transition) -> dict[str, Any]:
    kwargs: dict[str, Any] = {}
    if t.needs_note:
        kwargs["note"] = "The institution was closed in March."
    if t.needs_deadline:
        kwargs["deadline"] = future()
    return kwargs


# ---------------------------------------------------------------- the table itself


def test_table_covers_the_life_cycle_of_domain_md():
    pairs = {(t.source, t.target) for t in workflow.TRANSITIONS}
    for pair in [
        (State.DRAFT, State.ISSUED),
        (State.ISSUED, State.AWAITING_RESPONSE),
        (State.AWAITING_RESPONSE, State.ACCEPTED),
        (State.AWAITING_RESPONSE, State.NOT_ACCEPTED),
        (State.AWAITING_RESPONSE, State.NO_RESPONSE),
        (State.ACCEPTED, State.IN_IMPLEMENTATION),
        (State.IN_IMPLEMENTATION, State.IMPLEMENTED_CLAIMED),
        (State.IMPLEMENTED_CLAIMED, State.IMPLEMENTED_VERIFIED),
        (State.IMPLEMENTED_CLAIMED, State.REOPENED),
        (State.IN_IMPLEMENTATION, State.PARTIALLY_IMPLEMENTED),
        (State.NO_RESPONSE, State.ESCALATED),
        (State.NOT_ACCEPTED, State.ESCALATED),
        (State.AWAITING_RESPONSE, State.OBSOLETE),
    ]:
        assert pair in pairs, pair
    # nothing ever goes back to a draft, and a draft only leaves by being issued
    assert all(t.target != State.DRAFT for t in workflow.TRANSITIONS)
    assert {t.target for t in workflow.TRANSITIONS if t.source == State.DRAFT} == {State.ISSUED}


def test_every_state_is_reachable_from_a_draft():
    reached = {State.DRAFT.value}
    frontier = [State.DRAFT.value]
    while frontier:
        source = frontier.pop()
        for t in workflow.TRANSITIONS:
            if t.source == source and t.via != Via.IMPORT and t.target not in reached:
                reached.add(t.target)
                frontier.append(t.target)
    assert reached == set(State.values)


def test_no_duplicate_moves_per_channel():
    keys = [(t.source, t.target, t.via) for t in workflow.TRANSITIONS]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize(
    ("state", "claim", "expected"),
    [
        (State.AWAITING_RESPONSE, ClaimedStatus.ACCEPTED, State.ACCEPTED),
        (State.AWAITING_RESPONSE, ClaimedStatus.IMPLEMENTED, State.IMPLEMENTED_CLAIMED),
        (State.NO_RESPONSE, ClaimedStatus.NOT_ACCEPTED, State.NOT_ACCEPTED),
        (State.IN_IMPLEMENTATION, ClaimedStatus.IN_IMPLEMENTATION, None),
        (State.IMPLEMENTED_VERIFIED, ClaimedStatus.IMPLEMENTED, None),
        (State.DRAFT, ClaimedStatus.ACCEPTED, None),
    ],
    ids=lambda v: str(v),
)
def test_state_after_response(state, claim, expected):
    assert workflow.state_after_response(state, claim) == expected


@pytest.mark.parametrize(
    ("state", "verdict", "expected"),
    [
        (State.IMPLEMENTED_CLAIMED, Verdict.VERIFIED, State.IMPLEMENTED_VERIFIED),
        (State.IMPLEMENTED_CLAIMED, Verdict.NOT_VERIFIED, State.REOPENED),
        (State.IN_IMPLEMENTATION, Verdict.NOT_VERIFIED, None),
        (State.IMPLEMENTED_CLAIMED, Verdict.DISPUTE, None),
        (State.IMPLEMENTED_CLAIMED, Verdict.ACCEPT_CLAIM, None),
        (State.NOT_ACCEPTED, Verdict.REOPEN, State.REOPENED),
        (State.AWAITING_RESPONSE, Verdict.REOPEN, None),
    ],
    ids=lambda v: str(v),
)
def test_state_after_assessment(state, verdict, expected):
    assert workflow.state_after_assessment(state, verdict) == expected


# ---------------------------------------------------------------- the NPM's buttons


@pytest.mark.parametrize("move", MANUAL, ids=_id)
@pytest.mark.parametrize("actor", ACTORS)
def test_manual_move_by_role(users, make_recommendation, make_institution, move, actor):
    rec = make_recommendation(state=move.source, institution=make_institution())
    before = audit_count()
    if actor in NPM:
        result = recommendation_transition(
            actor=users[actor], recommendation=rec, to_state=move.target, **_kwargs(move)
        )
        assert result.state == move.target
        rec.refresh_from_db()
        assert rec.state == move.target
        assert rec.state_changed_on == timezone.localdate()
        event = rec.events.get()
        assert (event.kind, event.from_state, event.to_state) == (
            EventKind.STATE_CHANGED,
            move.source,
            move.target,
        )
        assert event.actor == users[actor]
        assert event.data["via"] == "manual"
        assert audit_count() == before + 1
    else:
        with pytest.raises(PermissionDenied):
            recommendation_transition(
                actor=users[actor], recommendation=rec, to_state=move.target, **_kwargs(move)
            )
        rec.refresh_from_db()
        assert rec.state == move.source
        assert not rec.events.exists()
        assert audit_count() == before


def test_regional_representative_out_of_region_is_refused(users, make_recommendation, ref):
    rec = make_recommendation(addressee=ref["moh"], state=State.ISSUED)
    with pytest.raises(PermissionDenied):
        recommendation_transition(
            actor=users["regional"], recommendation=rec, to_state=State.AWAITING_RESPONSE
        )
    rec.refresh_from_db()
    assert rec.state == State.ISSUED


@pytest.mark.parametrize("source", State.values)
def test_moves_not_in_the_table_are_refused(users, make_recommendation, source):
    listed = {t.target for t in MANUAL if t.source == source}
    rec = make_recommendation(state=source)
    for target in State.values:
        if target in listed:
            continue
        with pytest.raises(ValidationError) as exc:
            recommendation_transition(
                actor=users["coordinator"],
                recommendation=rec,
                to_state=target,
                note="reason",
                deadline=future(),
            )
        assert "to_state" in exc.value.message_dict
    rec.refresh_from_db()
    assert rec.state == source
    assert not rec.events.exists()
    assert audit_count() == 0


def test_unknown_target_is_refused(users, make_recommendation):
    rec = make_recommendation()
    with pytest.raises(ValidationError) as exc:
        recommendation_transition(actor=users["coordinator"], recommendation=rec, to_state="gone")
    assert "to_state" in exc.value.message_dict


def test_refusal_names_the_current_state(users, make_recommendation):
    rec = make_recommendation(state=State.IMPLEMENTED_VERIFIED)
    with pytest.raises(ValidationError) as exc:
        recommendation_transition(
            actor=users["coordinator"], recommendation=rec, to_state=State.AWAITING_RESPONSE
        )
    assert "Implemented (verified)" in exc.value.message_dict["to_state"][0]


def test_closing_as_obsolete_needs_a_reason(users, make_recommendation):
    rec = make_recommendation()
    with pytest.raises(ValidationError) as exc:
        recommendation_transition(
            actor=users["coordinator"], recommendation=rec, to_state=State.OBSOLETE, note="  "
        )
    assert exc.value.message_dict == {"note": ["Give the reason for this step."]}
    rec.refresh_from_db()
    assert rec.state == State.AWAITING_RESPONSE


@pytest.mark.parametrize(
    ("deadline", "message"),
    [
        (None, "Give the new deadline."),
        (datetime.date(2020, 1, 1), "The new deadline must be in the future."),
    ],
    ids=["missing", "past"],
)
def test_a_new_deadline_must_be_given_and_in_the_future(
    users, make_recommendation, deadline, message
):
    rec = make_recommendation(state=State.NO_RESPONSE)
    with pytest.raises(ValidationError) as exc:
        recommendation_transition(
            actor=users["coordinator"],
            recommendation=rec,
            to_state=State.AWAITING_RESPONSE,
            note="The ministry asked for more time.",
            deadline=deadline,
        )
    assert exc.value.message_dict == {"deadline": [message]}


def test_a_new_deadline_is_kept_with_the_move(users, make_recommendation):
    rec = make_recommendation(state=State.NO_RESPONSE)
    new = future(60)
    recommendation_transition(
        actor=users["coordinator"],
        recommendation=rec,
        to_state=State.AWAITING_RESPONSE,
        note="The ministry asked for more time.",
        deadline=new,
    )
    rec.refresh_from_db()
    assert rec.deadline == new
    assert rec.events.get().data["deadline"] == new.isoformat()


def test_expected_state_refuses_a_stale_move(users, make_recommendation):
    rec = make_recommendation(state=State.ISSUED)
    Recommendation.objects.filter(pk=rec.pk).update(state=State.AWAITING_RESPONSE)
    with pytest.raises(ValidationError) as exc:
        recommendation_transition(
            actor=users["coordinator"],
            recommendation=rec,
            to_state=State.OBSOLETE,
            note="Closed",
            expected_state=State.ISSUED,
        )
    assert "changed meanwhile" in exc.value.message_dict["to_state"][0]
    assert not RecommendationEvent.objects.exists()


def test_the_move_is_checked_against_the_stored_state_not_the_callers_copy(
    users, make_recommendation
):
    """A stale object in memory cannot make a move that the stored state does not allow."""
    rec = make_recommendation(state=State.ISSUED)
    stale = Recommendation.objects.get(pk=rec.pk)
    recommendation_transition(
        actor=users["coordinator"], recommendation=rec, to_state=State.AWAITING_RESPONSE
    )
    with pytest.raises(ValidationError):
        recommendation_transition(
            actor=users["coordinator"], recommendation=stale, to_state=State.AWAITING_RESPONSE
        )
    assert RecommendationEvent.objects.count() == 1


# ---------------------------------------------------------------- other channels


@pytest.mark.parametrize(
    ("source", "target"),
    [(t.source, t.target) for t in workflow.TRANSITIONS if t.via == Via.SYSTEM],
    ids=lambda v: str(v),
)
def test_system_moves_run_without_an_actor(make_recommendation, users, source, target):
    rec = make_recommendation(state=source)
    recommendation_transition(actor=None, recommendation=rec, to_state=target, via=Via.SYSTEM)
    rec.refresh_from_db()
    assert rec.state == target
    event = rec.events.get()
    assert event.actor is None
    assert event.data["via"] == "system"
    other = make_recommendation(state=source)
    with pytest.raises(PermissionDenied):
        recommendation_transition(
            actor=users["monitor"], recommendation=other, to_state=target, via=Via.SYSTEM
        )


def test_system_moves_are_not_buttons(users, make_recommendation):
    rec = make_recommendation(state=State.AWAITING_RESPONSE)
    with pytest.raises(ValidationError):
        recommendation_transition(
            actor=users["coordinator"], recommendation=rec, to_state=State.NO_RESPONSE
        )


@pytest.mark.parametrize("claim", ClaimedStatus.values)
def test_response_moves_follow_the_claim(users, make_recommendation, claim):
    rec = make_recommendation()
    target = workflow.STATE_OF_CLAIM[claim]
    recommendation_transition(
        actor=users["liaison"], recommendation=rec, to_state=target, via=Via.RESPONSE
    )
    rec.refresh_from_db()
    assert rec.state == target


@pytest.mark.parametrize("actor", ["other_liaison", "monitor", "auditor"])
def test_response_moves_refused_to_others(users, make_recommendation, actor):
    rec = make_recommendation()
    with pytest.raises(PermissionDenied):
        recommendation_transition(
            actor=users[actor], recommendation=rec, to_state=State.ACCEPTED, via=Via.RESPONSE
        )


def test_liaison_cannot_use_the_npms_buttons(users, make_recommendation):
    rec = make_recommendation(state=State.ISSUED)
    with pytest.raises(PermissionDenied):
        recommendation_transition(
            actor=users["liaison"], recommendation=rec, to_state=State.AWAITING_RESPONSE
        )


@pytest.mark.parametrize(("actor", "allowed"), [("coordinator", True), ("regional", False)])
def test_escalation_moves_by_coordinators_only(users, make_recommendation, actor, allowed):
    rec = make_recommendation(state=State.NO_RESPONSE)
    kwargs: dict[str, Any] = {
        "to_state": State.ESCALATED,
        "note": "No answer.",
        "via": Via.ESCALATION,
    }
    if allowed:
        recommendation_transition(actor=users[actor], recommendation=rec, **kwargs)
        rec.refresh_from_db()
        assert rec.state == State.ESCALATED
    else:
        with pytest.raises(PermissionDenied):
            recommendation_transition(actor=users[actor], recommendation=rec, **kwargs)


def test_import_may_set_any_issued_state_but_not_a_draft(users, make_recommendation):
    rec = make_recommendation(state=State.AWAITING_RESPONSE)
    recommendation_transition(
        actor=None,
        recommendation=rec,
        to_state=State.IMPLEMENTED_CLAIMED,
        via=Via.IMPORT,
        event_kind=EventKind.IMPORTED,
    )
    rec.refresh_from_db()
    assert rec.state == State.IMPLEMENTED_CLAIMED
    assert rec.events.get().kind == EventKind.IMPORTED
    with pytest.raises(ValidationError):
        recommendation_transition(
            actor=None, recommendation=rec, to_state=State.DRAFT, via=Via.IMPORT
        )
    draft = make_recommendation(state=State.DRAFT)
    with pytest.raises(ValidationError):
        recommendation_transition(
            actor=None, recommendation=draft, to_state=State.ACCEPTED, via=Via.IMPORT
        )
    with pytest.raises(PermissionDenied):
        recommendation_transition(
            actor=users["monitor"], recommendation=rec, to_state=State.ACCEPTED, via=Via.IMPORT
        )


def test_available_moves_are_the_buttons(users, make_recommendation):
    rec = make_recommendation(state=State.ISSUED)
    targets = {t.target for t in workflow.available(users["coordinator"], rec)}
    assert targets == {State.AWAITING_RESPONSE, State.OBSOLETE}
    assert workflow.available(users["monitor"], rec) == []
    assert workflow.available(users["liaison"], rec) == []
    assert workflow.available(None, rec) == []


@pytest.mark.parametrize(
    ("state", "has_claim", "expected"),
    [
        (State.DRAFT, False, []),
        (State.AWAITING_RESPONSE, False, [Verdict.VERIFIED, Verdict.NOT_VERIFIED]),
        (
            State.IMPLEMENTED_CLAIMED,
            True,
            [
                Verdict.ACCEPT_CLAIM,
                Verdict.DISPUTE,
                Verdict.VERIFIED,
                Verdict.NOT_VERIFIED,
                Verdict.REOPEN,
            ],
        ),
        (State.OBSOLETE, False, [Verdict.REOPEN]),
    ],
    ids=["draft", "awaiting", "claimed", "obsolete"],
)
def test_verdicts_allowed(state, has_claim, expected):
    assert workflow.verdicts_allowed(state, has_claim=has_claim) == expected
