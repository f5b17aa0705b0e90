"""Eligibility rules (by order, dated): the check when a participant joins a team, the
recorded decision, the pool for planners, and the rules page."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from conftest import ALL_ACTORS
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.people.eligibility import (
    eligibility_by_institution,
    eligibility_rule_issue,
    eligible_participants,
    rule_in_force,
)
from vigil.people.enums import ConflictKind, Occupation
from vigil.people.models import (
    ConflictDeclaration,
    EligibilityDecision,
    EligibilityRule,
    Participant,
    TrainingRecord,
)
from vigil.visits.enums import VisitState
from vigil.visits.models import TeamMember
from vigil.visits.services.visits import visit_team_set

pytestmark = pytest.mark.django_db
RULE_2026 = {
    "order_number": "42-од",
    "order_date": datetime.date(2025, 12, 20),
    "title": "Selection of NPM participants",
    "valid_from": datetime.date(2026, 1, 1),
    "requires_accreditation": True,
    "min_training_hours": 0,
    "no_conflict_of_interest": True,
    "citizens_only": True,
    "excluded_occupations": [Occupation.JUDGE, Occupation.CIVIL_SERVANT],
    "exclude_dismissed_for_cause": True,
    "exclude_convicted": True,
}


@pytest.fixture
def rule(users: dict[str, Any]) -> EligibilityRule:
    return eligibility_rule_issue(actor=users["coordinator"], data=RULE_2026)


def test_a_new_order_closes_the_version_before(rule: EligibilityRule, users: Any) -> None:
    assert rule_in_force(datetime.date(2025, 12, 31)) is None
    assert rule_in_force(datetime.date(2026, 6, 1)) == rule
    newer = eligibility_rule_issue(
        actor=users["admin"],
        data={**RULE_2026, "order_number": "7", "valid_from": datetime.date(2027, 1, 1)},
    )
    rule.refresh_from_db()
    assert rule.valid_to == datetime.date(2027, 1, 1)
    assert rule_in_force(datetime.date(2026, 12, 31)) == rule
    assert rule_in_force(datetime.date(2027, 1, 1)) == newer
    assert AuditEvent.objects.filter(action=AuditAction.ELIGIBILITY_RULE_ISSUED).count() == 2
    with pytest.raises(ValidationError):  # not before the latest version
        eligibility_rule_issue(actor=users["admin"], data=RULE_2026)
    for actor in ("regional", "monitor", "auditor", "liaison"):
        with pytest.raises(PermissionDenied):
            eligibility_rule_issue(
                actor=users[actor], data={**RULE_2026, "valid_from": datetime.date(2030, 1, 1)}
            )


def test_joining_the_team_is_refused_with_the_rule_and_recorded(
    rule: EligibilityRule, users: Any, make_visit: Any, participants: dict[str, Participant]
) -> None:
    visit = make_visit(state=VisitState.DRAFT)
    outsider = participants["outsider"]
    outsider.unexpunged_conviction = True
    outsider.occupation = Occupation.JUDGE
    outsider.save()
    team = [participants["lead"], participants["monitor"], outsider]
    with pytest.raises(ValidationError) as exc:
        visit_team_set(actor=users["coordinator"], visit=visit, members=team, lead=team[0])
    messages = exc.value.message_dict["members"]
    assert len(messages) == 2
    assert all("order No. 42-од" in m for m in messages)
    assert any("unexpunged conviction" in m for m in messages)
    assert any("excluded post: Judge" in m for m in messages)
    assert not TeamMember.objects.filter(visit=visit, participant=outsider).exists()
    # The refusal is kept although the change was refused; members already on the team are
    # not decided again.
    [decision] = EligibilityDecision.objects.all()
    assert decision.participant == outsider
    assert decision.rule == rule
    assert decision.eligible is False
    assert decision.reasons == messages
    assert decision.subject_public_id == visit.public_id
    assert decision.on_date == visit.planned_start
    assert list(decision.institutions.all()) == list(visit.institutions.all())
    assert decision.decided_by == users["coordinator"]
    event = AuditEvent.objects.get(action=AuditAction.ELIGIBILITY_DECIDED)
    assert event.data["eligible"] is False
    assert not AuditEvent.objects.filter(action=AuditAction.VISIT_TEAM_CHANGED).exists()


def test_an_eligible_participant_joins_with_the_decision_recorded(
    rule: EligibilityRule, users: Any, make_visit: Any, participants: dict[str, Participant]
) -> None:
    visit = make_visit(state=VisitState.DRAFT)
    team = [participants["lead"], participants["monitor"], participants["outsider"]]
    visit_team_set(actor=users["coordinator"], visit=visit, members=team, lead=team[0])
    assert visit.team.filter(participant=participants["outsider"]).exists()
    [decision] = EligibilityDecision.objects.all()
    assert (decision.participant, decision.eligible, decision.reasons) == (
        participants["outsider"],
        True,
        [],
    )


def test_without_a_rule_in_force_accreditation_and_conflicts_are_checked(
    users: Any, make_visit: Any, participants: dict[str, Participant]
) -> None:
    visit = make_visit(state=VisitState.DRAFT)
    outsider = participants["outsider"]
    outsider.accredited_to = datetime.date(2026, 6, 1)
    outsider.save()
    team = [participants["lead"], participants["monitor"], outsider]
    with pytest.raises(ValidationError) as exc:
        visit_team_set(actor=users["coordinator"], visit=visit, members=team, lead=team[0])
    assert "is not accredited" in " ".join(exc.value.message_dict["members"])
    decision = EligibilityDecision.objects.get()
    assert decision.rule is None
    assert decision.eligible is False


def test_team_page_shows_the_refusal_naming_the_rule(
    rule: EligibilityRule,
    client_for: Callable[[str], Client],
    make_visit: Any,
    participants: dict[str, Participant],
) -> None:
    visit = make_visit(state=VisitState.DRAFT)
    outsider = participants["outsider"]
    outsider.citizen = False
    outsider.save()
    members = [participants["lead"], participants["monitor"], outsider]
    response = client_for("coordinator").post(
        reverse("visits:visit_team", args=[visit.public_id]),
        {"members": [str(p.public_id) for p in members], "lead": str(members[0].public_id)},
    )
    assert response.status_code == 200
    assert "order No. 42-од" in response.content.decode()
    assert "is not a citizen" in response.content.decode()
    assert EligibilityDecision.objects.filter(participant=outsider, eligible=False).exists()


def test_eligible_participants_for_the_planner(
    rule: EligibilityRule,
    participants: dict[str, Participant],
    make_institution: Any,
) -> None:
    day = datetime.date(2026, 5, 1)
    place = make_institution()
    participants["monitor"].occupation = Occupation.CIVIL_SERVANT
    participants["monitor"].save()
    ConflictDeclaration.objects.create(
        participant=participants["doctor"],
        kind=ConflictKind.WORKED_AT_INSTITUTION,
        institution=place,
        declared_on=datetime.date(2020, 1, 1),
    )
    everyone = {p.pk for p in eligible_participants(day)}
    assert participants["monitor"].pk not in everyone
    assert participants["doctor"].pk in everyone
    assert participants["doctor"].pk not in {p.pk for p in eligible_participants(day, place)}
    by_place = eligibility_by_institution(day, [place])
    assert by_place[place.pk] == {participants["lead"].pk, participants["outsider"].pk}


def test_training_required_within_years(users: Any, participants: dict[str, Participant]) -> None:
    eligibility_rule_issue(
        actor=users["coordinator"],
        data={**RULE_2026, "min_training_hours": 16, "training_within_years": 2},
    )
    lead = participants["lead"]
    TrainingRecord.objects.create(
        participant=lead, title="OPCAT", completed_on=datetime.date(2025, 3, 1), hours=16
    )
    TrainingRecord.objects.create(
        participant=participants["doctor"],
        title="Istanbul Protocol",
        completed_on=datetime.date(2020, 3, 1),
        hours=40,
    )
    eligible = {p.pk for p in eligible_participants(datetime.date(2026, 5, 1))}
    assert eligible == {lead.pk}


@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_rules_page_by_role(client_for: Callable[[str], Client], actor: str) -> None:
    url = reverse("people:eligibility_rules")
    response = client_for(actor).get(url)
    if actor == "anonymous":
        assert response.status_code == 302
        return
    if actor in {"admin", "coordinator", "auditor", "regional"}:
        assert response.status_code == 200
        assert b'data-testid="eligibility-rules"' in response.content
    else:
        assert response.status_code == 403
    data = {
        "order_number": "1",
        "order_date": "2026-01-10",
        "title": "Order",
        "valid_from": "2026-02-01",
        "requires_accreditation": "on",
        "min_training_hours": "0",
        "excluded_occupations": ["judge"],
    }
    response = client_for(actor).post(url, data)
    if actor in {"admin", "coordinator"}:
        assert response.status_code == 302
        rule = EligibilityRule.objects.get()
        assert rule.excluded_occupations == ["judge"]
        assert rule.citizens_only is False  # an unticked box
    else:
        assert response.status_code == 403
        assert not EligibilityRule.objects.exists()
