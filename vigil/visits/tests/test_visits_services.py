"""Visit services: planning, references, the team, refusals with their reasons."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.people.enums import ConflictKind
from vigil.people.models import ConflictDeclaration
from vigil.registry.models import Institution
from vigil.visits.enums import (
    AccessIncidentKind,
    TriggerKind,
    VisitState,
    VisitType,
)
from vigil.visits.models import AccessIncident, AnnualPlan, TeamMember, Visit
from vigil.visits.services import visits as visits_service
from vigil.visits.services.visits import (
    access_incident_record,
    plan_update,
    visit_create,
    visit_team_set,
    visit_transition,
    visit_update,
)

START = datetime.date(2026, 12, 1)


def _data(institutions, **extra):
    return {
        "type": VisitType.PLANNED,
        "institutions": institutions,
        "planned_start": START,
        "title": "Colony check",
        **extra,
    }


def _team(participants):
    return [participants["lead"], participants["monitor"], participants["doctor"]]


def test_create_gives_random_references_per_year_and_creates_the_plan(users, make_institution):
    colony = make_institution()
    first = visit_create(actor=users["coordinator"], data=_data([colony]))
    second = visit_create(actor=users["coordinator"], data=_data([colony]))
    next_year = visit_create(
        actor=users["coordinator"], data=_data([colony], planned_start=datetime.date(2027, 2, 1))
    )
    references = (first.reference, second.reference, next_year.reference)
    assert [r[:5] for r in references] == ["2026-", "2026-", "2027-"]
    assert all(re.fullmatch(r"\d{4}-[0-9A-HJKMNP-TV-Z]{6}", r) for r in references)
    assert len(set(references)) == 3
    assert first.state == VisitState.DRAFT
    assert first.plan.year == 2026
    assert next_year.plan.year == 2027
    assert first.region == colony.region
    assert AuditEvent.objects.filter(action=AuditAction.PLAN_CREATED).count() == 2
    event = AuditEvent.objects.get(action=AuditAction.VISIT_CREATED, target_id=str(first.public_id))
    assert event.data["fields"]["institutions"] == [str(colony.public_id)]


def test_region_is_the_first_institutions(users, make_institution, ref):
    almaty = make_institution(region=ref["almaty"])
    astana = make_institution()
    visit = visit_create(actor=users["coordinator"], data=_data([almaty, astana]))
    assert visit.region == ref["almaty"]
    assert set(visit.institutions.all()) == {almaty, astana}


def test_regional_plans_only_in_its_regions(users, make_institution, ref):
    astana = make_institution()
    almaty = make_institution(region=ref["almaty"])
    visit_create(actor=users["regional"], data=_data([astana]))
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        visit_create(actor=users["regional"], data=_data([astana, almaty]))
    assert AuditEvent.objects.count() == before
    assert Visit.objects.count() == 1


@pytest.mark.parametrize("actor", ["monitor", "liaison", "auditor"])
def test_non_planners_cannot_create(users, make_institution, actor):
    with pytest.raises(PermissionDenied):
        visit_create(actor=users[actor], data=_data([make_institution()]))
    assert not Visit.objects.exists()
    assert not AnnualPlan.objects.exists()


def test_create_needs_an_institution_and_refuses_closed_ones(users, make_institution):
    with pytest.raises(ValidationError) as exc:
        visit_create(actor=users["coordinator"], data=_data([]))
    assert "institutions" in exc.value.message_dict
    closed = make_institution(status="closed")
    with pytest.raises(ValidationError, match="is closed"):
        visit_create(actor=users["coordinator"], data=_data([closed]))


def test_update_only_before_start_and_moves_the_plan(users, make_visit, make_institution):
    visit = make_visit(state=VisitState.PLANNED)
    changes = visit_update(
        actor=users["coordinator"],
        visit=visit,
        data={"planned_start": datetime.date(2027, 1, 20), "title": "Moved"},
    )
    visit.refresh_from_db()
    assert visit.plan.year == 2027
    assert changes["title"] == ["Visit 1", "Moved"]
    started = make_visit(state=VisitState.ON_SITE)
    with pytest.raises(ValidationError, match="only before it starts"):
        visit_update(actor=users["coordinator"], visit=started, data={"title": "x"})


def test_update_keeps_a_planned_visit_ready(users, make_visit):
    visit = make_visit(
        state=VisitState.PLANNED, type=VisitType.SPECIAL, trigger_kind=TriggerKind.APPEAL
    )
    with pytest.raises(ValidationError) as exc:
        visit_update(actor=users["coordinator"], visit=visit, data={"trigger_kind": ""})
    assert "trigger_kind" in exc.value.message_dict
    visit.refresh_from_db()
    assert visit.trigger_kind == TriggerKind.APPEAL


def test_update_refuses_an_institution_a_team_member_is_conflicted_with(
    users, make_visit, make_institution, participants
):
    visit = make_visit(state=VisitState.DRAFT)
    other = make_institution()
    ConflictDeclaration.objects.create(
        participant=participants["doctor"],
        kind=ConflictKind.WORKED_AT_INSTITUTION,
        institution=other,
        declared_on=datetime.date(2020, 1, 1),
    )
    with pytest.raises(ValidationError) as exc:
        visit_update(actor=users["coordinator"], visit=visit, data={"institutions": [other]})
    assert other.name in " ".join(exc.value.message_dict["team"])
    assert list(visit.institutions.all()) != [other]


def test_team_set(users, make_visit, participants):
    visit = make_visit(state=VisitState.DRAFT)
    TeamMember.objects.filter(visit=visit).delete()
    visit_team_set(
        actor=users["coordinator"],
        visit=visit,
        members=_team(participants),
        lead=participants["doctor"],
    )
    assert {m.participant for m in visit.team.all()} == set(_team(participants))
    assert visit.team.get(is_lead=True).participant == participants["doctor"]
    event = AuditEvent.objects.get(action=AuditAction.VISIT_TEAM_CHANGED)
    assert event.data["lead"] == str(participants["doctor"].public_id)
    # Swap a member and the lead.
    visit_team_set(
        actor=users["coordinator"],
        visit=visit,
        members=[participants["lead"], participants["monitor"], participants["outsider"]],
        lead=participants["lead"],
    )
    assert visit.team.get(is_lead=True).participant == participants["lead"]
    assert not visit.team.filter(participant=participants["doctor"]).exists()


def test_team_under_three_is_refused(users, make_visit, participants):
    visit = make_visit(state=VisitState.DRAFT)
    with pytest.raises(ValidationError) as exc:
        visit_team_set(
            actor=users["coordinator"],
            visit=visit,
            members=[participants["lead"], participants["doctor"]],
            lead=participants["lead"],
        )
    assert "at least 3 members; it has 2" in exc.value.message_dict["members"][0]
    assert visit.team.count() == 3


def test_lead_must_be_on_the_team(users, make_visit, participants):
    visit = make_visit(state=VisitState.DRAFT)
    with pytest.raises(ValidationError) as exc:
        visit_team_set(
            actor=users["coordinator"],
            visit=visit,
            members=_team(participants),
            lead=participants["outsider"],
        )
    assert "lead" in exc.value.message_dict


def test_conflicted_participant_is_refused_with_the_reason(users, make_visit, participants, ref):
    visit = make_visit(state=VisitState.DRAFT)
    ConflictDeclaration.objects.create(
        participant=participants["outsider"],
        kind=ConflictKind.WORKED_FOR_AGENCY,
        agency=ref["mvd"],
        description="Police officer until 2019",
        declared_on=datetime.date(2020, 1, 1),
    )
    with pytest.raises(ValidationError) as exc:
        visit_team_set(
            actor=users["coordinator"],
            visit=visit,
            members=[*_team(participants), participants["outsider"]],
            lead=participants["lead"],
        )
    message = " ".join(exc.value.message_dict["members"])
    assert "Outsider has declared a conflict of interest with" in message
    assert ref["mvd"].name in message
    assert "Worked for the agency (Police officer until 2019)" in message
    assert not visit.team.filter(participant=participants["outsider"]).exists()


def test_non_accredited_participant_is_refused(users, make_visit, participants):
    visit = make_visit(state=VisitState.DRAFT)
    outsider = participants["outsider"]
    outsider.accredited_to = datetime.date(2026, 11, 30)
    outsider.save()
    with pytest.raises(ValidationError) as exc:
        visit_team_set(
            actor=users["coordinator"],
            visit=visit,
            members=[*_team(participants), outsider],
            lead=participants["lead"],
        )
    assert "Outsider is not accredited on" in " ".join(exc.value.message_dict["members"])


@pytest.mark.parametrize("actor", ["monitor", "monitor_lead", "liaison", "auditor"])
def test_team_set_by_non_planners_is_denied(users, make_visit, participants, actor):
    visit = make_visit(state=VisitState.DRAFT)
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        visit_team_set(
            actor=users[actor],
            visit=visit,
            members=_team(participants),
            lead=participants["doctor"],
        )
    assert AuditEvent.objects.count() == before


def test_team_is_fixed_once_the_visit_started(users, make_visit, participants):
    visit = make_visit(state=VisitState.ON_SITE)
    with pytest.raises(ValidationError, match="before the visit starts"):
        visit_team_set(
            actor=users["coordinator"],
            visit=visit,
            members=_team(participants),
            lead=participants["doctor"],
        )


# ---------------------------------------------------------------- readiness at "Put in the plan"


def _put_in_plan(users, visit):
    return visit_transition(actor=users["coordinator"], visit=visit, to_state=VisitState.PLANNED)


def test_special_visit_without_trigger_cannot_be_planned(users, make_visit):
    visit = make_visit(state=VisitState.DRAFT, type=VisitType.SPECIAL)
    with pytest.raises(ValidationError) as exc:
        _put_in_plan(users, visit)
    assert exc.value.message_dict["trigger_kind"] == [
        "A special visit must name its trigger: an appeal, an incident or a media report."
    ]
    visit.refresh_from_db()
    assert visit.state == VisitState.DRAFT
    visit.trigger_kind = TriggerKind.MEDIA_REPORT
    visit.save()
    assert _put_in_plan(users, visit).state == VisitState.PLANNED


def test_follow_up_without_the_earlier_visit_cannot_be_planned(users, make_visit):
    visit = make_visit(state=VisitState.DRAFT, type=VisitType.FOLLOW_UP)
    with pytest.raises(ValidationError) as exc:
        _put_in_plan(users, visit)
    assert "follow_up_of" in exc.value.message_dict
    visit.follow_up_of = make_visit(state=VisitState.CLOSED)
    visit.save()
    assert _put_in_plan(users, visit).state == VisitState.PLANNED


def test_team_under_three_cannot_be_planned(users, make_visit, participants):
    visit = make_visit(state=VisitState.DRAFT)
    visit.team.filter(participant=participants["doctor"]).delete()
    with pytest.raises(ValidationError) as exc:
        _put_in_plan(users, visit)
    assert exc.value.message_dict["team"] == ["A visiting team needs at least 3 members; it has 2."]


def test_conflict_declared_after_team_was_named_blocks_the_start(users, make_visit, participants):
    visit = make_visit(state=VisitState.PREPARED)
    ConflictDeclaration.objects.create(
        participant=participants["doctor"],
        kind=ConflictKind.RELATIVE_AT_INSTITUTION,
        institution=visit.institutions.get(),
        declared_on=datetime.date(2026, 1, 1),
    )
    with pytest.raises(ValidationError) as exc:
        visit_transition(actor=users["coordinator"], visit=visit, to_state=VisitState.ON_SITE)
    assert "Team Doctor has declared a conflict of interest" in exc.value.message_dict["team"][0]


def test_debrief_sets_last_visited_on(users, make_visit):
    visit = make_visit(state=VisitState.PREPARED)
    institution = visit.institutions.get()
    assert institution.last_visited_on is None
    visit_transition(actor=users["coordinator"], visit=visit, to_state=VisitState.ON_SITE)
    visit_transition(actor=users["monitor_lead"], visit=visit, to_state=VisitState.DEBRIEFED)
    institution.refresh_from_db()
    assert institution.last_visited_on == timezone.localdate()
    visit.refresh_from_db()
    assert visit.started_at is not None
    assert visit.ended_at is not None


def test_debrief_does_not_move_last_visited_backwards(users, make_visit):
    visit = make_visit(state=VisitState.ON_SITE)
    institution = visit.institutions.get()
    later = timezone.localdate() + datetime.timedelta(days=30)
    Institution.objects.filter(pk=institution.pk).update(last_visited_on=later)
    visit_transition(actor=users["coordinator"], visit=visit, to_state=VisitState.DEBRIEFED)
    institution.refresh_from_db()
    assert institution.last_visited_on == later


# ---------------------------------------------------------------- access incidents and plans


def test_access_incident(users, make_visit):
    visit = make_visit(state=VisitState.ON_SITE)
    incident = access_incident_record(
        actor=users["monitor"],
        visit=visit,
        data={
            "kind": AccessIncidentKind.DELAY,
            "occurred_at": timezone.now(),
            "duration_minutes": 45,
            "details": "Kept at the gate",
            "institution": visit.institutions.get(),
        },
    )
    assert incident.recorded_by == users["monitor"]
    assert AuditEvent.objects.filter(action=AuditAction.ACCESS_INCIDENT_RECORDED).count() == 1


def test_access_incident_needs_a_started_visit_and_the_team(users, make_visit, make_institution):
    data = {"kind": AccessIncidentKind.REFUSAL, "occurred_at": timezone.now(), "details": "No"}
    with pytest.raises(ValidationError):
        access_incident_record(
            actor=users["coordinator"], visit=make_visit(state=VisitState.PLANNED), data=data
        )
    on_site = make_visit(state=VisitState.ON_SITE)
    with pytest.raises(PermissionDenied):
        access_incident_record(actor=users["monitor_outsider"], visit=on_site, data=data)
    with pytest.raises(ValidationError) as exc:
        access_incident_record(
            actor=users["coordinator"],
            visit=on_site,
            data={**data, "institution": make_institution()},
        )
    assert "institution" in exc.value.message_dict
    assert not AccessIncident.objects.exists()


def test_plan_update_by_coordinators_only(users):
    plan = AnnualPlan.objects.create(year=2026)
    plan_update(actor=users["coordinator"], plan=plan, data={"title": "Plan 2026"})
    plan.refresh_from_db()
    assert plan.title == "Plan 2026"
    with pytest.raises(PermissionDenied):
        plan_update(actor=users["regional"], plan=plan, data={"title": "X"})
    assert AuditEvent.objects.filter(action=AuditAction.PLAN_UPDATED).count() == 1


def test_a_reference_clash_is_retried(users, make_institution, monkeypatch):
    colony = make_institution()
    first = visit_create(actor=users["coordinator"], data=_data([colony]))
    codes = iter([first.reference, first.reference, "2026-ZZZZZZ"])
    monkeypatch.setattr(visits_service, "visit_reference", lambda year: next(codes))
    second = visit_create(actor=users["coordinator"], data=_data([colony]))
    assert second.reference == "2026-ZZZZZZ"
