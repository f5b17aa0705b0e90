"""Applying a file: the all-or-nothing import, and uploaded batches kept for preview."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_record

from ..models import ImportBatch
from ..permissions import can_import_institutions
from ..services import InstitutionsBulkError, institutions_bulk_write
from .checking import (
    CREATE,
    UNCHANGED,
    UPDATE,
    ImportIssue,
    ImportPlan,
    RowPlan,
    institutions_import_check,
    plan_table,
)
from .columns import IMPORT_COLUMNS
from .reading import read_import_file


@dataclass(frozen=True)
class ImportResult:
    file_name: str
    created: int
    updated: int
    unchanged: int

    def as_dict(self) -> dict[str, int]:
        return {CREATE: self.created, UPDATE: self.updated, UNCHANGED: self.unchanged}


class ImportValidationError(Exception):
    """The file has errors; nothing was written. `plan.errors` lists them."""

    def __init__(self, plan: ImportPlan) -> None:
        super().__init__(f"{len(plan.errors)} import errors")
        self.plan = plan


class ImportBatchClosedError(Exception):
    """The batch was already applied (or failed) and cannot be applied again."""


@transaction.atomic
def institutions_import(
    *,
    actor: User | None,
    content: bytes,
    file_name: str,
    context: RequestContext | None = None,
    batch: ImportBatch | None = None,
) -> ImportResult:
    """Apply a file: all rows or nothing. `actor=None` is the system (the command).

    The rows are written by `institutions_bulk_write` (each created or changed institution
    audited) and one summary audit event is added. Raises ImportValidationError (nothing
    written) when the file has any error.
    """
    if actor is not None and not can_import_institutions(actor):
        raise PermissionDenied
    plan = institutions_import_check(content=content, file_name=file_name)
    if not plan.is_valid:
        raise ImportValidationError(plan)
    creates = [row for row in plan.rows if row.action == CREATE]
    updates = [(row, row.instance) for row in plan.rows if row.action == UPDATE and row.instance]
    try:
        written = institutions_bulk_write(
            actor=actor,
            creates=[row.data for row in creates],
            updates=[(instance, row.data) for row, instance in updates],
            context=context,
        )
    except InstitutionsBulkError as exc:
        # Validation passed moments ago; something changed under us. Nothing is kept.
        failed = _failed(plan, (creates, exc.creates), ([row for row, _i in updates], exc.updates))
        raise ImportValidationError(failed) from exc
    created = len(written.created)
    updated = sum(1 for changes in written.changes if changes)
    unchanged = len(plan.rows) - created - updated
    result = ImportResult(plan.file_name, created, updated, unchanged)
    audit_record(
        actor=actor,
        action=AuditAction.INSTITUTIONS_IMPORTED,
        target=batch,
        data={
            "file_name": plan.file_name,
            "file_format": plan.file_format,
            "rows": len(plan.rows),
            "created": created,
            "updated": updated,
            "unchanged": unchanged,
            "batch": str(batch.public_id) if batch else None,
        },
        context=context,
    )
    return result


def _failed(
    plan: ImportPlan, *groups: tuple[list[RowPlan], dict[int, dict[str, list[str]]]]
) -> ImportPlan:
    """A plan that lists, by row, the errors found while writing."""
    failed = ImportPlan(file_name=plan.file_name, file_format=plan.file_format)
    for rows, errors in groups:
        for index, messages in errors.items():
            for column, texts in messages.items():
                target = column if column in IMPORT_COLUMNS else ""
                failed.errors.append(ImportIssue(rows[index].row, target, " ".join(texts)))
    failed.errors.sort(key=lambda issue: issue.row or 0)
    return failed


def import_batch_create(
    *, actor: User, content: bytes, file_name: str, context: RequestContext | None = None
) -> ImportBatch:
    """Check an uploaded file and keep it for preview. Raises ImportFileError when unreadable."""
    if not can_import_institutions(actor):
        raise PermissionDenied
    table = read_import_file(content, file_name)
    plan = plan_table(table)
    return ImportBatch.objects.create(
        uploaded_by=actor,
        file_name=table.file_name,
        file_format=table.file_format,
        content=content,
        status=ImportBatch.Status.PENDING if plan.is_valid else ImportBatch.Status.FAILED,
        summary=plan.as_summary(),
    )


def import_batch_apply(
    *, actor: User, batch: ImportBatch, context: RequestContext | None = None
) -> ImportResult:
    """Apply a pending batch once, re-checking the file now.

    Raises ImportBatchClosedError if it was applied (or failed) already, and
    ImportValidationError if the file no longer passes (the batch is then marked failed).
    """
    if not can_import_institutions(actor):
        raise PermissionDenied
    failure: ImportValidationError
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != ImportBatch.Status.PENDING:
            raise ImportBatchClosedError
        try:
            result = institutions_import(
                actor=actor,
                content=bytes(locked.content),
                file_name=locked.file_name,
                context=context,
                batch=locked,
            )
        except ImportValidationError as exc:
            locked.status = ImportBatch.Status.FAILED
            locked.summary = {**locked.summary, **exc.plan.as_summary()}
            locked.save(update_fields=["status", "summary", "updated_at"])
            failure = exc
        else:
            locked.status = ImportBatch.Status.APPLIED
            locked.applied_at = timezone.now()
            locked.applied_by = actor
            locked.summary = {**locked.summary, "result": result.as_dict()}
            locked.save(
                update_fields=["status", "applied_at", "applied_by", "summary", "updated_at"]
            )
            return result
    raise failure
