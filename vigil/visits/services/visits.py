"""Writes to visits: the annual plan, planning, the team, the life cycle, access incidents.

Every service checks the permission policy (`vigil.visits.permissions`), validates, and
writes its audit row in the same transaction.
"""

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_record, diff, snapshot
from vigil.people.eligibility import eligibility_decide
from vigil.people.models import Participant
from vigil.registry.enums import InstitutionStatus
from vigil.registry.models import Institution

from .. import workflow
from ..enums import NOT_STARTED_STATES, VisitState, VisitType
from ..models import AccessIncident, AnnualPlan, TeamMember, Visit
from ..permissions import (
    can_edit_plan,
    can_manage_visit,
    can_plan_visits,
    can_record_access_incident,
    visits_visible_to,
)
from ..references import REFERENCE_ATTEMPTS, visit_reference

# States whose readiness was checked on the way in: an edit must keep the visit ready.
_READY_STATES = {VisitState.PLANNED, VisitState.PREPARED}
VISIT_FIELDS = (
    "type",
    "mode",
    "announced",
    "title",
    "objectives",
    "planned_start",
    "planned_end",
    "trigger_kind",
    "trigger_details",
    "trigger_reference",
    "follow_up_of",
    "theme",
)
_TEXT_FIELDS = {
    "title",
    "objectives",
    "trigger_kind",
    "trigger_details",
    "trigger_reference",
    "theme",
}
PLAN_FIELDS = ("title", "notes")
INCIDENT_FIELDS = ("kind", "institution", "occurred_at", "duration_minutes", "details")


@transaction.atomic
def visit_transition(
    *,
    actor: User,
    visit: Visit,
    to_state: str,
    note: str = "",
    via_report: bool = False,
    context: RequestContext | None = None,
) -> Visit:
    """Move a visit along its life cycle, as the transition table (`workflow.TABLE`) allows:
    the history row and the audit row are written by the table's `record` hook.

    `via_report=True` is passed only by the report services, for the moves that submitting,
    returning and approving a report make.
    """
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    values = {"note": note}
    move = workflow.TABLE.check(
        actor, visit, target=to_state, via=workflow.REPORT if via_report else "", values=values
    )
    workflow.TABLE.apply(
        actor, visit, move, values=values, extra={"context": context}, save=_save_moved
    )
    return visit


def _save_moved(visit: Visit) -> None:
    now = timezone.now()
    if visit.state == VisitState.ON_SITE and visit.started_at is None:
        visit.started_at = now
    if visit.state == VisitState.DEBRIEFED and visit.ended_at is None:
        visit.ended_at = now
        _record_last_visit(visit)
    visit.full_clean()
    visit.save()


def _record_last_visit(visit: Visit) -> None:
    """The registry's `last_visited_on` follows visits that took place."""
    day = timezone.localdate(visit.started_at) if visit.started_at else timezone.localdate()
    for institution in visit.institutions.all():
        if institution.last_visited_on is None or institution.last_visited_on < day:
            Institution.objects.filter(pk=institution.pk).update(last_visited_on=day)


# ---------------------------------------------------------------- annual plan


def _plan_for(year: int, actor: User | None, context: RequestContext | None) -> AnnualPlan:
    plan, created = AnnualPlan.objects.get_or_create(year=year)
    if created:
        audit_record(
            actor=actor,
            action=AuditAction.PLAN_CREATED,
            target=plan,
            data={"year": year},
            context=context,
        )
    return plan


@transaction.atomic
def plan_get_or_create(
    *, actor: User | None, year: int, context: RequestContext | None = None
) -> AnnualPlan:
    """The year's plan, created (and audited) the first time a planner needs it."""
    if actor is not None and not can_plan_visits(actor):
        raise PermissionDenied
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Enter a year between 2000 and 2100.")})
    return _plan_for(year, actor, context)


@transaction.atomic
def plan_update(
    *,
    actor: User | None,
    plan: AnnualPlan,
    data: dict[str, Any],
    context: RequestContext | None = None,
) -> dict[str, list[Any]]:
    if actor is not None and not can_edit_plan(actor):
        raise PermissionDenied
    plan = AnnualPlan.objects.select_for_update().get(pk=plan.pk)
    before = snapshot(plan, PLAN_FIELDS)
    for name in PLAN_FIELDS:
        if name in data:
            setattr(plan, name, data[name])
    plan.full_clean()
    changes = diff(before, snapshot(plan, PLAN_FIELDS))
    if changes:
        plan.save()
        audit_record(
            actor=actor,
            action=AuditAction.PLAN_UPDATED,
            target=plan,
            data={"changes": changes},
            context=context,
        )
    return changes


# ---------------------------------------------------------------- planning


def _next_reference(plan: AnnualPlan) -> str:
    """ "2026-K7Q2M9": the plan's year and a random code, so that no one who sees references
    (an agency's liaison included) can count the visits planned before one
    (`vigil.visits.references`)."""
    for _attempt in range(REFERENCE_ATTEMPTS):
        reference = visit_reference(plan.year)
        if not Visit.objects.filter(reference=reference).exists():
            return reference
    raise RuntimeError("No free visit reference after several tries.")


def _institutions(actor: User | None, value: Any) -> list[Institution]:
    institutions = list(dict.fromkeys(value or []))
    if not institutions:
        raise ValidationError({"institutions": _("Choose at least one institution.")})
    closed = [i for i in institutions if i.status == InstitutionStatus.CLOSED]
    if closed:
        raise ValidationError(
            {
                "institutions": _("%(institution)s is closed and cannot be visited.")
                % {"institution": closed[0].name}
            }
        )
    if actor is not None and not can_plan_visits(actor, [i.region_id for i in institutions]):
        raise PermissionDenied(_("You may not plan visits in the region of these institutions."))
    return institutions


def _apply(visit: Visit, actor: User | None, data: dict[str, Any]) -> None:
    for name in VISIT_FIELDS:
        if name in data:
            value = data[name]
            setattr(visit, name, "" if value is None and name in _TEXT_FIELDS else value)
    if visit.type != VisitType.SPECIAL:
        visit.trigger_kind = visit.trigger_details = visit.trigger_reference = ""
    if visit.type != VisitType.FOLLOW_UP:
        visit.follow_up_of = None
    earlier = visit.follow_up_of
    if earlier is not None:
        if earlier.pk == visit.pk:
            raise ValidationError({"follow_up_of": _("A visit cannot follow itself up.")})
        if actor is not None and not visits_visible_to(actor).filter(pk=earlier.pk).exists():
            raise ValidationError({"follow_up_of": _("Choose a visit you can see.")})
        if earlier.state in NOT_STARTED_STATES or earlier.state == VisitState.CANCELLED:
            raise ValidationError(
                {"follow_up_of": _("The earlier visit must be one that took place.")}
            )


def _visit_snapshot(visit: Visit) -> dict[str, Any]:
    data = snapshot(visit, VISIT_FIELDS)
    data["institutions"] = sorted(str(i.public_id) for i in visit.institutions.all())
    return data


@transaction.atomic
def visit_create(
    *, actor: User, data: dict[str, Any], context: RequestContext | None = None
) -> Visit:
    """Add a visit to the plan of its year, as a draft; `data["institutions"]` is a list.

    The visit's region is the first institution's; the planner must be allowed in the
    region of every institution. Special visits name their trigger and follow-up visits
    the earlier visit before they can be put in the plan (`workflow.readiness_errors`).
    """
    if not can_plan_visits(actor):
        raise PermissionDenied
    institutions = _institutions(actor, data.get("institutions"))
    start = data.get("planned_start")
    if not isinstance(start, datetime.date):
        raise ValidationError({"planned_start": _("Enter the planned start date.")})
    plan = _plan_for(start.year, actor, context)
    plan = AnnualPlan.objects.select_for_update().get(pk=plan.pk)  # numbers run one at a time
    visit = Visit(plan=plan, region=institutions[0].region, created_by=actor)
    _apply(visit, actor, data)
    visit.reference = _next_reference(plan)
    visit.full_clean()
    visit.save()
    visit.institutions.set(institutions)
    audit_record(
        actor=actor,
        action=AuditAction.VISIT_CREATED,
        target=visit,
        data={"fields": _visit_snapshot(visit), "plan": plan.year},
        context=context,
    )
    return visit


@transaction.atomic
def visit_update(
    *,
    actor: User,
    visit: Visit,
    data: dict[str, Any],
    context: RequestContext | None = None,
) -> dict[str, list[Any]]:
    """Change a visit that has not started; returns the changed fields ({}: no audit row).

    Moving it to another year moves it to that year's plan (its reference stays). A
    visit already in the plan must stay ready for it, and its team eligible for the new
    institutions and dates.
    """
    if not can_manage_visit(actor, visit):
        raise PermissionDenied
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if visit.state not in NOT_STARTED_STATES:
        raise ValidationError(
            {
                "state": _("A visit can be changed only before it starts; this one is “%(state)s”.")
                % {"state": visit.get_state_display()}
            }
        )
    before = _visit_snapshot(visit)
    _apply(visit, actor, data)
    if "institutions" in data:
        institutions = _institutions(actor, data["institutions"])
        visit.region = institutions[0].region
    else:
        institutions = list(visit.institutions.all())
    if visit.planned_start and visit.planned_start.year != visit.plan.year:
        visit.plan = _plan_for(visit.planned_start.year, actor, context)
    visit.full_clean()
    visit.save()
    if "institutions" in data:
        visit.institutions.set(institutions)
    team = [m.participant for m in visit.team.select_related("participant__user")]
    problems = workflow.team_eligibility_errors(visit, team)
    if problems:
        raise ValidationError({"team": problems})
    if visit.state in _READY_STATES:
        errors = workflow.readiness_errors(visit)
        if errors:
            raise ValidationError(errors)
    changes = diff(before, _visit_snapshot(visit))
    if changes:
        audit_record(
            actor=actor,
            action=AuditAction.VISIT_UPDATED,
            target=visit,
            data={"changes": changes},
            context=context,
        )
    return changes


TEAM_PURPOSE = "visit_team"
"""The purpose recorded on the eligibility decisions of participants joining a team."""


def visit_team_set(
    *,
    actor: User,
    visit: Visit,
    members: Sequence[Participant],
    lead: Participant | None,
    context: RequestContext | None = None,
) -> Visit:
    """Name the visiting team and its lead.

    Each participant joining the team is checked against the eligibility rules in force on
    the visit's start (`vigil.people.eligibility`) and the decision is recorded, also when
    refused (it is committed before the refusal). Refused, with the reason, for a joining
    participant the rules exclude, a team under the minimum, a lead outside the team, a
    participant not accredited on the visit's dates or with a declared conflict of
    interest with one of its institutions (or their agency).
    """
    if not can_manage_visit(actor, visit):
        raise PermissionDenied
    current = set(visit.team.values_list("participant_id", flat=True))
    joining = [p for p in dict.fromkeys(members) if p.pk not in current]
    if joining and visit.state in NOT_STARTED_STATES:
        decisions = eligibility_decide(
            actor=actor,
            participants=joining,
            institutions=visit.institutions.all(),
            on_date=visit.planned_start,
            purpose=TEAM_PURPOSE,
            subject_public_id=visit.public_id,
            context=context,
        )
        refused = [reason for d in decisions for reason in d.reasons]
        if refused:
            raise ValidationError({"members": refused})
    return _team_set(actor=actor, visit=visit, members=members, lead=lead, context=context)


@transaction.atomic
def _team_set(
    *,
    actor: User,
    visit: Visit,
    members: Sequence[Participant],
    lead: Participant | None,
    context: RequestContext | None,
) -> Visit:
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if visit.state not in NOT_STARTED_STATES:
        raise ValidationError({"team": _("The team can be changed only before the visit starts.")})
    chosen = list(dict.fromkeys(members))
    if len(chosen) < workflow.MIN_TEAM:
        raise ValidationError(
            {
                "members": ngettext(
                    "A visiting team needs at least %(n)d member; it has %(count)d.",
                    "A visiting team needs at least %(n)d members; it has %(count)d.",
                    workflow.MIN_TEAM,
                )
                % {"n": workflow.MIN_TEAM, "count": len(chosen)}
            }
        )
    if lead is None:
        raise ValidationError({"lead": _("Name one team lead.")})
    if lead not in chosen:
        raise ValidationError({"lead": _("The team lead must be one of the team's members.")})
    problems = workflow.team_eligibility_errors(visit, chosen)
    if problems:
        raise ValidationError({"members": problems})
    current = {m.participant_id: m for m in visit.team.all()}
    wanted = {p.pk for p in chosen}
    removed = [pk for pk in current if pk not in wanted]
    added = [p for p in chosen if p.pk not in current]
    previous_lead = next((pk for pk, m in current.items() if m.is_lead), None)
    visit.team.filter(participant_id__in=removed).delete()
    visit.team.filter(is_lead=True).exclude(participant=lead).update(is_lead=False)
    TeamMember.objects.bulk_create(
        [TeamMember(visit=visit, participant=p, is_lead=False) for p in added]
    )
    visit.team.filter(participant=lead).update(is_lead=True)
    if removed or added or previous_lead != lead.pk:
        ids = dict(
            Participant.objects.filter(pk__in=[*removed, *wanted]).values_list("pk", "public_id")
        )
        audit_record(
            actor=actor,
            action=AuditAction.VISIT_TEAM_CHANGED,
            target=visit,
            data={
                "members": sorted(str(ids[p.pk]) for p in chosen),
                "lead": str(lead.public_id),
                "added": sorted(str(p.public_id) for p in added),
                "removed": sorted(str(ids[pk]) for pk in removed),
            },
            context=context,
        )
    return visit


# ---------------------------------------------------------------- access incidents


@transaction.atomic
def access_incident_record(
    *,
    actor: User,
    visit: Visit,
    data: dict[str, Any],
    context: RequestContext | None = None,
) -> AccessIncident:
    """Record a delay, refusal, area denied or obstruction met by the team."""
    if not can_record_access_incident(actor, visit):
        raise PermissionDenied
    if visit.state in NOT_STARTED_STATES or visit.state == VisitState.CANCELLED:
        raise ValidationError(
            {"kind": _("Access incidents are recorded once the visit has started.")}
        )
    incident = AccessIncident(
        visit=visit,
        recorded_by=actor,
        **{k: v for k, v in data.items() if k in INCIDENT_FIELDS},
    )
    if (
        incident.institution_id is not None
        and not visit.institutions.filter(pk=incident.institution_id).exists()
    ):
        raise ValidationError({"institution": _("Choose one of the institutions of this visit.")})
    if incident.occurred_at and incident.occurred_at > timezone.now() + datetime.timedelta(
        minutes=5
    ):
        raise ValidationError({"occurred_at": _("The time cannot be in the future.")})
    incident.full_clean()
    incident.save()
    audit_record(
        actor=actor,
        action=AuditAction.ACCESS_INCIDENT_RECORDED,
        target=visit,
        data={"incident": str(incident.public_id), "fields": snapshot(incident, INCIDENT_FIELDS)},
        context=context,
    )
    return incident
