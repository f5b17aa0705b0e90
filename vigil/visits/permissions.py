"""Who may see and do what with visits and everything recorded during them. Default: deny.

Rules (docs/permissions.md):
- coordinators, administrators and auditors see every visit; regional representatives the
  visits in their regions; monitors the visits whose team they are on;
- an agency liaison sees only visits that have started (never a plan, a future date or a
  target), of institutions of its agency subtree, and nothing recorded inside them;
- working material (checklists, findings, notes, interviews, attachments) is written by the
  team and by planners in scope; read by them and by auditors;
- interview content: the visit's team, coordinators and regional representatives in scope,
  each read logged; sealed identities: the same people, by an explicit logged unseal;
- a report is approved by a coordinator;
- checklist templates are read (and downloaded as XLSForms) by every signed-in account and
  imported from an XLSForm by coordinators and administrators;
- a legal hold (which stops disposal at the end of the retention period) is placed on a
  visit or a file, and lifted, by a coordinator; a file's sealed chain of custody is read,
  with a logged reason, by a coordinator who may download the file.
"""

from typing import TypeGuard

from django.db.models import QuerySet

from vigil.accounts.enums import Role
from vigil.accounts.models import User
from vigil.reference.selectors import agency_subtree_ids

from .enums import NOT_STARTED_STATES, ReportState, VisitState
from .models import Attachment, Finding, Interview, Visit, VisitReport

_ALL_VISITS = (Role.ADMIN, Role.COORDINATOR, Role.AUDITOR)
# The roles that write working material on the visits in their scope (the team, planners).
_WRITERS = (Role.COORDINATOR, Role.REGIONAL, Role.MONITOR)

FINDINGS_OPEN_STATES = frozenset(
    {VisitState.ON_SITE, VisitState.DEBRIEFED, VisitState.REPORT_DRAFT, VisitState.REPORT_REVIEW}
)
"""The visit states in which findings are recorded and changed: from the start of the visit
until the report is approved."""

ANSWERING_STATES = frozenset({VisitState.ON_SITE, VisitState.DEBRIEFED})
"""The visit states in which checklists are started and answered: on site or debriefed
(answers may be completed after the visit, until the report is drafted)."""


def _active(user: User | None) -> TypeGuard[User]:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _in_region(user: User, visit: Visit) -> bool:
    return user.role == Role.REGIONAL and user.regions.filter(pk=visit.region_id).exists()


def is_on_team(user: User | None, visit: Visit) -> bool:
    return _active(user) and visit.team.filter(participant__user=user).exists()


def is_team_lead(user: User | None, visit: Visit) -> bool:
    return _active(user) and visit.team.filter(participant__user=user, is_lead=True).exists()


def visits_visible_to(user: User | None) -> QuerySet[Visit]:
    qs = Visit.objects.all()
    if _active(user):
        if user.role in _ALL_VISITS:
            return qs
        if user.role == Role.REGIONAL:
            return qs.filter(region__in=user.regions.all())
        if user.role == Role.MONITOR:
            return qs.filter(pk__in=Visit.objects.filter(team__participant__user=user).values("pk"))
        if user.role == Role.LIAISON:
            subtree = agency_subtree_ids(user.agency)
            started = qs.exclude(state__in=NOT_STARTED_STATES).exclude(started_at__isnull=True)
            return started.filter(
                pk__in=Visit.objects.filter(institutions__agency_id__in=subtree).values("pk")
            )
    return qs.none()


def can_view_visit(user: User | None, visit: Visit) -> bool:
    return visits_visible_to(user).filter(pk=visit.pk).exists()


def can_plan_visits(user: User | None, region_ids: list[int] | None = None) -> bool:
    """Create visits and annual plans: coordinators, admins; regional reps in their regions."""
    if not _active(user):
        return False
    if user.role in (Role.ADMIN, Role.COORDINATOR):
        return True
    if user.role == Role.REGIONAL:
        if not region_ids:
            return True
        own = set(user.regions.values_list("pk", flat=True))
        return set(region_ids) <= own
    return False


def can_manage_visit(user: User | None, visit: Visit) -> bool:
    """Edit the visit, its team and its life cycle: planners in scope."""
    return _active(user) and (
        user.role in (Role.ADMIN, Role.COORDINATOR) or _in_region(user, visit)
    )


def can_work_on_visit(user: User | None, visit: Visit) -> bool:
    """Write working material (checklists, findings, notes, interviews, attachments)."""
    if not _active(user) or user.role in (Role.LIAISON, Role.AUDITOR, Role.ADMIN):
        return False
    return user.role == Role.COORDINATOR or _in_region(user, visit) or is_on_team(user, visit)


def can_import_submissions(user: User | None) -> bool:
    """Import submissions exported from KoBoToolbox or ODK Central: those who fill checklists
    (each row is then checked against the visit it names, `can_work_on_visit`)."""
    return _active(user) and user.role in (Role.COORDINATOR, Role.REGIONAL, Role.MONITOR)


def collect_visits_for(user: User | None) -> QuerySet[Visit]:
    """The visits whose capture forms the user's ODK Collect lists and accepts: only those
    they are on the team of, while checklists are filled (`ANSWERING_STATES`)."""
    if not _active(user) or user.role in (Role.LIAISON, Role.AUDITOR, Role.ADMIN):
        return Visit.objects.none()
    on_team = Visit.objects.filter(team__participant__user=user).values("pk")
    return Visit.objects.filter(pk__in=on_team, state__in=ANSWERING_STATES)


def can_view_working_material(user: User | None, visit: Visit) -> bool:
    """Read checklists, findings, notes and the list of interviews (not their content)."""
    if not _active(user) or user.role in (Role.LIAISON, Role.ADMIN):
        return False
    return user.role == Role.AUDITOR or can_work_on_visit(user, visit)


def writes_working_material(user: User | None) -> bool:
    """Whether the user's role writes working material at all (which visits: see
    `can_work_on_visit`): coordinators, regional representatives, monitors."""
    return _active(user) and user.role in _WRITERS


def reads_working_material(user: User | None) -> bool:
    """Whether the user's role reads working material at all (which visits: see
    `can_view_working_material`): those who write it, and auditors."""
    return _active(user) and user.role in (*_WRITERS, Role.AUDITOR)


def can_write_findings(user: User | None, visit: Visit) -> bool:
    """Record, edit or delete a finding: those who work on the visit (`can_work_on_visit`),
    from the start of the visit until its report is approved (`findings_open`)."""
    return can_work_on_visit(user, visit) and findings_open(visit)


def findings_open(visit: Visit) -> bool:
    """Whether the visit's findings may be written now (its life cycle, whoever asks)."""
    report = getattr(visit, "report", None)
    if report is not None and report.state == ReportState.APPROVED:
        return False
    return visit.state in FINDINGS_OPEN_STATES


def can_answer_checklist(user: User | None, visit: Visit) -> bool:
    """Start or answer a checklist on the visit now: those who work on it, while it is on
    site or debriefed (`ANSWERING_STATES`)."""
    return visit.state in ANSWERING_STATES and can_work_on_visit(user, visit)


def can_read_interview(user: User | None, interview: Interview) -> bool:
    """Read interview content (each read is logged): the team and planners in scope."""
    visit = interview.visit
    if not _active(user) or not writes_working_material(user):
        return False
    return user.role == Role.COORDINATOR or _in_region(user, visit) or is_on_team(user, visit)


def can_unseal_identity(user: User | None, interview: Interview) -> bool:
    """Unseal the interviewee's identity, with a reason: coordinators and the visit's team."""
    return can_read_interview(user, interview)


def can_review_reports(user: User | None) -> bool:
    """Return reports to the team or approve them (the reports awaiting review): coordinators."""
    return _active(user) and user.role == Role.COORDINATOR


def can_approve_report(user: User | None, visit: Visit) -> bool:
    return can_review_reports(user)


def can_move_report(user: User | None, visit: Visit, target: str) -> bool:
    """Besides the visit's transition table: returning a report to the team (to DRAFT) or
    approving it is for those who review reports; submitting it, for those who work on the
    visit."""
    if target in (ReportState.DRAFT, ReportState.APPROVED):
        return can_approve_report(user, visit)
    return can_work_on_visit(user, visit)


def can_edit_report(user: User | None, report: VisitReport) -> bool:
    """Change a report's draft (narrative, language, findings selected)."""
    return report.state == ReportState.DRAFT and can_work_on_visit(user, report.visit)


def can_download_attachment(user: User | None, attachment: Attachment) -> bool:
    if attachment.interview_id is not None:
        return can_read_interview(user, attachment.interview)  # type: ignore[arg-type]
    return can_view_working_material(user, attachment.visit)


def interviews_visible_to(user: User | None) -> QuerySet[Interview]:
    """Interviews whose existence (pseudonym, flags) a user may see; content needs a read."""
    qs = Interview.objects.all()
    if not _active(user) or user.role in (Role.LIAISON, Role.ADMIN):
        return qs.none()
    return qs.filter(visit__in=visits_visible_to(user))


def embargoed(visit: Visit) -> bool:
    """A visit that has not started: its date and target are never shown to authorities."""
    return visit.state in NOT_STARTED_STATES or visit.started_at is None


def working_material_visible_to(user: User | None) -> QuerySet[Visit]:
    """The visits whose working material (findings, notes, report drafts) a user may read:
    the list form of `can_view_working_material`, for lists and the API."""
    if not _active(user) or user.role in (Role.LIAISON, Role.ADMIN):
        return Visit.objects.none()
    return visits_visible_to(user)


def can_view_visit_details(user: User | None, visit: Visit) -> bool:
    """Title, objectives, trigger, planned dates, team and history of a visible visit.

    An agency liaison sees only the institution, the state and the actual dates of a
    visit that has started; everyone else who sees the visit sees its details."""
    return _active(user) and user.role != Role.LIAISON and can_view_visit(user, visit)


def can_view_plans(user: User | None) -> bool:
    """The annual plan pages (regional representatives: their regions' visits)."""
    return _active(user) and user.role in (
        Role.ADMIN,
        Role.COORDINATOR,
        Role.REGIONAL,
        Role.AUDITOR,
    )


def can_edit_plan(user: User | None) -> bool:
    """A plan's title and notes: coordinators and administrators."""
    return _active(user) and user.role in (Role.ADMIN, Role.COORDINATOR)


def attachments_visible_to(user: User | None) -> QuerySet[Attachment]:
    """The list form of `can_download_attachment`: files on visits whose working material
    the user may read; files on an interview only for those who may read interviews."""
    qs = Attachment.objects.filter(visit__in=working_material_visible_to(user))
    if not writes_working_material(user):
        qs = qs.filter(interview__isnull=True)
    return qs


def can_upload_attachment(
    user: User | None, visit: Visit, interview: Interview | None = None
) -> bool:
    """Add a photo or document: those who write the visit's working material; on an
    interview, only those who may also read it."""
    if not can_work_on_visit(user, visit):
        return False
    return interview is None or can_read_interview(user, interview)


def can_delete_attachment(user: User | None, attachment: Attachment) -> bool:
    """Remove a file (e.g. a photo showing a face by mistake): its uploader while they still
    work on the visit, or a planner in scope."""
    interview = attachment.interview if attachment.interview_id is not None else None
    if not can_upload_attachment(user, attachment.visit, interview):
        return False
    return attachment.uploaded_by_id == user.pk or can_manage_visit(user, attachment.visit)  # type: ignore[union-attr]


def can_view_checklist_templates(user: User | None) -> bool:
    """Checklist templates are not sensitive: every signed-in account reads them (and their
    XLSForm), as the API does."""
    return _active(user)


def can_manage_checklist_templates(user: User | None) -> bool:
    """Importing a template (XLSForm): coordinators and administrators."""
    return _active(user) and user.role in (Role.ADMIN, Role.COORDINATOR)


def can_list_visits(user: User | None) -> bool:
    """The visits list and its menu entry: every active account (each sees only the visits
    `visits_visible_to` gives it; a liaison, started visits of its agency's institutions)."""
    return _active(user)


def can_export_visits(user: User | None) -> bool:
    """Export a list of visits (CSV, XLSX): the NPM's roles and auditors, never an agency
    liaison (a file of visits to its institutions would chart the NPM's coverage)."""
    return can_see_visit_details(user)


def can_see_visit_details(user: User | None) -> bool:
    """For lists of visits already filtered by `visits_visible_to`: whether the rows may
    show details (title, planned dates, team). Agency liaisons see only started visits'
    institution, state and actual dates."""
    return _active(user) and user.role != Role.LIAISON


def can_record_interview(user: User | None, visit: Visit) -> bool:
    """Record an interview: those who work on the visit, once it has started."""
    return can_work_on_visit(user, visit) and not embargoed(visit)


def can_edit_interview(user: User | None, interview: Interview) -> bool:
    """Edit an interview, withdraw consent, mark a follow-up done: those who work on the
    visit and may read the interview."""
    return can_work_on_visit(user, interview.visit) and can_read_interview(user, interview)


def can_record_access_incident(user: User | None, visit: Visit) -> bool:
    """Delays, refusals, areas denied, obstruction: the team and planners in scope."""
    return can_work_on_visit(user, visit)


STAFF_NAME_FIELDS: frozenset[str] = frozenset(
    {
        "actor",
        "answered_by",
        "approved_by",
        "author",
        "conducted_by",
        "created_by",
        "recorded_by",
        "started_by",
        "team",
        "uploaded_by",
    }
)
"""The API fields of visits and their material that name NPM staff (the team, who recorded,
answered, uploaded, approved or moved something)."""


def visit_fields_hidden_from(user: User | None) -> frozenset[str]:
    """The fields the user may not read: the names of NPM staff are shown to the NPM's roles
    and auditors, never to an agency liaison (who meets none of these records but a started
    visit's institution, state and dates)."""
    if can_see_visit_details(user):
        return frozenset()
    return STAFF_NAME_FIELDS


def findings_visible_to(user: User | None) -> QuerySet[Finding]:
    """Every finding of the visits whose working material the user may read."""
    return Finding.objects.filter(visit__in=working_material_visible_to(user))


def can_hold_visit(user: User | None, visit: Visit) -> bool:
    """Place or lift a legal hold on a visit (its interviews and files): coordinators."""
    return _active(user) and user.role == Role.COORDINATOR and can_view_visit(user, visit)


def can_hold_attachment(user: User | None, attachment: Attachment) -> bool:
    """Place or lift a legal hold on one file: coordinators who may download it."""
    return (
        _active(user)
        and user.role == Role.COORDINATOR
        and can_download_attachment(user, attachment)
    )


def can_read_custody(user: User | None, attachment: Attachment) -> bool:
    """Read a file's sealed chain of custody (and check a candidate original against it),
    with a logged reason: coordinators who may download the file."""
    return (
        _active(user)
        and user.role == Role.COORDINATOR
        and can_download_attachment(user, attachment)
    )
