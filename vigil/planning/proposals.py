"""The annual plan proposal: the solver's instance built from the data, the proposal solved
and stored, pins kept across re-solves, its life cycle (draft → proposed → approved, back to
draft from proposed) and, once approved, the planned visits created once.

Solving runs synchronously in the request, bounded by the solver's time limit
(`DEFAULT_PARAMETERS["time_limit_s"]`): the national instance solves in seconds
(docs/planning.md, "Performance")."""

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_record
from vigil.core.timeline import record_timeline_move
from vigil.core.transitions import Move, Step, TransitionTable
from vigil.people.eligibility import eligibility_by_institution
from vigil.people.enums import Profession
from vigil.people.models import Participant
from vigil.people.selectors import available_months
from vigil.reference.enums import InstitutionCategory
from vigil.reference.selectors import region_neighbours
from vigil.registry.models import Institution
from vigil.visits.enums import VisitState, VisitType
from vigil.visits.models import Visit
from vigil.visits.services.visits import visit_create, visit_team_set, visit_transition

from . import solver
from .coverage import required_institutions
from .enums import PinKind, ProposalEventKind, ProposalState, VulnerableGroup
from .models import PlanProposal, ProposalEvent, ProposalPin, ProposalVisit
from .permissions import can_manage_planning
from .risk import (
    compute_risk_scores,
    planned_institutions,
    profiles_by_type_code,
    vulnerable_groups,
)

S = ProposalState

DEFAULT_PARAMETERS: dict[str, Any] = {
    "budget": 500,
    "team_size": 3,
    "reserved_percent": 20,
    # visits a year a participant may join (before the reserved share), for those whose
    # record gives none (`Participant.visits_per_year`)
    "capacity": 12,
    "monthly_limit": None,
    # "priority": as many due institutions as can be staffed, then risk; "strict": all or none
    "coverage": solver.Coverage.PRIORITY.value,
    "time_limit_s": 20.0,
}
DOCTORS = (Profession.DOCTOR, Profession.PSYCHIATRIST)


def _manager(user: User, proposal: PlanProposal) -> bool:
    return can_manage_planning(user)


def record_event(
    proposal: PlanProposal,
    kind: str,
    /,
    *,
    actor: User,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    data: Mapping[str, Any] | None = None,
) -> ProposalEvent:
    """Keep one event on the proposal's timeline."""
    return ProposalEvent.objects.create(
        proposal=proposal,
        kind=kind,
        actor=actor,
        from_state=from_state,
        to_state=to_state,
        note=note,
        data=dict(data or {}),
    )


def _record(step: Step[User, PlanProposal]) -> None:
    record_timeline_move(
        step, keep=record_event, kind=ProposalEventKind.MOVED, action=AuditAction.PROPOSAL_MOVED
    )


def _not_solved(proposal: PlanProposal) -> dict[str, list[str]]:
    if proposal.status not in (solver.Status.OPTIMAL, solver.Status.FEASIBLE):
        return {"state": [_("Only a proposal the optimiser solved can be proposed.")]}
    return {}


TABLE: TransitionTable[User, PlanProposal] = TransitionTable(
    [
        Move(S.DRAFT, S.PROPOSED, gettext_lazy("Propose"), _manager, conditions=(_not_solved,)),
        Move(S.PROPOSED, S.APPROVED, gettext_lazy("Approve"), _manager),
        Move(S.PROPOSED, S.DRAFT, gettext_lazy("Back to draft"), _manager),
    ],
    refused=lambda state, target: {
        "state": _("A proposal in state “%(state)s” cannot move to “%(target)s”.")
        % {"state": state, "target": target}
    },
    record=_record,
)


def _parameters(proposal: PlanProposal | None, given: Mapping[str, Any] | None) -> dict[str, Any]:
    merged = dict(DEFAULT_PARAMETERS)
    if proposal is not None:
        merged.update(proposal.parameters or {})
    merged.update(given or {})
    return merged


def build_instance(
    year: int,
    pins: Mapping[int, ProposalPin] | None = None,
    parameters: Mapping[str, Any] | None = None,
    *,
    on_date: datetime.date | None = None,
) -> solver.Instance:
    """The solver's instance for the year from the data: every institution a plan may
    include with its risk score (rounded), region, needs (medical: a doctor; holding
    children: a psychologist), whether a coverage rule requires it and the pins; every
    participant with their region, capacity (their record's visits a year, else the
    `capacity` parameter), the months they are available (`available_months`: not away for
    half the month or more), expertise and the institutions they may not visit
    (eligibility rules in force on 1 January of the year, declared conflicts)."""
    params = _parameters(None, parameters)
    pins = pins or {}
    day = on_date or datetime.date(year, 1, 1)
    places = list(planned_institutions().select_related("type"))
    scores = compute_risk_scores(planned_institutions(), on_date=day)
    required = required_institutions(year, planned_institutions())
    profiles = profiles_by_type_code()
    institutions = []
    for place in places:
        pin = pins.get(place.pk)
        groups = vulnerable_groups(
            place.type.code, place.population_boys, place.population_girls, profiles
        )
        score = scores.get(place.pk)
        institutions.append(
            solver.Institution(
                id=place.pk,
                risk=round(score.total) if score else 0,
                region=place.region_id,
                medical=place.type.category == InstitutionCategory.MEDICAL,
                children=VulnerableGroup.CHILDREN in groups,
                required=place.pk in required,
                pinned=pin is not None and pin.kind == PinKind.PINNED,
                excluded=pin is not None and pin.kind == PinKind.EXCLUDED,
                month=pin.month if pin is not None and pin.kind == PinKind.PINNED else None,
            )
        )
    eligible = eligibility_by_institution(day, places)
    everyone = set().union(*eligible.values()) if eligible else set()
    people = list(Participant.objects.filter(pk__in=everyone).order_by("pk"))
    months = available_months(people, year)
    participants = []
    for person in people:
        participants.append(
            solver.Participant(
                id=person.pk,
                region=person.region_id,
                capacity=person.visits_per_year or int(params["capacity"]),
                months=months[person.pk],
                doctor=person.profession in DOCTORS,
                psychologist=person.profession == Profession.PSYCHOLOGIST,
                conflicts=frozenset(p.pk for p in places if person.pk not in eligible[p.pk]),
            )
        )
    return solver.Instance(
        institutions=tuple(institutions),
        participants=tuple(participants),
        parameters=solver.Parameters(
            budget=int(params["budget"]),
            team_size=int(params["team_size"]),
            reserved_percent=int(params["reserved_percent"]),
            neighbours=region_neighbours(),
            monthly_limit=params["monthly_limit"],
            coverage=solver.Coverage(params["coverage"]),
            time_limit_s=float(params["time_limit_s"]),
        ),
    )


def _require_manager(actor: User) -> None:
    if not can_manage_planning(actor):
        raise PermissionDenied


def _require_draft(proposal: PlanProposal) -> None:
    if proposal.state != S.DRAFT:
        raise ValidationError(
            {"state": _("Only a draft proposal can be changed; send it back to draft first.")}
        )


@transaction.atomic
def proposal_solve(
    *,
    actor: User,
    year: int,
    parameters: Mapping[str, Any] | None = None,
    context: RequestContext | None = None,
) -> PlanProposal:
    """Compute (or re-compute) the year's draft proposal, keeping its pins."""
    _require_manager(actor)
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Enter a year between 2000 and 2100.")})
    proposal, _created = PlanProposal.objects.select_for_update().get_or_create(
        year=year, defaults={"created_by": actor}
    )
    _require_draft(proposal)
    params = _parameters(proposal, parameters)
    pins = {p.institution_id: p for p in proposal.pins.all()}
    instance = build_instance(year, pins, params)
    plan = solver.solve(instance)
    proposal.parameters = params
    proposal.status = plan.status.value
    proposal.objective = plan.objective
    proposal.bound = plan.bound
    proposal.gap = plan.gap
    proposal.wall_s = round(plan.wall_s, 3)
    proposal.infeasibility = (
        {
            "reason": plan.infeasibility.reason.value,
            "institutions": list(plan.infeasibility.institutions),
        }
        if plan.infeasibility
        else {}
    )
    proposal.left_out = list(plan.required_left_out)
    proposal.solved_at = timezone.now()
    proposal.full_clean()
    proposal.save()
    proposal.visits.all().delete()
    for visit in plan.visits:
        row = ProposalVisit.objects.create(
            proposal=proposal,
            institution_id=visit.institution,
            month=visit.month,
            risk=visit.risk,
            why=visit.why,
        )
        row.team.set(visit.team)
    summary = {
        "year": year,
        "status": proposal.status,
        "visits": len(plan.visits),
        "objective": plan.objective,
        "gap": plan.gap,
        "left_out": len(plan.required_left_out),
    }
    record_event(proposal, ProposalEventKind.SOLVED, actor=actor, data=summary)
    audit_record(
        actor=actor,
        action=AuditAction.PROPOSAL_SOLVED,
        target=proposal,
        data={**summary, "parameters": params},
        context=context,
    )
    return proposal


@transaction.atomic
def proposal_pin_set(
    *,
    actor: User,
    proposal: PlanProposal,
    institution: Institution,
    kind: str,
    month: int | None = None,
    reason: str = "",
    context: RequestContext | None = None,
) -> ProposalPin | None:
    """Pin an institution in (in `month`, or any), exclude it, or (kind "") remove its pin.
    The next computation keeps the pins."""
    _require_manager(actor)
    proposal = PlanProposal.objects.select_for_update().get(pk=proposal.pk)
    _require_draft(proposal)
    proposal.pins.filter(institution=institution).delete()
    pin = None
    if kind:
        if kind not in PinKind.values:
            raise ValidationError({"kind": _("Choose pinned in or excluded.")})
        pin = ProposalPin(
            proposal=proposal,
            institution=institution,
            kind=kind,
            month=month,
            reason=(reason or "").strip(),
            created_by=actor,
        )
        pin.full_clean()
        pin.save()
    data = {"institution": str(institution.public_id), "kind": kind, "month": month}
    record_event(proposal, ProposalEventKind.PIN, actor=actor, note=reason, data=data)
    audit_record(
        actor=actor,
        action=AuditAction.PROPOSAL_PIN_SET,
        target=proposal,
        data={**data, "reason": reason},
        context=context,
    )
    return pin


@transaction.atomic
def proposal_move(
    *,
    actor: User,
    proposal: PlanProposal,
    to_state: str,
    note: str = "",
    context: RequestContext | None = None,
) -> PlanProposal:
    proposal = PlanProposal.objects.select_for_update().get(pk=proposal.pk)
    values = {"note": note}
    move = TABLE.check(actor, proposal, target=to_state, values=values)
    TABLE.apply(
        actor,
        proposal,
        move,
        values=values,
        extra={"context": context},
        save=lambda p: p.save(update_fields=["state", "updated_at"]),
    )
    return proposal


@transaction.atomic
def proposal_visits_create(
    *, actor: User, proposal: PlanProposal, context: RequestContext | None = None
) -> list[Visit]:
    """Create the approved proposal's visits, once: planned visits in the year's annual plan
    (through the visits app's services: numbered, audited, the team's eligibility decided
    and recorded, put in the plan), each starting on the first day of its month."""
    _require_manager(actor)
    proposal = PlanProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.state != S.APPROVED:
        raise ValidationError({"state": _("Only an approved proposal creates visits.")})
    if proposal.visits_created_at is not None:
        raise ValidationError({"state": _("The planned visits of this proposal were created.")})
    created = []
    rows = proposal.visits.select_related("institution").prefetch_related("team__user")
    for row in rows:
        start = datetime.date(proposal.year, row.month, 1)
        visit = visit_create(
            actor=actor,
            data={
                "type": VisitType.PLANNED,
                "institutions": [row.institution],
                "planned_start": start,
                "planned_end": start,
            },
            context=context,
        )
        team = sorted(row.team.all(), key=lambda p: p.pk)
        visit_team_set(actor=actor, visit=visit, members=team, lead=team[0], context=context)
        visit = visit_transition(
            actor=actor, visit=visit, to_state=VisitState.PLANNED, context=context
        )
        created.append(visit)
    proposal.visits_created_at = timezone.now()
    proposal.save(update_fields=["visits_created_at", "updated_at"])
    data = {"year": proposal.year, "visits": [v.reference for v in created]}
    record_event(proposal, ProposalEventKind.VISITS_CREATED, actor=actor, data=data)
    audit_record(
        actor=actor,
        action=AuditAction.PROPOSAL_VISITS_CREATED,
        target=proposal,
        data=data,
        context=context,
    )
    return created


def pins_by_institution(proposal: PlanProposal) -> dict[int, ProposalPin]:
    return {p.institution_id: p for p in proposal.pins.all()}


__all__ = [
    "DEFAULT_PARAMETERS",
    "TABLE",
    "build_instance",
    "proposal_move",
    "proposal_pin_set",
    "proposal_solve",
    "proposal_visits_create",
]
