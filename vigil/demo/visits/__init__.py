"""Synthetic monitoring visits for the demo data set (`generate_demo_data`).

`--scale national` holds about 500 visits a year over ten years (the current one included)
and the plan of the next three months; `--scale demo` about 60 over two years. Each visit has
a team of three to five eligible participants with one lead, a realistic type, mode and
state for its dates (past years closed, the current year spread over the life cycle, the
months ahead planned), the history of every state it went through, checklist answers,
findings, synthetic interviews (encrypted exactly as the interview service stores them),
access incidents, internal notes and, from the report stage on, its report. A fixed set of
"showcase" visits around today puts every state on the pages and gives each demo account
something to see: the demo monitor is on several current visits and leads two of them, with
follow-up contacts due and a checklist half filled.

Deterministic for a seed: the schedule, and each visit from its own random stream keyed by
its reference. Idempotent: visits are matched on `Visit.reference`, and an existing one is
left alone with everything in it. Written in bulk (the services would take minutes), with
the invariants the services keep: teams of three or more with one lead and no conflict of
interest, special visits with their trigger, follow-ups linked to a visit that took place,
transitions along the table of `vigil.visits.workflow`, reports only with findings,
institutions' `last_visited_on` following the visits that took place. Audited as the
services would be, marked as demo data: a `VISIT_CREATED` row per visit and a `PLAN_CREATED`
row per new annual plan (what was recorded inside the visits is counted, not audited row by
row). Times are historical: the rows keep the dates of their visit, not the day of the run.
"""

import datetime
import random
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone

from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_record, audit_records_bulk
from vigil.registry.models import Institution
from vigil.visits.enums import NOT_STARTED_STATES
from vigil.visits.models import (
    AccessIncident,
    AnnualPlan,
    ChecklistAnswer,
    ChecklistResponse,
    ChecklistTemplate,
    Finding,
    InternalNote,
    Interview,
    ReportTransition,
    SealedIdentity,
    TeamMember,
    Visit,
    VisitReport,
    VisitTransition,
)

from ..registry import DemoDataError
from .content import Rows, visit_rows
from .plan import SCALE_SPECS, SHOWCASES, S, Scale, VisitPlan, load_world, plan_visit, schedule

__all__ = ["SCALE_SPECS", "SHOWCASES", "generate_visits"]

BATCH = 2000

# ---------------------------------------------------------------- writing


def _ensure_checklists() -> None:
    if not ChecklistTemplate.objects.filter(is_active=True).exists():
        # Imported here: loading reads the data files only when needed.
        from vigil.visits.services.checklists import checklist_templates_load

        checklist_templates_load()


@contextmanager
def _given_timestamps(*model_classes: type[models.Model]) -> Iterator[None]:
    """Let bulk_create keep the historical times set on the rows (auto_now off meanwhile)."""
    saved: list[tuple[Any, bool, bool]] = []
    for model in model_classes:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                saved.append((f, f.auto_now, f.auto_now_add))  # type: ignore[attr-defined]
                f.auto_now = f.auto_now_add = False  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _write(rows: Rows, plans: dict[int, AnnualPlan], existing: dict[str, int]) -> None:
    for visit in rows.visits:
        visit.plan = plans[visit.planned_start.year]
    with _given_timestamps(
        Visit, TeamMember, VisitTransition, AccessIncident, InternalNote, ChecklistResponse,
        ChecklistAnswer, Finding, Interview, SealedIdentity, VisitReport, ReportTransition,
    ):  # fmt: skip
        Visit.objects.bulk_create(rows.visits, batch_size=BATCH)
        by_reference = {**existing, **{v.reference: v.pk for v in rows.visits}}
        for visit, earlier in rows.follow_ups:
            visit.follow_up_of_id = by_reference[earlier]
        Visit.objects.bulk_update(
            [v for v, _earlier in rows.follow_ups], ["follow_up_of"], batch_size=BATCH
        )
        through = Visit.institutions.through
        through.objects.bulk_create(
            [through(visit_id=v.pk, institution_id=i.pk) for v, i in rows.visit_institutions],
            batch_size=BATCH,
        )
        TeamMember.objects.bulk_create(rows.team, batch_size=BATCH)
        VisitTransition.objects.bulk_create(rows.transitions, batch_size=BATCH)
        AccessIncident.objects.bulk_create(rows.incidents, batch_size=BATCH)
        InternalNote.objects.bulk_create(rows.notes, batch_size=BATCH)
        ChecklistResponse.objects.bulk_create(rows.responses, batch_size=BATCH)
        ChecklistAnswer.objects.bulk_create(rows.answers, batch_size=BATCH)
        Finding.objects.bulk_create(rows.findings, batch_size=BATCH)
        links = Finding.answers.through
        links.objects.bulk_create(
            [links(finding_id=f.pk, checklistanswer_id=a.pk) for f, a in rows.finding_answers],
            batch_size=BATCH,
        )
        Interview.objects.bulk_create(rows.interviews, batch_size=BATCH)
        SealedIdentity.objects.bulk_create(rows.identities, batch_size=BATCH)
        VisitReport.objects.bulk_create(rows.reports, batch_size=BATCH)
        chosen = VisitReport.findings.through
        chosen.objects.bulk_create(
            [chosen(visitreport_id=r.pk, finding_id=f.pk) for r, f in rows.report_findings],
            batch_size=BATCH,
        )
        ReportTransition.objects.bulk_create(rows.report_transitions, batch_size=BATCH)


def _last_visits(rows: Rows) -> int:
    """Institutions' `last_visited_on` follows the latest visit that took place."""
    if not rows.last_visits:
        return 0
    latest = dict(
        Visit.objects.filter(institutions__in=list(rows.last_visits), started_at__isnull=False)
        .exclude(state__in=[*NOT_STARTED_STATES, S.CANCELLED])
        .values_list("institutions")
        .annotate(last=Max("started_at"))
        .order_by()
    )
    changed = []
    for institution in Institution.objects.filter(pk__in=list(latest)):
        day = timezone.localdate(latest[institution.pk])
        if institution.last_visited_on != day:
            institution.last_visited_on = day
            changed.append(institution)
    Institution.objects.bulk_update(changed, ["last_visited_on"], batch_size=BATCH)
    return len(changed)


@transaction.atomic
def generate_visits(
    rng: random.Random,
    scale: Scale,
    *,
    now: datetime.datetime | None = None,
) -> dict[str, int]:
    """Create the demo visits and everything recorded in them; returns counts.

    Needs the demo accounts, institutions and participants (the steps before it)."""
    if scale not in SCALE_SPECS:
        raise DemoDataError(f"Unknown scale {scale!r}.")
    now = now or timezone.now()
    today = timezone.localdate(now)
    base = rng.getrandbits(64)
    _ensure_checklists()
    world = load_world(today, now)
    world.side_states = SCALE_SPECS[scale].side_states
    slots = schedule(base, SCALE_SPECS[scale], today)
    existing = dict(
        Visit.objects.filter(reference__in=[s.reference for s in slots]).values_list(
            "reference", "pk"
        )
    )
    rows = Rows()
    took_place: list[VisitPlan] = []
    for slot in slots:
        plan = plan_visit(world, base, slot, took_place)
        if plan.reached(S.ON_SITE) is not None:
            took_place.append(plan)
        if slot.reference not in existing:
            visit_rows(world, plan, rows)
    counts = {
        "visits": len(rows.visits),
        "unchanged": len(existing),
        "team members": len(rows.team),
        "transitions": len(rows.transitions),
        "checklist answers": len(rows.answers),
        "findings": len(rows.findings),
        "interviews": len(rows.interviews),
        "sealed identities": len(rows.identities),
        "reports": len(rows.reports),
        "access incidents": len(rows.incidents),
        "notes": len(rows.notes),
    }
    if not rows.visits:
        return counts
    plans = {}
    for year in sorted({v.planned_start.year for v in rows.visits}):
        plans[year], created = AnnualPlan.objects.get_or_create(year=year)
        if created:
            audit_record(
                actor=None,
                action=AuditAction.PLAN_CREATED,
                target=plans[year],
                data={"year": year, "demo_data": scale},
            )
    _write(rows, plans, existing)
    counts["institutions updated"] = _last_visits(rows)
    # Audited as the service would (one row per visit), marked as demo data.
    audit_records_bulk(
        actor=None,
        action=AuditAction.VISIT_CREATED,
        entries=[
            (v, {"plan": v.planned_start.year, "state": v.state, "demo_data": scale})
            for v in rows.visits
        ],
        batch_size=BATCH,
    )
    return counts
