"""Writes to findings and internal notes: permission-checked, validated, audited.

Findings are written by the visit's team and by planners in scope (`can_work_on_visit`),
from the moment the visit starts until its report is approved. Internal notes are the
team's working material: written by the same people, never part of a report.

Audit rows name what changed but never carry a finding's description or a note's text:
the audit log is read by administrators, who may not read working material.
"""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_record
from vigil.registry.models import Institution

from ..enums import EvidenceKind, VisitState
from ..models import Attachment, ChecklistAnswer, Finding, InternalNote, Visit
from ..permissions import can_work_on_visit, findings_open

S = VisitState

_BEFORE_VISIT = frozenset({S.DRAFT, S.PLANNED, S.PREPARED, S.POSTPONED})

FINDING_FIELDS = (
    "institution",
    "theme",
    "severity",
    "title",
    "description",
    "evidence_kinds",
    "standard_references",
    "root_cause",
)
# Free text that may describe what was seen in detail: named in the audit, never copied.
_REDACTED_FIELDS = frozenset({"description"})
_EDITED = "[edited]"


def findings_refusal(visit: Visit) -> str | None:
    """Why the visit's findings cannot be written now (`findings_open`), or None when they
    can."""
    if findings_open(visit):
        return None
    if visit.state == S.CANCELLED:
        return _("The visit is cancelled.")
    if visit.state in _BEFORE_VISIT:
        return _("Findings are recorded once the visit has started.")
    return _("The report on this visit is approved: its findings can no longer be changed.")


def _check_writable(actor: User, visit: Visit) -> None:
    if not can_work_on_visit(actor, visit):
        raise PermissionDenied
    refusal = findings_refusal(visit)
    if refusal:
        raise ValidationError(refusal)


def _normalise_kinds(kinds: Iterable[str] | None) -> list[str]:
    """Evidence kinds in the taxonomy's order; unknown or repeated ones left for clean()."""
    given = list(kinds or [])
    if len(set(given)) != len(given) or any(k not in EvidenceKind.values for k in given):
        return given
    return [k for k in EvidenceKind.values if k in given]


def _check_institution(visit: Visit, institution: Institution | None) -> Institution:
    if institution is None or not visit.institutions.filter(pk=institution.pk).exists():
        raise ValidationError({"institution": _("Choose one of the institutions visited.")})
    return institution


def _check_answers(
    visit: Visit, institution: Institution, answers: Iterable[ChecklistAnswer]
) -> list[ChecklistAnswer]:
    answers = list(answers)
    ids = {a.pk for a in answers}
    valid = set(
        ChecklistAnswer.objects.filter(
            pk__in=ids,
            response__visit=visit,
            response__institution=institution,
            value__isnull=False,
        ).values_list("pk", flat=True)
    )
    if ids - valid:
        raise ValidationError(
            {
                "answers": _(
                    "Link only checklist answers given for this institution during this visit."
                )
            }
        )
    return answers


def _audit_value(finding: Finding, name: str) -> Any:
    value = getattr(finding, name)
    if name == "institution":
        return str(value.public_id) if value is not None else None
    return list(value) if isinstance(value, list) else value


def _snapshot(finding: Finding) -> dict[str, Any]:
    return {
        name: _audit_value(finding, name) for name in FINDING_FIELDS if name not in _REDACTED_FIELDS
    }


@transaction.atomic
def finding_create(
    *,
    actor: User,
    visit: Visit,
    data: dict[str, Any],
    context: RequestContext | None = None,
) -> Finding:
    """Record a finding. `data` holds FINDING_FIELDS and, optionally, `answers`
    (checklist answers of the same visit and institution)."""
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    _check_writable(actor, visit)
    institution = _check_institution(visit, data.get("institution"))
    answers = _check_answers(visit, institution, data.get("answers") or [])
    finding = Finding(
        visit=visit,
        created_by=actor,
        **{k: v for k, v in data.items() if k in FINDING_FIELDS},
    )
    finding.evidence_kinds = _normalise_kinds(finding.evidence_kinds)
    finding.full_clean()
    finding.save()
    finding.answers.set(answers)
    audit_record(
        actor=actor,
        action=AuditAction.FINDING_CREATED,
        target=finding,
        data={
            "visit": visit.reference,
            "fields": _snapshot(finding),
            "answers": sorted(str(a.public_id) for a in answers),
        },
        context=context,
    )
    return finding


@transaction.atomic
def finding_update(
    *,
    actor: User,
    finding: Finding,
    data: dict[str, Any],
    context: RequestContext | None = None,
) -> dict[str, list[Any]]:
    """Change a finding; returns the changed fields ({} and no audit row when none)."""
    visit = Visit.objects.select_for_update().get(pk=finding.visit_id)
    _check_writable(actor, visit)
    finding = Finding.objects.select_related("institution").get(pk=finding.pk)
    before = _snapshot(finding)
    before_text = {name: getattr(finding, name) for name in _REDACTED_FIELDS}
    before_answers = set(finding.answers.values_list("pk", flat=True))
    for name, value in data.items():
        if name in FINDING_FIELDS:
            setattr(finding, name, value)
    finding.evidence_kinds = _normalise_kinds(finding.evidence_kinds)
    _check_institution(visit, finding.institution)
    if "answers" in data:
        answers = _check_answers(visit, finding.institution, data["answers"] or [])
    else:
        # Answers stay linked only while they belong to the finding's institution.
        answers = _check_answers(visit, finding.institution, finding.answers.all())
    finding.full_clean()
    after = _snapshot(finding)
    changes: dict[str, list[Any]] = {
        name: [before.get(name), value] for name, value in after.items() if before[name] != value
    }
    for name in _REDACTED_FIELDS:
        if getattr(finding, name) != before_text[name]:
            changes[name] = [_EDITED, _EDITED]
    after_answers = {a.pk for a in answers}
    if after_answers != before_answers:
        changes["answers"] = [len(before_answers), len(after_answers)]
    if not changes:
        return {}
    finding.save()
    finding.answers.set(answers)
    audit_record(
        actor=actor,
        action=AuditAction.FINDING_UPDATED,
        target=finding,
        data={"visit": visit.reference, "changes": changes},
        context=context,
    )
    return changes


@transaction.atomic
def finding_delete(*, actor: User, finding: Finding, context: RequestContext | None = None) -> None:
    """Delete a finding. Its photos and documents stay with the visit (unlinked), so that
    no evidence is lost with it."""
    visit = Visit.objects.select_for_update().get(pk=finding.visit_id)
    _check_writable(actor, visit)
    kept = Attachment.objects.filter(finding=finding).update(finding=None)
    audit_record(
        actor=actor,
        action=AuditAction.FINDING_DELETED,
        target=finding,
        data={"visit": visit.reference, "fields": _snapshot(finding), "attachments_kept": kept},
        context=context,
    )
    finding.delete()


@transaction.atomic
def note_create(
    *,
    actor: User,
    visit: Visit,
    kind: str,
    text: str,
    context: RequestContext | None = None,
) -> InternalNote:
    """Add an internal note: the team's working material, never part of a report."""
    if not can_work_on_visit(actor, visit):
        raise PermissionDenied
    if visit.state == VisitState.CANCELLED:
        raise ValidationError(_("The visit is cancelled: no notes can be added."))
    note = InternalNote(visit=visit, author=actor, kind=kind, text=(text or "").strip())
    note.full_clean()
    note.save()
    audit_record(
        actor=actor,
        action=AuditAction.NOTE_CREATED,
        target=note,
        data={"visit": visit.reference, "kind": note.kind},
        context=context,
    )
    return note
