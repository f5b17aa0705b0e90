"""The visit report: DRAFT → REVIEW → APPROVED, kept in step with the visit's life cycle.

The report's own moves are a transition table (`TABLE`, on the engine of
`vigil.core.transitions`); each one makes the matching
visit move through `visit_transition(..., via_report=True)`, so that the visit and its
report never disagree. Who may make a move is the visit's transition table
(`vigil.visits.workflow`) together with the permission policy: the team lead or a planner
in scope starts and submits the report, a coordinator returns or approves it. Every move
is kept as a `ReportTransition` and audited (the table's `record` hook, `..history`).

Audit rows never copy the narrative: the audit log is read by administrators, who may not
read working material.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_record
from vigil.core.documents import CONTENT_TYPES
from vigil.core.transitions import Message, Move, Requirement, TransitionTable

from .. import workflow
from ..enums import ReportState, VisitState
from ..history import record_report_step
from ..models import Finding, TeamMember, Visit, VisitReport
from ..permissions import can_move_report, can_view_working_material, can_work_on_visit
from .visits import visit_transition

R = ReportState
V = VisitState

# The visit state that goes with each report state.
VISIT_STATE_OF = {R.DRAFT: V.REPORT_DRAFT, R.REVIEW: V.REPORT_REVIEW, R.APPROVED: V.REPORT_APPROVED}
REPORT_FIELDS = ("language", "introduction", "conclusion")
_REDACTED_FIELDS = frozenset({"introduction", "conclusion"})
_EDITED = "[edited]"


ReportWho = Callable[[User | None, VisitReport], bool]


def _who(source: str, target: str) -> ReportWho:
    """A report move is allowed to whom the visit's matching move is, and whom the policy
    lets make it (`can_move_report`)."""
    step = workflow.find(VISIT_STATE_OF[R(source)], VISIT_STATE_OF[R(target)])

    def who(user: User | None, report: VisitReport) -> bool:
        visit = report.visit
        return (
            user is not None
            and step is not None
            and step.who(user, visit)
            and can_move_report(user, visit, target)
        )

    return who


def _findings_selected(report: VisitReport) -> dict[str, list[str]]:
    if report.findings.exists():
        return {}
    return {
        "findings": [
            _("A report without findings cannot be approved: select at least one finding.")
        ]
    }


def _refused(source: str, action: str) -> dict[str, str]:
    return {
        "action": _("A report in the state “%(state)s” cannot be given this step.")
        % {"state": R(source).label}
    }


class ReportMove(Move[User | None, VisitReport]):
    @property
    def action(self) -> str:
        return self.name


def _report_move(
    action: str,
    source: str,
    target: str,
    label: Message,
    *,
    needs_note: bool = False,
) -> ReportMove:
    return ReportMove(
        source,
        target,
        label,
        _who(source, target),
        name=action,
        requires=(NOTE,) if needs_note else (),
        conditions=(_findings_selected,) if target == R.APPROVED else (),
    )


NOTE = Requirement("note", gettext_lazy("Say what the team should change."))
REPORT_MOVES: tuple[ReportMove, ...] = (
    _report_move("submit", R.DRAFT, R.REVIEW, gettext_lazy("Submit for review")),
    _report_move("return", R.REVIEW, R.DRAFT, gettext_lazy("Return to the team"), needs_note=True),
    _report_move("approve", R.REVIEW, R.APPROVED, gettext_lazy("Approve the report")),
)
MOVE_BY_ACTION = {m.action: m for m in REPORT_MOVES}
TABLE: TransitionTable[User | None, VisitReport] = TransitionTable(
    REPORT_MOVES, refused=_refused, record=record_report_step
)


def available_report_moves(user: User | None, report: VisitReport) -> list[ReportMove]:
    """The moves this user may make now: the buttons on the report page."""
    return cast(list[ReportMove], TABLE.available(user, report))


def may_start_report(user: User | None, visit: Visit) -> bool:
    """Whether the user is one who starts the visit's report (once the visit is debriefed)."""
    step = workflow.find(V.DEBRIEFED, V.REPORT_DRAFT)
    return (
        user is not None
        and step is not None
        and step.who(user, visit)
        and can_work_on_visit(user, visit)
    )


def can_start_report(user: User | None, visit: Visit) -> bool:
    return (
        visit.state == V.DEBRIEFED
        and may_start_report(user, visit)
        and not VisitReport.objects.filter(visit=visit).exists()
    )


def may_move_report(user: User | None, report: VisitReport) -> bool:
    """Whether the user may make any move on the report (submit, return, approve)."""
    return TABLE.may_move(user, report)


def default_language(visit: Visit) -> str:
    """The team's language: the lead's preferred language, else the site's."""
    codes = [code for code, _label in settings.LANGUAGES]
    lead = (
        TeamMember.objects.filter(visit=visit, is_lead=True)
        .select_related("participant__user")
        .first()
    )
    preferred = (lead.participant.user.preferred_language or "")[:2] if lead else ""
    if preferred in codes:
        return preferred
    site = settings.LANGUAGE_CODE[:2]
    return site if site in codes else codes[0]


def _check_findings(visit: Visit, findings: list[Finding]) -> None:
    if any(f.visit_id != visit.pk for f in findings):
        raise ValidationError({"findings": _("Select only findings of this visit.")})


@transaction.atomic
def report_create(
    *,
    actor: User,
    visit: Visit,
    language: str | None = None,
    context: RequestContext | None = None,
) -> VisitReport:
    """Start the report once the visit is debriefed; the visit moves to REPORT_DRAFT.

    The report is in the team's language (`language`, else `default_language`) and starts
    with every finding of the visit selected."""
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if VisitReport.objects.filter(visit=visit).exists():
        raise ValidationError(_("This visit already has a report."))
    if not may_start_report(actor, visit):
        raise PermissionDenied
    if visit.state != V.DEBRIEFED:
        raise ValidationError(
            {"state": _("The report is started once the visit has ended and been debriefed.")}
        )
    report = VisitReport(
        visit=visit,
        language=language or default_language(visit),
        state=R.DRAFT,
        created_by=actor,
    )
    report.full_clean()
    report.save()
    findings = list(Finding.objects.filter(visit=visit))
    report.findings.set(findings)
    visit_transition(
        actor=actor, visit=visit, to_state=V.REPORT_DRAFT, via_report=True, context=context
    )
    report.visit.refresh_from_db()
    audit_record(
        actor=actor,
        action=AuditAction.REPORT_CREATED,
        target=report,
        data={"visit": visit.reference, "language": report.language, "findings": len(findings)},
        context=context,
    )
    return report


@transaction.atomic
def report_update(
    *,
    actor: User,
    report: VisitReport,
    data: dict[str, Any],
    context: RequestContext | None = None,
) -> dict[str, list[Any]]:
    """Change the narrative, the language or the selected findings, while a draft.

    `data` may hold REPORT_FIELDS and `findings` (findings of the same visit). Returns the
    changed fields ({} and no audit row when nothing changed)."""
    report = VisitReport.objects.select_for_update().select_related("visit").get(pk=report.pk)
    visit = report.visit
    if not can_work_on_visit(actor, visit):
        raise PermissionDenied
    if report.state != R.DRAFT:
        raise ValidationError(
            _("The report can be changed only while it is a draft; ask for it to be returned.")
        )
    before = {name: getattr(report, name) for name in REPORT_FIELDS}
    before_findings = set(report.findings.values_list("pk", flat=True))
    for name, value in data.items():
        if name in REPORT_FIELDS:
            setattr(report, name, value if value is not None else "")
    report.full_clean()
    changes: dict[str, list[Any]] = {}
    for name in REPORT_FIELDS:
        if getattr(report, name) != before[name]:
            changes[name] = (
                [_EDITED, _EDITED]
                if name in _REDACTED_FIELDS
                else [before[name], getattr(report, name)]
            )
    findings: list[Finding] | None = None
    if "findings" in data:
        findings = list(data["findings"] or [])
        _check_findings(visit, findings)
        after_findings = {f.pk for f in findings}
        if after_findings != before_findings:
            changes["findings"] = [len(before_findings), len(after_findings)]
    if not changes:
        return {}
    report.save()
    if findings is not None:
        report.findings.set(findings)
    audit_record(
        actor=actor,
        action=AuditAction.REPORT_UPDATED,
        target=report,
        data={"visit": visit.reference, "changes": changes},
        context=context,
    )
    return changes


@transaction.atomic
def report_transition(
    *,
    actor: User,
    report: VisitReport,
    action: str,
    note: str = "",
    context: RequestContext | None = None,
) -> VisitReport:
    """Make one of REPORT_MOVES (`submit`, `return`, `approve`) and the visit's matching move."""
    report = VisitReport.objects.select_for_update().select_related("visit").get(pk=report.pk)
    values = {"note": (note or "").strip()}
    move = TABLE.check(actor, report, name=action, values=values)
    visit_transition(
        actor=actor,
        visit=report.visit,
        to_state=VISIT_STATE_OF[R(move.target)],
        note=values["note"],
        via_report=True,
        context=context,
    )
    report.visit.refresh_from_db()

    def save(moved: VisitReport) -> None:
        if moved.state == R.APPROVED:
            moved.approved_by = actor
            moved.approved_at = timezone.now()
        moved.full_clean()
        moved.save()

    TABLE.apply(actor, report, move, values=values, extra={"context": context}, save=save)
    return report


def report_submit(
    *, actor: User, report: VisitReport, note: str = "", context: RequestContext | None = None
) -> VisitReport:
    """DRAFT → REVIEW (the visit: REPORT_DRAFT → REPORT_REVIEW): the lead or a planner."""
    return report_transition(
        actor=actor, report=report, action="submit", note=note, context=context
    )


def report_return(
    *, actor: User, report: VisitReport, note: str, context: RequestContext | None = None
) -> VisitReport:
    """REVIEW → DRAFT with a note saying what to change: a coordinator."""
    return report_transition(
        actor=actor, report=report, action="return", note=note, context=context
    )


def report_approve(
    *, actor: User, report: VisitReport, note: str = "", context: RequestContext | None = None
) -> VisitReport:
    """REVIEW → APPROVED (the visit: REPORT_APPROVED): a coordinator; needs a finding."""
    return report_transition(
        actor=actor, report=report, action="approve", note=note, context=context
    )


# ---------------------------------------------------------------- exports

ExportFormat = Literal["pdf", "docx"]


@dataclass(frozen=True)
class ExportedReport:
    content: bytes
    filename: str
    content_type: str


def report_filename(report: VisitReport, fmt: str, day: datetime.date | None = None) -> str:
    day = day or timezone.localdate()
    reference = slugify(report.visit.reference) or "visit"
    return f"report-{reference}-{report.language}-{day.isoformat()}.{fmt}"


@transaction.atomic
def report_export(
    *,
    actor: User,
    report: VisitReport,
    fmt: ExportFormat,
    context: RequestContext | None = None,
) -> ExportedReport:
    """The report as a PDF or DOCX document, in its own language; audited."""
    # Imported here: the document builders load WeasyPrint and python-docx.
    from ..documents import build_docx, build_pdf
    from ..selectors.reports import report_document

    if fmt not in CONTENT_TYPES:
        raise ValidationError({"format": _("Choose PDF or DOCX.")})
    if not can_view_working_material(actor, report.visit):
        raise PermissionDenied
    with translation.override(report.language):
        document = report_document(report)
        content = build_pdf(document) if fmt == "pdf" else build_docx(document)
    audit_record(
        actor=actor,
        action=AuditAction.REPORT_EXPORTED,
        target=report,
        data={
            "visit": report.visit.reference,
            "format": fmt,
            "state": report.state,
            "language": report.language,
        },
        context=context,
    )
    return ExportedReport(
        content=content,
        filename=report_filename(report, fmt),
        content_type=CONTENT_TYPES[fmt],
    )
