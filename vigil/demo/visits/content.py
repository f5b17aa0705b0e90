"""The rows of one demo visit: team, history, report, access incidents and notes; the
checklist answers and findings come from `evidence`, the interviews from `interviews`. Written
later, with every other visit, by the visits' bulk path (`vigil.visits.services.bulk`)."""

import datetime

from django.utils import timezone, translation

from vigil.visits.enums import (
    AccessIncidentKind,
    NoteKind,
    ReportState,
    Theme,
)
from vigil.visits.history import new_report_transition, new_visit_transition
from vigil.visits.models import (
    AccessIncident,
    Finding,
    InternalNote,
    TeamMember,
    Visit,
    VisitReport,
)
from vigil.visits.services.bulk import VisitRows

from . import texts
from .evidence import checklist_rows, finding_patterns, finding_rows
from .interviews import interview_rows
from .plan import VisitPlan, minutes_after, new_uuid, stamp
from .world import REPORTED, S, World


def _title(plan: VisitPlan) -> str:
    title = texts.TITLES[plan.type][plan.language]
    if plan.theme:
        with translation.override(plan.language):
            title = f"{title}: {Theme(plan.theme).label}"
    return title


def _report(
    world: World, plan: VisitPlan, visit: Visit, findings: list[Finding], rows: VisitRows
) -> None:
    if plan.state not in REPORTED or not findings:
        return
    lang = plan.language
    state_of = {S.REPORT_DRAFT: ReportState.DRAFT, S.REPORT_REVIEW: ReportState.REVIEW}
    state = state_of.get(plan.state, ReportState.APPROVED)  # type: ignore[call-overload]
    approved = plan.reached(S.REPORT_APPROVED)
    started = plan.reached(S.REPORT_DRAFT) or plan.created_at or world.now
    institution = plan.institutions[0]
    with translation.override(lang):
        name = institution.name
        date = plan.start.strftime("%d.%m.%Y")
    report = VisitReport(
        visit=visit,
        language=lang,
        state=state,
        introduction=texts.REPORT_INTRODUCTION[lang].format(
            institution=name, date=date, n=len(plan.team)
        ),
        conclusion=texts.REPORT_CONCLUSION[lang],
        approved_by_id=world.coordinator.pk if approved else None,
        approved_at=approved,
        created_by_id=plan.lead.user.pk,
    )
    stamp(report, started, plan.steps[-1].at)
    rows.reports.append(report)
    rows.report_findings.extend((report, f) for f in findings)
    report_state = {
        S.REPORT_DRAFT: ReportState.DRAFT,
        S.REPORT_REVIEW: ReportState.REVIEW,
        S.REPORT_APPROVED: ReportState.APPROVED,
    }
    previous = ReportState.DRAFT
    for step in plan.steps:
        target = report_state.get(step.state)  # type: ignore[call-overload]
        if target is None or step.at <= started:
            continue
        rows.report_transitions.append(
            new_report_transition(
                report, previous, target, actor=step.actor, occurred_at=step.at, note=step.note
            )
        )
        previous = target


def visit_rows(world: World, plan: VisitPlan, rows: VisitRows) -> None:
    """Everything of one visit, added to `rows` (written later in bulk)."""
    rng, lang = plan.rng, plan.language
    earlier = plan.follow_up_of
    visit = Visit(
        public_id=new_uuid(rng),
        reference=plan.slot.reference,
        type=plan.type,
        mode=plan.mode,
        announced=plan.announced,
        state=plan.state,
        title=_title(plan),
        objectives=texts.OBJECTIVES[plan.type][lang],
        region_id=plan.region.pk,
        planned_start=plan.start,
        planned_end=plan.end if plan.end != plan.start else None,
        started_at=plan.reached(S.ON_SITE),
        ended_at=plan.reached(S.DEBRIEFED),
        trigger_kind=plan.trigger_kind,
        trigger_details=plan.trigger_details,
        trigger_reference=plan.trigger_reference,
        theme=plan.theme,
        created_by_id=plan.created_by.pk,
    )
    if earlier is not None:
        rows.follow_ups.append((visit, earlier.slot.reference))
    created = plan.created_at or world.now
    stamp(visit, created, plan.steps[-1].at if plan.steps else created)
    rows.visits.append(visit)
    rows.visit_institutions.extend((visit, i) for i in plan.institutions)
    for member in plan.team:
        team_member = TeamMember(visit=visit, participant_id=member.pk, is_lead=member is plan.lead)
        stamp(team_member, created)
        rows.team.append(team_member)
    source: str = S.DRAFT
    for step in plan.steps:
        rows.transitions.append(
            new_visit_transition(
                visit, source, step.state, actor=step.actor, occurred_at=step.at, note=step.note
            )
        )
        source = step.state
    started = visit.started_at
    if started is None:
        return
    for institution in plan.institutions:
        day = timezone.localdate(started)
        if rows.last_visits.get(institution.pk, datetime.date.min) < day:
            rows.last_visits[institution.pk] = day
    patterns = finding_patterns(plan)
    themes = {p["theme"] for p in patterns if not p["good"]}
    answers = checklist_rows(world, plan, visit, themes, started, rows)
    interviews = interview_rows(world, plan, visit, rows)
    findings = finding_rows(world, plan, visit, patterns, answers, interviews, rows)
    _report(world, plan, visit, findings, rows)
    kinds: list[str] = []
    if plan.refused:
        kinds = [AccessIncidentKind.REFUSAL]
    elif rng.random() < 0.04:
        other = (
            AccessIncidentKind.DELAY,
            AccessIncidentKind.AREA_DENIED,
            AccessIncidentKind.OBSTRUCTION,
        )
        kinds = rng.choices(other, weights=(0.55, 0.25, 0.2))
    for kind in kinds:
        minutes = rng.randint(15, 90) if kind == AccessIncidentKind.DELAY else None
        incident = AccessIncident(
            visit=visit,
            institution_id=plan.institutions[0].pk,
            kind=kind,
            occurred_at=min(minutes_after(started, 0, 10, rng), world.now),
            duration_minutes=minutes,
            details=texts.INCIDENTS[kind][lang].format(minutes=minutes),
            recorded_by_id=plan.lead.user.pk,
        )
        stamp(incident, min(minutes_after(started, 30, 120, rng), world.now))
        rows.incidents.append(incident)
    for _ in range(rng.choices((0, 1, 2), weights=(0.55, 0.35, 0.1))[0]):
        note = InternalNote(
            visit=visit,
            author_id=rng.choice(plan.team).user.pk,
            kind=rng.choice((NoteKind.OBSERVATION, NoteKind.OTHER)),
            text=rng.choice(texts.INTERNAL_NOTES)[lang],
        )
        stamp(note, min(minutes_after(started, 60, 600, rng), world.now))
        rows.notes.append(note)
