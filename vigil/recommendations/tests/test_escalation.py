"""Escalation: the chain of agencies, who may escalate what, the individualised recommendation
linked to its originals, the originals moved to ESCALATED, history, audit and notification."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from vigil.accounts.models import User
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.recommendations.enums import EventKind, Level, Source, State, Verdict
from vigil.recommendations.models import Recommendation, RecommendationEvent
from vigil.recommendations.services.escalation import (
    Reason,
    escalation_candidates,
    escalation_reasons,
    escalation_targets,
    next_level_up,
    recommendations_escalate,
)
from vigil.reference.enums import AgencyLevel
from vigil.reference.models import Agency

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PAST = TODAY - datetime.timedelta(days=60)
FUTURE = TODAY + datetime.timedelta(days=60)


@pytest.fixture
def gov(ref: dict[str, Any]) -> Agency:
    gov = Agency.objects.create(
        code="GOV",
        level=AgencyLevel.GOVERNMENT,
        name_ru="Правительство",
        name_kk="Үкімет",
        name_en="Government",
    )
    return gov


@pytest.fixture
def overdue(make_recommendation: Callable[..., Recommendation]) -> Callable[..., Recommendation]:
    def make(**fields: Any) -> Recommendation:
        data: dict[str, Any] = {
            "issued_on": PAST - datetime.timedelta(days=30),
            "deadline": PAST,
            "state": State.AWAITING_RESPONSE,
        }
        data.update(fields)
        return make_recommendation(**data)

    return make


def escalate(actor: User, recs: list[Recommendation], **kwargs: Any) -> Recommendation:
    data: dict[str, Any] = {
        "text": "Ensure the department implements the recommendations below.",
        "level": Level.SYSTEMIC,
        "language": "en",
    }
    data.update(kwargs)
    return recommendations_escalate(actor=actor, recommendations=recs, **data)


# ---------------------------------------------------------------- the chain


def test_targets_follow_the_parents_then_the_top(ref: dict[str, Any], gov: Agency) -> None:
    assert [a.code for a in escalation_targets(ref["kuis_71"])] == ["MVD-KUIS", "MVD", "GOV"]
    assert next_level_up(ref["kuis_71"]) == ref["kuis"]
    assert next_level_up(ref["moh"]) == gov
    assert escalation_targets(gov) == []


def test_top_agencies_are_configurable(ref: dict[str, Any], gov: Agency, settings: Any) -> None:
    parliament = Agency.objects.create(
        code="PARL", level=AgencyLevel.OTHER, name_en="Parliament", name_ru="Парламент"
    )
    settings.VIGIL_ESCALATION_TOP_AGENCY = "PARL,GOV"
    assert [a.code for a in escalation_targets(ref["mvd"])] == ["PARL", "GOV"]
    assert [a.code for a in escalation_targets(gov)] == ["PARL"]
    assert escalation_targets(parliament) == [gov]
    settings.VIGIL_ESCALATION_TOP_AGENCY = ""
    assert escalation_targets(ref["mvd"]) == []


# ---------------------------------------------------------------- why


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        pytest.param({"deadline": PAST}, [Reason.OVERDUE], id="overdue"),
        pytest.param({"deadline": FUTURE}, [], id="not-yet-due"),
        pytest.param(
            {"state": State.NO_RESPONSE, "deadline": PAST},
            [Reason.NO_RESPONSE, Reason.OVERDUE],
            id="no-response",
        ),
        pytest.param(
            {"state": State.NOT_ACCEPTED, "deadline": FUTURE},
            [Reason.NOT_ACCEPTED],
            id="not-accepted",
        ),
        pytest.param(
            {"state": State.REOPENED, "deadline": FUTURE},
            [Reason.REPEATEDLY_UNIMPLEMENTED],
            id="reopened",
        ),
        pytest.param(
            {
                "state": State.IMPLEMENTED_CLAIMED,
                "deadline": FUTURE,
                "assessed_verdict": Verdict.DISPUTE,
            },
            [Reason.REPEATEDLY_UNIMPLEMENTED],
            id="claim-disputed",
        ),
        pytest.param(
            {"state": State.IMPLEMENTED_CLAIMED, "deadline": PAST},
            [],
            id="implemented-claimed",
        ),
        pytest.param({"state": State.DRAFT, "deadline": PAST}, [], id="draft"),
        pytest.param({"state": State.ESCALATED, "deadline": PAST}, [], id="escalated"),
    ],
)
def test_reasons(
    make_recommendation: Callable[..., Recommendation],
    fields: dict[str, Any],
    expected: list[str],
) -> None:
    rec = make_recommendation(**fields)
    assert escalation_reasons(rec) == expected
    assert (rec in escalation_candidates(None)) is False  # nobody: sees nothing
    assert escalation_candidates_contains(rec) is bool(expected)


def escalation_candidates_contains(rec: Recommendation) -> bool:
    coordinator = User.objects.get(email="coordinator@test.vigil")
    return escalation_candidates(coordinator).filter(pk=rec.pk).exists()


def test_a_repeat_still_in_implementation_qualifies(
    make_recommendation: Callable[..., Recommendation],
) -> None:
    first = make_recommendation(state=State.NOT_ACCEPTED, deadline=FUTURE)
    again = make_recommendation(state=State.IN_IMPLEMENTATION, deadline=FUTURE, repeat_of=first)
    assert escalation_reasons(again) == [Reason.REPEATEDLY_UNIMPLEMENTED]
    assert escalation_candidates_contains(again)


# ---------------------------------------------------------------- escalating


def test_escalate_two_overdue_to_the_committee(
    ref: dict[str, Any],
    users: dict[str, User],
    overdue: Callable[..., Recommendation],
    django_capture_on_commit_callbacks: Any,
) -> None:
    first = overdue(theme="T5")
    second = overdue(theme="T5", state=State.NOT_ACCEPTED, deadline=FUTURE)
    with django_capture_on_commit_callbacks(execute=True):
        escalation = escalate(users["coordinator"], [first, second], language="kk")

    escalation.refresh_from_db()
    assert escalation.source == Source.ESCALATION
    assert escalation.addressee == ref["kuis"]
    assert escalation.level == Level.SYSTEMIC
    assert escalation.theme == "T5"
    assert escalation.issued_on == TODAY
    assert escalation.deadline is not None
    assert escalation.deadline > TODAY
    # the committee has a liaison: sent to the platform, awaiting its answer
    assert escalation.state == State.AWAITING_RESPONSE
    assert set(escalation.escalates.all()) == {first, second}
    for original in (first, second):
        original.refresh_from_db()
        assert original.state == State.ESCALATED
        assert original.escalations.get() == escalation
        event = original.events.get(kind=EventKind.ESCALATION)
        assert event.to_state == State.ESCALATED
        assert event.data["escalation_reference"] == escalation.reference
    event = escalation.events.get(kind=EventKind.ESCALATION)
    assert event.data["language"] == "kk"
    assert event.data["original_references"] == [first.reference, second.reference]
    audit = AuditEvent.objects.get(action=AuditAction.RECOMMENDATION_ESCALATED)
    assert audit.target_id == str(escalation.public_id)
    assert audit.data["originals"] == [first.reference, second.reference]
    assert audit.data["to_agency"] == "MVD-KUIS"
    # the new addressee's liaison is told
    assert [m.to for m in mail.outbox] == [[users["liaison"].email]]
    assert escalation.reference in mail.outbox[0].body


def test_escalate_to_a_chosen_higher_level(
    ref: dict[str, Any], users: dict[str, User], overdue: Callable[..., Recommendation], gov: Agency
) -> None:
    rec = overdue()
    escalation = escalate(users["coordinator"], [rec], target=gov)
    assert escalation.addressee == gov
    rec.refresh_from_db()
    assert rec.state == State.ESCALATED


def _unchanged(recs: list[Recommendation], states: list[str]) -> None:
    assert [Recommendation.objects.get(pk=r.pk).state for r in recs] == states
    assert not Recommendation.objects.filter(source=Source.ESCALATION).exists()
    assert not AuditEvent.objects.filter(action__startswith="recommendation.").exists()
    assert not RecommendationEvent.objects.exists()


def test_not_due_is_refused_and_nothing_changes(
    users: dict[str, User], make_recommendation: Callable[..., Recommendation]
) -> None:
    rec = make_recommendation(deadline=FUTURE)
    with pytest.raises(ValidationError) as caught:
        escalate(users["coordinator"], [rec])
    assert rec.reference in str(caught.value.message_dict["recommendations"])
    _unchanged([rec], [State.AWAITING_RESPONSE])


def test_one_bad_among_several_refuses_all(
    users: dict[str, User],
    overdue: Callable[..., Recommendation],
    make_recommendation: Callable[..., Recommendation],
) -> None:
    good = overdue()
    bad = make_recommendation(deadline=FUTURE)
    with pytest.raises(ValidationError):
        escalate(users["coordinator"], [good, bad])
    _unchanged([good, bad], [State.AWAITING_RESPONSE, State.AWAITING_RESPONSE])


def test_different_addressees_are_refused(
    ref: dict[str, Any], users: dict[str, User], overdue: Callable[..., Recommendation]
) -> None:
    one = overdue()
    other = overdue(addressee=ref["police"])
    with pytest.raises(ValidationError) as caught:
        escalate(users["coordinator"], [one, other])
    assert "same addressee" in str(caught.value.message_dict["recommendations"])
    _unchanged([one, other], [State.AWAITING_RESPONSE, State.AWAITING_RESPONSE])


def test_a_lower_or_unrelated_target_is_refused(
    ref: dict[str, Any], users: dict[str, User], overdue: Callable[..., Recommendation]
) -> None:
    rec = overdue(addressee=ref["kuis"])
    for target in (ref["kuis_71"], ref["moh"], ref["kuis"]):
        with pytest.raises(ValidationError) as caught:
            escalate(users["coordinator"], [rec], target=target)
        assert "target" in caught.value.message_dict
    _unchanged([rec], [State.AWAITING_RESPONSE])


def test_no_higher_level_names_the_setting(
    ref: dict[str, Any], users: dict[str, User], overdue: Callable[..., Recommendation]
) -> None:
    rec = overdue(addressee=ref["moh"])
    with pytest.raises(ValidationError) as caught:
        escalate(users["coordinator"], [rec])
    assert "VIGIL_ESCALATION_TOP_AGENCY" in str(caught.value.message_dict["target"])
    _unchanged([rec], [State.AWAITING_RESPONSE])


@pytest.mark.parametrize(
    ("field", "value"),
    [
        pytest.param("text", "  ", id="no-text"),
        pytest.param("level", "cosmic", id="bad-level"),
        pytest.param("language", "de", id="bad-language"),
    ],
)
def test_the_form_fields_are_checked(
    users: dict[str, User], overdue: Callable[..., Recommendation], field: str, value: str
) -> None:
    rec = overdue()
    with pytest.raises(ValidationError) as caught:
        escalate(users["coordinator"], [rec], **{field: value})
    assert field in caught.value.message_dict
    _unchanged([rec], [State.AWAITING_RESPONSE])


def test_nothing_chosen_is_refused(users: dict[str, User]) -> None:
    with pytest.raises(ValidationError):
        escalate(users["coordinator"], [])


@pytest.mark.parametrize(
    "actor", ["admin", "regional", "monitor", "liaison", "auditor", "other_liaison"]
)
def test_only_coordinators_escalate(
    users: dict[str, User], overdue: Callable[..., Recommendation], actor: str
) -> None:
    rec = overdue()
    with pytest.raises(PermissionDenied):
        escalate(users[actor], [rec])
    _unchanged([rec], [State.AWAITING_RESPONSE])


def test_an_escalation_can_itself_be_escalated(
    ref: dict[str, Any], users: dict[str, User], overdue: Callable[..., Recommendation]
) -> None:
    first = escalate(users["coordinator"], [overdue()])
    Recommendation.objects.filter(pk=first.pk).update(
        state=State.NO_RESPONSE, issued_on=PAST - datetime.timedelta(days=30), deadline=PAST
    )
    first.refresh_from_db()
    second = escalate(users["coordinator"], [first])
    assert second.addressee == ref["mvd"]
    assert list(second.escalates.all()) == [first]
