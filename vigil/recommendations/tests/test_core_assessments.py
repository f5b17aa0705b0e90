"""The NPM's assessments: accept or dispute a claim (reasons required), verify at a visit that
took place (linked), implementation not found, reopen; the verdict kept apart from the claim."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.recommendations.enums import ClaimedStatus, EventKind, State, Verdict
from vigil.recommendations.models import Assessment, AuthorityResponse
from vigil.recommendations.services.assessments import recommendation_assess
from vigil.visits.enums import VisitState

pytestmark = pytest.mark.django_db


@pytest.fixture
def claimed(make_recommendation, make_institution, users, ref):
    rec = make_recommendation(
        state=State.IMPLEMENTED_CLAIMED,
        claimed_status=ClaimedStatus.IMPLEMENTED,
        institution=make_institution(),
    )
    AuthorityResponse.objects.create(
        recommendation=rec,
        responding_agency=ref["kuis_71"],
        letter_number="12-3/45",
        letter_date=datetime.date(2026, 2, 1),
        measures="Ventilation repaired.",
        claimed_status=ClaimedStatus.IMPLEMENTED,
        on_time=True,
        submitted_by=users["liaison"],
    )
    return rec


@pytest.fixture
def follow_up(make_visit, claimed):
    return make_visit(state=VisitState.DEBRIEFED, institution=claimed.institution)


def assessed_rows() -> int:
    return AuditEvent.objects.filter(action=AuditAction.RECOMMENDATION_ASSESSED).count()


@pytest.mark.parametrize("actor", ["monitor", "coordinator", "regional"])
def test_accept_the_claim(users, claimed, actor):
    assessment = recommendation_assess(
        actor=users[actor], recommendation=claimed, verdict=Verdict.ACCEPT_CLAIM
    )
    claimed.refresh_from_db()
    assert claimed.assessed_verdict == Verdict.ACCEPT_CLAIM
    assert claimed.state == State.IMPLEMENTED_CLAIMED
    assert claimed.claimed_status == ClaimedStatus.IMPLEMENTED
    assert assessment.response == claimed.responses.get()
    event = claimed.events.get()
    assert (event.kind, event.from_state, event.to_state) == (EventKind.ASSESSMENT, "", "")
    assert event.data["verdict"] == "accept_claim"
    assert assessed_rows() == 1


def test_dispute_needs_reasons(users, claimed):
    with pytest.raises(ValidationError) as exc:
        recommendation_assess(
            actor=users["monitor"], recommendation=claimed, verdict=Verdict.DISPUTE, reasons=" "
        )
    assert exc.value.message_dict == {"reasons": ["Give the reasons."]}
    assert not Assessment.objects.exists()
    assert assessed_rows() == 0


def test_dispute_with_reasons_keeps_the_claim_apart(users, claimed):
    recommendation_assess(
        actor=users["monitor"],
        recommendation=claimed,
        verdict=Verdict.DISPUTE,
        reasons="The ventilation in block 2 still does not work.",
    )
    claimed.refresh_from_db()
    assert claimed.assessed_verdict == Verdict.DISPUTE
    assert claimed.claimed_status == ClaimedStatus.IMPLEMENTED
    assert claimed.state == State.IMPLEMENTED_CLAIMED
    assert claimed.assessments.get().reasons.startswith("The ventilation")


def test_nothing_to_accept_without_a_response(users, make_recommendation):
    rec = make_recommendation()
    with pytest.raises(ValidationError) as exc:
        recommendation_assess(actor=users["monitor"], recommendation=rec, verdict="accept_claim")
    assert exc.value.message_dict == {"verdict": ["There is no response to accept or dispute yet."]}


def test_verify_at_a_follow_up_visit(users, claimed, follow_up):
    recommendation_assess(
        actor=users["monitor"], recommendation=claimed, verdict=Verdict.VERIFIED, visit=follow_up
    )
    claimed.refresh_from_db()
    assert claimed.state == State.IMPLEMENTED_VERIFIED
    assert claimed.assessed_verdict == Verdict.VERIFIED
    assert claimed.assessments.get().visit == follow_up
    event = claimed.events.get()
    assert (event.kind, event.from_state, event.to_state) == (
        EventKind.ASSESSMENT,
        State.IMPLEMENTED_CLAIMED,
        State.IMPLEMENTED_VERIFIED,
    )
    assert event.data["visit_reference"] == follow_up.reference
    assert AuditEvent.objects.filter(action=AuditAction.RECOMMENDATION_TRANSITIONED).count() == 1


def test_verification_needs_a_visit(users, claimed):
    with pytest.raises(ValidationError) as exc:
        recommendation_assess(actor=users["monitor"], recommendation=claimed, verdict="verified")
    assert exc.value.message_dict == {"visit": ["Name the visit at which this was checked."]}


def test_verification_needs_a_visit_that_took_place(users, claimed, make_visit):
    planned = make_visit(state=VisitState.PLANNED, institution=claimed.institution)
    with pytest.raises(ValidationError) as exc:
        recommendation_assess(
            actor=users["coordinator"], recommendation=claimed, verdict="verified", visit=planned
        )
    assert exc.value.message_dict == {"visit": ["Choose a visit that has taken place."]}


def test_verification_needs_a_visit_to_the_institution(users, claimed, make_visit):
    elsewhere = make_visit(state=VisitState.DEBRIEFED)
    with pytest.raises(ValidationError) as exc:
        recommendation_assess(
            actor=users["coordinator"], recommendation=claimed, verdict="verified", visit=elsewhere
        )
    assert exc.value.message_dict == {
        "visit": ["Choose a visit to the recommendation's institution."]
    }


def test_a_monitor_links_only_visits_they_see(users, claimed, follow_up):
    outsider = users["monitor_outsider"]
    with pytest.raises(ValidationError) as exc:
        recommendation_assess(
            actor=outsider, recommendation=claimed, verdict="verified", visit=follow_up
        )
    assert exc.value.message_dict == {"visit": ["Choose a visit you can see."]}
    claimed.refresh_from_db()
    assert claimed.state == State.IMPLEMENTED_CLAIMED


def test_implementation_not_found_reopens(users, claimed, follow_up):
    recommendation_assess(
        actor=users["monitor"],
        recommendation=claimed,
        verdict=Verdict.NOT_VERIFIED,
        visit=follow_up,
        reasons="No new ventilation in any block.",
    )
    claimed.refresh_from_db()
    assert claimed.state == State.REOPENED
    assert claimed.claimed_status == ClaimedStatus.IMPLEMENTED


def test_reopen_with_a_new_deadline(users, make_recommendation):
    rec = make_recommendation(state=State.NOT_ACCEPTED, claimed_status="not_accepted")
    new = timezone.localdate() + datetime.timedelta(days=45)
    recommendation_assess(
        actor=users["coordinator"],
        recommendation=rec,
        verdict=Verdict.REOPEN,
        reasons="The ministry's new order makes it possible.",
        deadline=new,
    )
    rec.refresh_from_db()
    assert rec.state == State.REOPENED
    assert rec.deadline == new
    assert rec.events.get().data["deadline"] == new.isoformat()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"verdict": "reopen", "reasons": ""}, "reasons"),
        ({"verdict": "reopen", "reasons": "x", "deadline": datetime.date(2020, 1, 1)}, "deadline"),
        ({"verdict": "accept_claim", "deadline": datetime.date(2099, 1, 1)}, "deadline"),
        ({"verdict": "nonsense"}, "verdict"),
    ],
    ids=["reopen-no-reasons", "reopen-past-deadline", "deadline-not-reopening", "unknown"],
)
def test_refusals_name_the_field(users, make_recommendation, kwargs, field):
    rec = make_recommendation(state=State.NOT_ACCEPTED, claimed_status="not_accepted")
    with pytest.raises(ValidationError) as exc:
        recommendation_assess(actor=users["coordinator"], recommendation=rec, **kwargs)
    assert list(exc.value.message_dict) == [field]
    rec.refresh_from_db()
    assert rec.state == State.NOT_ACCEPTED
    assert rec.assessed_verdict == ""


def test_reopen_is_refused_while_awaiting_a_response(users, make_recommendation):
    rec = make_recommendation()
    with pytest.raises(ValidationError) as exc:
        recommendation_assess(
            actor=users["coordinator"], recommendation=rec, verdict="reopen", reasons="x"
        )
    assert "verdict" in exc.value.message_dict


@pytest.mark.parametrize("actor", ["admin", "auditor", "liaison", "other_liaison"])
def test_who_may_not_assess(users, claimed, actor):
    with pytest.raises(PermissionDenied):
        recommendation_assess(
            actor=users[actor], recommendation=claimed, verdict="dispute", reasons="x"
        )
    assert not Assessment.objects.exists()
    assert assessed_rows() == 0


def test_regional_representative_out_of_region(users, make_recommendation, ref):
    rec = make_recommendation(addressee=ref["moh"], claimed_status="implemented")
    with pytest.raises(PermissionDenied):
        recommendation_assess(
            actor=users["regional"], recommendation=rec, verdict="dispute", reasons="x"
        )


def test_drafts_are_not_assessed(users, make_recommendation):
    with pytest.raises(PermissionDenied):
        recommendation_assess(
            actor=users["coordinator"],
            recommendation=make_recommendation(state=State.DRAFT),
            verdict="verified",
        )


def test_stale_page_is_refused(users, claimed):
    with pytest.raises(ValidationError) as exc:
        recommendation_assess(
            actor=users["monitor"],
            recommendation=claimed,
            verdict="accept_claim",
            expected_state=State.AWAITING_RESPONSE,
        )
    assert "changed meanwhile" in exc.value.message_dict["verdict"][0]
