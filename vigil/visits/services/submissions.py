"""Filled capture forms received from devices (OpenRosa) or from exports of submissions
(KoBoToolbox, ODK Central), saved through the services the web pages use: checklist answers
(`checklists.checklist_answer`, with its value checks and conflict rule), findings
(`findings.finding_create` / `finding_update`) and photos (`attachments.attachment_upload`:
type checked, metadata stripped, encrypted).

An instance is received once (its instance id): a second copy changes nothing but may bring
the photos the first one announced. An edited instance (`deprecated_id`) is a new revision,
compared with the one it replaces: an answer or finding is changed only where the saved one
is still what the previous revision left; where someone changed it since, the device's
version is recorded as a conflict and nothing is overwritten. All or nothing: a value that
fails its check names the question or finding entry, and nothing is written."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_record
from vigil.registry.models import Institution

from ..enums import EvidenceKind, QuestionKind
from ..models import (
    ChecklistAnswer,
    ChecklistQuestion,
    ChecklistResponse,
    DeviceSubmission,
    Finding,
    SubmissionSource,
    Visit,
)
from ..openrosa.instance import FindingEntry, SubmittedInstance
from ..permissions import can_work_on_visit
from ..selectors.checklists import template_for_institution
from ..xlsform.format import xml_name
from .attachments import attachment_upload
from .checklists import (
    ChecklistAnswerConflict,
    answer_revision,
    checklist_answer,
    checklist_start,
    checklist_value_clean,
)
from .findings import finding_create, finding_update

SNAPSHOT = ("theme", "severity", "title", "description")


@dataclass(frozen=True)
class SubmissionOutcome:
    submission: DeviceSubmission
    created: bool  # False: this instance had been received (nothing changed)


def _raw_value(question: ChecklistQuestion, raw: str) -> Any:
    if question.kind == QuestionKind.MULTIPLE_CHOICE:
        return raw.split()
    return raw


def capture_questions(template_id: int) -> dict[str, ChecklistQuestion]:
    """A template's questions in use, by their name in the capture form."""
    questions = ChecklistQuestion.objects.filter(template=template_id, is_active=True)
    return {xml_name(q.code): q for q in questions}


def check_instance(institution: Institution, instance: SubmittedInstance) -> dict[str, list[str]]:
    """What is wrong with an instance's values for the institution's checklist, by question
    code or finding entry (empty: nothing); writes nothing."""
    template = template_for_institution(institution)
    if template is None:
        return {"institution": [_("There is no checklist template for this institution.")]}
    return _problems(capture_questions(template.pk), instance)


def _problems(
    questions: dict[str, ChecklistQuestion], instance: SubmittedInstance
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name, raw in instance.answers.items():
        question = questions.get(name)
        if question is None:
            continue
        try:
            checklist_value_clean(question, _raw_value(question, raw))
        except ValidationError as exc:
            errors[question.code] = [m for ms in exc.message_dict.values() for m in ms]
    for index, entry in enumerate(instance.findings, start=1):
        for message in _finding_problems(entry):
            errors.setdefault(_("finding %(number)d") % {"number": index}, []).append(message)
    return errors


def _finding_problems(entry: FindingEntry) -> list[str]:
    """The Finding model's own checks of the entry's fields (choices, lengths, required)."""
    try:
        Finding(**_fields(entry)).clean_fields(
            exclude=[f.name for f in Finding._meta.fields if f.name not in SNAPSHOT]
        )
    except ValidationError as exc:
        labels = {f.name: f.verbose_name for f in Finding._meta.fields}
        return [
            f"{labels[name]}: {message}"
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    return []


def _fields(entry: FindingEntry) -> dict[str, str]:
    return {name: getattr(entry, name).strip() for name in SNAPSHOT}


def _snapshot(finding: Finding) -> dict[str, str]:
    return {name: getattr(finding, name) for name in SNAPSHOT}


class _Receipt:
    """What one submission did, kept on its row."""

    def __init__(self, previous: DeviceSubmission | None) -> None:
        self.previous = previous
        self.bases: dict[str, Any] = {"answers": {}, "findings": [], "files": []}
        self.conflicts: list[dict[str, Any]] = []
        self.counts = dict.fromkeys(("saved", "unchanged", "created", "updated"), 0)

    def previous_bases(self, key: str) -> Any:
        default: Any = {} if key == "answers" else []
        return self.previous.bases.get(key, default) if self.previous else default


def _save_answers(
    actor: User,
    response: ChecklistResponse,
    questions: dict[str, ChecklistQuestion],
    instance: SubmittedInstance,
    receipt: _Receipt,
    context: RequestContext | None,
) -> None:
    saved = {a.question_id: a for a in ChecklistAnswer.objects.filter(response=response)}
    earlier = receipt.previous_bases("answers")
    for name, raw in instance.answers.items():
        question = questions.get(name)
        if question is None:
            continue
        value = _raw_value(question, raw)
        base = earlier.get(question.code, "")
        before = answer_revision(saved.get(question.pk))
        try:
            answer = checklist_answer(
                actor=actor,
                response=response,
                question=question,
                value=value,
                base=base,
                context=context,
            )
        except ChecklistAnswerConflict as conflict:
            receipt.conflicts.append(
                {
                    "question": question.code,
                    "device": conflict.value,
                    "saved": conflict.answer.value,
                }
            )
            receipt.bases["answers"][question.code] = base
            continue
        after = answer_revision(answer)
        receipt.bases["answers"][question.code] = after
        receipt.counts["saved" if after != before else "unchanged"] += 1


def _save_findings(
    actor: User,
    visit: Visit,
    institution: Institution,
    instance: SubmittedInstance,
    receipt: _Receipt,
    context: RequestContext | None,
) -> list[Finding | None]:
    """The finding each entry wrote (or left), by position."""
    earlier = receipt.previous_bases("findings")
    written: list[Finding | None] = []
    for index, entry in enumerate(instance.findings):
        fields = _fields(entry)
        kinds = [EvidenceKind.OBSERVATION.value] + (
            [EvidenceKind.PHOTO.value] if entry.photo else []
        )
        before = earlier[index] if index < len(earlier) else None
        finding = Finding.objects.filter(public_id=before["id"]).first() if before else None
        if finding is None:
            finding = finding_create(
                actor=actor,
                visit=visit,
                data={"institution": institution, "evidence_kinds": kinds, **fields},
                context=context,
            )
            receipt.counts["created"] += 1
        elif before is not None and fields != before["fields"]:
            if _snapshot(finding) != before["fields"]:
                receipt.conflicts.append(
                    {
                        "finding": str(finding.public_id),
                        "device": fields,
                        "saved": _snapshot(finding),
                    }
                )
                receipt.bases["findings"].append(before)
                written.append(finding)
                continue
            finding_update(actor=actor, finding=finding, data=fields, context=context)
            receipt.counts["updated"] += 1
        receipt.bases["findings"].append({"id": str(finding.public_id), "fields": fields})
        written.append(finding)
    return written


def _receive_files(
    actor: User,
    visit: Visit,
    wanted: dict[str, dict[str, Any]],
    files: Mapping[str, File],  # type: ignore[type-arg]
    context: RequestContext | None,
) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Store the wanted files that came; returns those still awaited and those received."""
    received = []
    for name, about in sorted(wanted.items()):
        upload = files.get(name)
        if upload is None:
            continue
        finding = (
            Finding.objects.filter(public_id=about["finding"]).first() if about["finding"] else None
        )
        attachment_upload(
            actor=actor,
            visit=visit,
            file=upload,
            name=name,
            description=about["description"],
            finding=finding,
            context=context,
        )
        received.append(name)
    return {k: v for k, v in wanted.items() if k not in received}, received


@transaction.atomic
def submission_receive(
    *,
    actor: User,
    visit: Visit,
    institution: Institution,
    instance: SubmittedInstance,
    source: SubmissionSource,
    files: Mapping[str, File] | None = None,  # type: ignore[type-arg]
    context: RequestContext | None = None,
) -> SubmissionOutcome:
    """Save one filled capture form on the checklist of `institution` during `visit`."""
    files = files or {}
    if not can_work_on_visit(actor, visit):
        raise PermissionDenied(_("You may not fill in checklists on this visit."))
    existing = (
        DeviceSubmission.objects.select_for_update()
        .select_related("response")
        .filter(instance_id=instance.instance_id)
        .first()
    )
    if existing is not None:
        if (existing.response.visit_id, existing.response.institution_id) != (
            visit.pk,
            institution.pk,
        ):
            raise ValidationError(
                {"instance": _("This instance was received for another visit or institution.")}
            )
        pending, received = _receive_files(actor, visit, existing.pending_files, files, context)
        if received:
            existing.pending_files = pending
            existing.files_received += len(received)
            existing.bases["files"] = sorted([*existing.bases.get("files", []), *received])
            existing.save(update_fields=["pending_files", "files_received", "bases", "updated_at"])
        return SubmissionOutcome(existing, created=False)
    response = checklist_start(actor=actor, visit=visit, institution=institution, context=context)
    previous = None
    if instance.deprecated_id:
        previous = DeviceSubmission.objects.filter(
            instance_id=instance.deprecated_id, response=response
        ).first()
    questions = capture_questions(response.template_id)
    problems = _problems(questions, instance)
    if problems:
        raise ValidationError(problems)
    receipt = _Receipt(previous)
    _save_answers(actor, response, questions, instance, receipt, context)
    findings = _save_findings(actor, visit, institution, instance, receipt, context)
    already = set(receipt.previous_bases("files"))
    wanted: dict[str, dict[str, Any]] = {}
    for entry, finding in zip(instance.findings, findings, strict=True):
        if entry.photo and entry.photo not in already and finding is not None:
            wanted[entry.photo] = {
                "finding": str(finding.public_id),
                "description": entry.title[:300],
            }
    for photo in instance.photos:
        if photo.photo not in already:
            wanted.setdefault(
                photo.photo, {"finding": None, "description": photo.description[:300]}
            )
    pending, received = _receive_files(actor, visit, wanted, files, context)
    receipt.bases["files"] = sorted(already | set(received))
    submission = DeviceSubmission.objects.create(
        instance_id=instance.instance_id,
        replaces=previous,
        revision=previous.revision + 1 if previous else 1,
        response=response,
        submitted_by=actor,
        source=source,
        form_version=instance.form_version[:60],
        answers_saved=receipt.counts["saved"],
        answers_unchanged=receipt.counts["unchanged"],
        findings_created=receipt.counts["created"],
        findings_updated=receipt.counts["updated"],
        files_received=len(received),
        conflicts=receipt.conflicts,
        bases=receipt.bases,
        pending_files=pending,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CHECKLIST_SUBMISSION_RECEIVED,
        target=response,
        data={
            "instance": instance.instance_id,
            "replaces": instance.deprecated_id or None,
            "revision": submission.revision,
            "source": source.value,
            "answers_saved": submission.answers_saved,
            "findings_created": submission.findings_created,
            "findings_updated": submission.findings_updated,
            "files": len(received),
            "conflicts": len(receipt.conflicts),
        },
        context=context,
    )
    return SubmissionOutcome(submission, created=True)
