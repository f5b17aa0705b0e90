"""The bulk path for visits: many visits, with everything recorded in them, in a few inserts.

For data made in large amounts (the demo data set: thousands of visits, where the services
one row at a time would take minutes). The caller builds unsaved rows into `VisitRows`; the
rules the services keep stay here:

- interview content and sealed identities are encrypted exactly as the interview service
  encrypts them (`interview_content_encrypt`, `sealed_identity_build`);
- the rows keep the historical times they carry (`created_at`/`updated_at` are not reset to
  the moment of the write; a row without them gets the time of the write);
- each visit lands in its year's annual plan, created and audited through `plan_get_or_create`;
- a follow-up visit is linked to the earlier visit by its reference;
- institutions' `last_visited_on` follows the latest visit that took place;
- one `VISIT_CREATED` audit row per visit, as `visit_create` writes it.

What the caller must already ensure, as the services would: teams of three or more with one
lead and no conflict of interest, transitions along `vigil.visits.workflow`, reports only with
findings.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_records_bulk
from vigil.core.bulk import given_timestamps
from vigil.core.sealing import identity_fingerprint, identity_seal
from vigil.registry.models import Institution

from ..enums import NOT_STARTED_STATES, VisitState
from ..history import record_report_transitions, record_visit_transitions
from ..models import (
    AccessIncident,
    AnnualPlan,
    ChecklistAnswer,
    ChecklistResponse,
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
from .interviews import _encrypt_content, _encrypt_present, identity_associated_data
from .visits import plan_get_or_create

BATCH = 2000


@dataclass
class VisitRows:
    """Unsaved rows of many visits, written together by `visits_bulk_create`."""

    visits: list[Visit] = field(default_factory=list)
    visit_institutions: list[tuple[Visit, Institution]] = field(default_factory=list)
    team: list[TeamMember] = field(default_factory=list)
    transitions: list[VisitTransition] = field(default_factory=list)
    incidents: list[AccessIncident] = field(default_factory=list)
    notes: list[InternalNote] = field(default_factory=list)
    responses: list[ChecklistResponse] = field(default_factory=list)
    answers: list[ChecklistAnswer] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    finding_answers: list[tuple[Finding, ChecklistAnswer]] = field(default_factory=list)
    interviews: list[Interview] = field(default_factory=list)
    identities: list[SealedIdentity] = field(default_factory=list)
    reports: list[VisitReport] = field(default_factory=list)
    report_findings: list[tuple[VisitReport, Finding]] = field(default_factory=list)
    report_transitions: list[ReportTransition] = field(default_factory=list)
    # Institutions (pk) of visits that took place; `last_visited_on` is recomputed for them.
    last_visits: dict[int, datetime.date] = field(default_factory=dict)
    # (follow-up visit, reference of the visit it follows up: in these rows or saved before)
    follow_ups: list[tuple[Visit, str]] = field(default_factory=list)


def interview_content_encrypt(interview: Interview, content: str, present: str = "") -> None:
    """Set the interview's encrypted content and who else was present, as `interview_create`
    does (needs its public id)."""
    _encrypt_content(interview, content)
    _encrypt_present(interview, present)


def sealed_identity_build(interview: Interview, identity: str) -> SealedIdentity:
    """The interview's sealed identity, unsaved, encrypted as `interview_create` seals it."""
    blob, version = identity_seal(identity, associated_data=identity_associated_data(interview))
    return SealedIdentity(
        interview=interview,
        ciphertext=blob,
        key_version=version,
        fingerprint=identity_fingerprint(identity),
    )


def _fill_times(rows: VisitRows, now: datetime.datetime) -> None:
    """Rows that carry no time of their own get the time of the write."""
    for batch in (
        rows.visits, rows.team, rows.transitions, rows.incidents, rows.notes, rows.responses,
        rows.answers, rows.findings, rows.interviews, rows.identities, rows.reports,
        rows.report_transitions,
    ):  # fmt: skip
        if not batch:
            continue
        automatic = [
            f.attname
            for f in type(batch[0])._meta.concrete_fields
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        ]
        for row in batch:
            for name in automatic:
                if getattr(row, name) is None:
                    setattr(row, name, now)


def _write(rows: VisitRows) -> None:
    _fill_times(rows, timezone.now())
    with given_timestamps(
        Visit, TeamMember, VisitTransition, AccessIncident, InternalNote, ChecklistResponse,
        ChecklistAnswer, Finding, Interview, SealedIdentity, VisitReport, ReportTransition,
    ):  # fmt: skip
        Visit.objects.bulk_create(rows.visits, batch_size=BATCH)
        earlier = {reference for _visit, reference in rows.follow_ups}
        by_reference = dict(
            Visit.objects.filter(reference__in=earlier).values_list("reference", "pk")
        )
        for visit, reference in rows.follow_ups:
            visit.follow_up_of_id = by_reference[reference]
        Visit.objects.bulk_update(
            [v for v, _earlier in rows.follow_ups], ["follow_up_of"], batch_size=BATCH
        )
        through = Visit.institutions.through
        through.objects.bulk_create(
            [through(visit_id=v.pk, institution_id=i.pk) for v, i in rows.visit_institutions],
            batch_size=BATCH,
        )
        TeamMember.objects.bulk_create(rows.team, batch_size=BATCH)
        record_visit_transitions(rows.transitions)
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
        record_report_transitions(rows.report_transitions)


def _last_visits(rows: VisitRows) -> int:
    """Institutions' `last_visited_on` follows the latest visit that took place."""
    if not rows.last_visits:
        return 0
    latest = dict(
        Visit.objects.filter(institutions__in=list(rows.last_visits), started_at__isnull=False)
        .exclude(state__in=[*NOT_STARTED_STATES, VisitState.CANCELLED])
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
def visits_bulk_create(rows: VisitRows, *, audit_data: Mapping[str, Any]) -> int:
    """Write `rows` (the system as actor); returns how many institutions' last visit moved.

    `audit_data` is added to each visit's `VISIT_CREATED` row (e.g. a demo-data marker)."""
    if not rows.visits:
        return 0
    plans: dict[int, AnnualPlan] = {}
    for year in sorted({v.planned_start.year for v in rows.visits}):
        plans[year] = plan_get_or_create(actor=None, year=year)
    for visit in rows.visits:
        visit.plan = plans[visit.planned_start.year]
    _write(rows)
    moved = _last_visits(rows)
    audit_records_bulk(
        actor=None,
        action=AuditAction.VISIT_CREATED,
        entries=[
            (v, {"plan": v.planned_start.year, "state": v.state, **audit_data}) for v in rows.visits
        ],
        batch_size=BATCH,
    )
    return moved
