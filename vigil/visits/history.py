"""The visit's and the report's histories: the only places that build their rows.

`record_visit_step` and `record_report_step` are the `record` hooks of the transition tables
(`.workflow`, `.services.reports`): each move keeps its history row and its audit row. The
`new_*` builders make unsaved rows for the bulk paths (demo data), kept with `record_*`.
"""

import datetime
from collections.abc import Iterable

from vigil.accounts.models import User
from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_record
from vigil.core.transitions import Step

from .models import ReportTransition, Visit, VisitReport, VisitTransition

BATCH_SIZE = 2000


def new_visit_transition(
    visit: Visit,
    from_state: str,
    to_state: str,
    *,
    actor: User | None = None,
    note: str = "",
    occurred_at: datetime.datetime | None = None,
) -> VisitTransition:
    row = VisitTransition(
        visit=visit, from_state=from_state, to_state=to_state, actor=actor, note=note
    )
    if occurred_at is not None:
        row.occurred_at = occurred_at
    return row


def record_visit_transitions(rows: Iterable[VisitTransition]) -> list[VisitTransition]:
    return VisitTransition.objects.bulk_create(list(rows), batch_size=BATCH_SIZE)


def record_visit_step(step: Step[User, Visit]) -> VisitTransition:
    row = new_visit_transition(step.obj, step.source, step.target, actor=step.actor, note=step.note)
    row.save()
    audit_record(
        actor=step.actor,
        action=AuditAction.VISIT_TRANSITIONED,
        target=step.obj,
        data={"from": step.source, "to": step.target, "note": step.note},
        context=step.extra.get("context"),
    )
    return row


def new_report_transition(
    report: VisitReport,
    from_state: str,
    to_state: str,
    *,
    actor: User | None = None,
    note: str = "",
    occurred_at: datetime.datetime | None = None,
) -> ReportTransition:
    row = ReportTransition(
        report=report, from_state=from_state, to_state=to_state, actor=actor, note=note
    )
    if occurred_at is not None:
        row.occurred_at = occurred_at
    return row


def record_report_transitions(rows: Iterable[ReportTransition]) -> list[ReportTransition]:
    return ReportTransition.objects.bulk_create(list(rows), batch_size=BATCH_SIZE)


def record_report_step(step: Step[User | None, VisitReport]) -> ReportTransition:
    report = step.obj
    row = new_report_transition(report, step.source, step.target, actor=step.actor, note=step.note)
    row.save()
    audit_record(
        actor=step.actor,
        action=AuditAction.REPORT_TRANSITIONED,
        target=report,
        data={
            "visit": report.visit.reference,
            "from": step.source,
            "to": step.target,
            "note": step.note,
        },
        context=step.extra.get("context"),
    )
    return row
