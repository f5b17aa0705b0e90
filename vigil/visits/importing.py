"""The import of submissions exported from KoBoToolbox or ODK Central, kind
"checklist_submissions" (docs/collect.md): forms filled with a visit's capture form deployed
there (its XLSForm, downloaded from the visit's checklists) come back as if a device had sent
them, through `services.submissions.submission_receive`: the same checks, the same
idempotence on the instance id, revisions and conflicts. Each row names its visit and
institution (the form's hidden `vigil_form` field); the importer must be able to fill in the
visit's checklists. All rows or nothing; the photos a form names are not in an export and are
listed as still expected."""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.audit.enums import AuditAction
from vigil.core.importing import (
    CREATE,
    UNCHANGED,
    ColumnGuide,
    ImportIssue,
    ImportKind,
    ImportPages,
    ImportPlan,
    ImportTable,
    ImportValidationError,
    PreviewCell,
    RowPlan,
)
from vigil.core.importing.writing import build_file
from vigil.registry.models import Institution

from .models import DeviceSubmission, SubmissionSource, Visit
from .openrosa.exports import (
    ExportRow,
    answers_of,
    deprecated_id_of,
    findings_and_photos,
    form_id_of,
    instance_id_of,
    parent_key,
    repeats_by_parent,
    rows_of,
    source_of,
)
from .openrosa.instance import SubmittedInstance
from .permissions import can_answer_checklist, can_import_submissions, can_work_on_visit
from .selectors.checklists import template_for_institution
from .services.submissions import capture_questions, check_instance, submission_receive
from .xlsform.capture import (
    FINDING_FIELDS,
    FINDINGS,
    FORM_FIELD,
    PHOTO_FIELDS,
    PHOTOS,
    parse_capture_form_id,
)

KIND = "checklist_submissions"


@dataclass
class SubmissionRowPlan(RowPlan[DeviceSubmission]):
    visit: Visit | None = None
    institution: Institution | None = None
    source: str = SubmissionSource.KOBO
    submitted: SubmittedInstance | None = field(default=None, repr=False)

    def as_dict(self) -> dict[str, Any]:
        submitted = self.submitted
        return {
            **super().as_dict(),
            "visit": self.visit.reference if self.visit else "",
            "institution": self.institution.name if self.institution else "",
            "instance_id": self.key,
            "answers": len(submitted.answers) if submitted else 0,
            "findings": len(submitted.findings) if submitted else 0,
        }


def _target(
    row: ExportRow, actor: User | None, cache: dict[str, Any]
) -> tuple[Visit, Institution] | str:
    """The visit and institution a row names, or why it cannot be imported."""
    _header, form_id = form_id_of(row)
    if not form_id:
        return _(
            "The row does not say which visit it belongs to: export the form with its hidden field “%(field)s”."
        ) % {"field": FORM_FIELD}
    if form_id in cache:
        return cache[form_id]  # type: ignore[no-any-return]
    ids = parse_capture_form_id(form_id)
    visit = Visit.objects.filter(public_id=ids[0]).first() if ids else None
    institution = visit.institutions.filter(public_id=ids[1]).first() if visit and ids else None
    found: tuple[Visit, Institution] | str
    if visit is None or institution is None or not can_work_on_visit(actor, visit):
        found = _("This form is not one of the visits whose checklists you may fill in.")
    elif not can_answer_checklist(actor, visit):
        found = _(
            "The visit's checklists are closed (they are filled while it is on site or debriefed)."
        )
    else:
        found = (visit, institution)
    cache[form_id] = found
    return found


def _names(institution: Institution, cache: dict[int, dict[str, str]]) -> dict[str, str]:
    """The question names of the institution's checklist in lower case → as the form has them."""
    template = template_for_institution(institution)
    if template is None:
        return {}
    if template.pk not in cache:
        cache[template.pk] = {name.lower(): name for name in capture_questions(template.pk)}
    return cache[template.pk]


def plan_table(
    table: ImportTable, *, actor: User | None, lock: bool = False
) -> ImportPlan[SubmissionRowPlan]:
    plan: ImportPlan[SubmissionRowPlan] = ImportPlan(
        file_name=table.file_name, file_format=table.file_format
    )
    rows = rows_of(table)
    if not rows:
        plan.errors.append(ImportIssue(None, "", _("The file has a header but no rows.")))
        return plan
    source = source_of(table)
    findings = repeats_by_parent(table, FINDINGS, FINDING_FIELDS)
    photos = repeats_by_parent(table, PHOTOS, PHOTO_FIELDS)
    targets: dict[str, Any] = {}
    names: dict[int, dict[str, str]] = {}
    seen: set[str] = set()
    for row in rows:
        instance_id = instance_id_of(row)
        if not instance_id:
            plan.errors.append(
                ImportIssue(row.number, "meta/instanceID", _("The row has no instance id."))
            )
            continue
        if instance_id in seen:
            plan.errors.append(
                ImportIssue(row.number, "meta/instanceID", _("This instance is in the file twice."))
            )
            continue
        seen.add(instance_id)
        target = _target(row, actor, targets)
        if isinstance(target, str):
            plan.errors.append(ImportIssue(row.number, form_id_of(row)[0] or FORM_FIELD, target))
            continue
        visit, institution = target
        known = _names(institution, names)
        answers = answers_of(row, known)
        key = parent_key(row)
        found, pictures = findings_and_photos(findings.get(key, []), photos.get(key, []))
        submitted = SubmittedInstance(
            form_id=form_id_of(row)[1],
            instance_id=instance_id,
            deprecated_id=deprecated_id_of(row),
            answers={known[name]: value for name, (_header, value) in answers.items()},
            findings=found,
            photos=pictures,
        )
        problems = check_instance(institution, submitted)
        for where, messages in problems.items():
            plan.errors.extend(ImportIssue(row.number, where, message) for message in messages)
        existing = DeviceSubmission.objects.filter(instance_id=instance_id).first()
        plan.rows.append(
            SubmissionRowPlan(
                row=row.number,
                key=instance_id,
                action=UNCHANGED if existing else CREATE,
                data={},
                visit=visit,
                institution=institution,
                source=source,
                submitted=submitted,
            )
        )
    return plan


def write(
    plan: ImportPlan[SubmissionRowPlan],
    *,
    actor: User,
    context: RequestContext | None = None,
    batch: Any = None,
) -> tuple[int, int]:
    created = 0
    for row in plan.rows:
        if (
            row.action != CREATE
            or row.submitted is None
            or row.visit is None
            or row.institution is None
        ):
            continue
        try:
            submission_receive(
                actor=actor,
                visit=row.visit,
                institution=row.institution,
                instance=row.submitted,
                source=SubmissionSource(row.source),
                context=context,
            )
        except ValidationError as exc:
            plan.errors.append(ImportIssue(row.row, "", "; ".join(exc.messages)))
            raise ImportValidationError(plan) from None
        created += 1
    return created, 0


COLUMNS = ("meta/instanceID", FORM_FIELD, "T1/<question code>", "meta/deprecatedID")


def columns() -> list[ColumnGuide]:
    return [
        ColumnGuide(
            "meta/instanceID",
            True,
            gettext_lazy("The instance id (uuid:…); ODK Central: KEY; KoBoToolbox: _uuid will do."),
        ),
        ColumnGuide(
            FORM_FIELD,
            True,
            gettext_lazy(
                "The visit and institution, filled by the capture form itself (a hidden field)."
            ),
        ),
        ColumnGuide(
            "T1/<question code>",
            False,
            gettext_lazy(
                "One column per question, named by its path (T1/PEN-T1-01, T1-PEN-T1-01) or its code."
            ),
        ),
        ColumnGuide(
            "meta/deprecatedID",
            False,
            gettext_lazy("For an edited submission: the instance it replaces (a new revision)."),
        ),
        ColumnGuide(
            FINDINGS,
            False,
            gettext_lazy(
                "A sheet (or a CSV in the ZIP) of findings: theme, severity, title, description, photo; linked by _parent_index or PARENT_KEY."
            ),
        ),
    ]


def template(fmt: str) -> bytes:
    header = ["_index", "meta/instanceID", FORM_FIELD, "T1/PEN-T1-01", "T1/PEN-T1-03"]
    rows = [
        [
            "1",
            "uuid:00000000-0000-4000-8000-000000000001",
            "vigil-<visit>-<institution>",
            "no",
            "14",
        ]
    ]
    return build_file(fmt, rows, header, "submissions")


def _row_cells(row: dict[str, Any]) -> list[PreviewCell]:
    return [
        PreviewCell(row.get("visit", ""), nowrap=True),
        PreviewCell(row.get("institution", "")),
        PreviewCell(row.get("answers", 0)),
        PreviewCell(row.get("findings", 0)),
        PreviewCell(row.get("instance_id", "")),
    ]


CHECKLIST_SUBMISSIONS = ImportKind(
    name=KIND,
    audit_action=AuditAction.CHECKLIST_SUBMISSIONS_IMPORTED,
    may_import=can_import_submissions,
    plan=plan_table,
    write=write,
    columns=columns,
    template=template,
    template_name="vigil-submissions-example",
    reads_sheets=True,
    private_batches=True,
    pages=ImportPages(
        namespace="visits:submission_import",
        title=gettext_lazy("Import submissions from KoBoToolbox or ODK Central"),
        intro=gettext_lazy(
            "Upload the submissions of a visit's capture form deployed on KoBoToolbox or ODK "
            "Central: KoBoToolbox's XLSX export (XML values and headers, all sheets), or ODK "
            "Central's CSV, or its ZIP with the repeat groups. Each form goes into its visit's "
            "checklist as if sent from a phone; a form already received is left as it is, an "
            "edited one becomes a new revision. Nothing is saved until you confirm; if any "
            "row has an error, nothing is imported."
        ),
        columns_note=gettext_lazy(
            "Column names are not case-sensitive. Photos are not part of an export: the "
            "checklist lists them as still expected."
        ),
        list_label=gettext_lazy("Visits"),
        list_url_name="visits:visit_list",
        row_headers=(
            gettext_lazy("Visit"),
            gettext_lazy("Institution"),
            gettext_lazy("Answers"),
            gettext_lazy("Findings"),
            gettext_lazy("Instance id"),
        ),
        row_cells=_row_cells,
    ),
)
