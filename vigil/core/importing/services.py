"""The import pipeline: check a file, keep it for preview, apply it once, all rows or nothing.

`import_check` reads and plans a file (writes nothing); `import_apply` applies it in one
transaction through the kind's `write` hook and records one summary audit event;
`import_batch_create` / `import_batch_apply` keep an uploaded file between its preview and
its confirmation, and apply it at most once.
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from vigil.audit.context import RequestContext
from vigil.audit.services import audit_record

from ..crypto import keyring
from ..models import ImportBatch
from .kinds import Actor, import_kind
from .plan import CREATE, UNCHANGED, UPDATE, ImportPlan, unreadable_plan
from .reading import ImportFileError, read_import_file


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

    def __init__(self, plan: ImportPlan[Any]) -> None:
        super().__init__(f"{len(plan.errors)} import errors")
        self.plan = plan


class ImportBatchClosedError(Exception):
    """The batch was already applied (or failed) and cannot be applied again."""


def import_check(
    kind: str, *, content: bytes, file_name: str, actor: Actor = None
) -> ImportPlan[Any]:
    """Read and check a file; a file that cannot be read gives one file-level error."""
    hooks = import_kind(kind)
    try:
        table = read_import_file(
            content, file_name, max_rows=hooks.max_rows(), sheets=hooks.reads_sheets
        )
    except ImportFileError as exc:
        return unreadable_plan(file_name, exc.message)
    return hooks.plan(table, actor=actor, lock=False)


@transaction.atomic
def import_apply(
    kind: str,
    *,
    actor: Actor,
    content: bytes,
    file_name: str,
    context: RequestContext | None = None,
    batch: ImportBatch | None = None,
) -> ImportResult:
    """Apply a file: all rows or nothing. `actor=None` is the system (a command).

    Raises ImportValidationError (nothing written) when the file has any error."""
    hooks = import_kind(kind)
    if actor is not None and not hooks.may_import(actor):
        raise PermissionDenied
    try:
        table = read_import_file(
            content, file_name, max_rows=hooks.max_rows(), sheets=hooks.reads_sheets
        )
    except ImportFileError as exc:
        raise ImportValidationError(unreadable_plan(file_name, exc.message)) from None
    plan = hooks.plan(table, actor=actor, lock=True)
    if not plan.is_valid:
        raise ImportValidationError(plan)
    created, updated = hooks.write(plan, actor=actor, context=context, batch=batch)
    result = ImportResult(plan.file_name, created, updated, len(plan.rows) - created - updated)
    audit_record(
        actor=actor,
        action=hooks.audit_action,
        target=batch,
        data={
            "file_name": plan.file_name,
            "file_format": plan.file_format,
            "rows": len(plan.rows),
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "batch": str(batch.public_id) if batch else None,
            **plan.audit_data(),
        },
        context=context,
    )
    return result


def batch_file_associated_data(batch: ImportBatch) -> bytes:
    return f"core.importbatch:{batch.kind}:{batch.public_id}:content".encode()


def batch_file_sealed(batch: ImportBatch) -> bool:
    """Whether the batch keeps its file encrypted (its kind seals its files)."""
    try:
        return import_kind(batch.kind).sealed_file
    except LookupError:
        return False


def batch_file_content(batch: ImportBatch) -> bytes:
    """The file an import batch keeps, decrypted when its kind seals its files."""
    content = bytes(batch.content)
    if batch_file_sealed(batch):
        return keyring().decrypt(content, batch_file_associated_data(batch))
    return content


def import_batch_create(
    kind: str,
    *,
    actor: Actor,
    content: bytes,
    file_name: str,
    context: RequestContext | None = None,
) -> ImportBatch:
    """Check an uploaded file and keep it for preview. Raises ImportFileError when unreadable."""
    hooks = import_kind(kind)
    if not hooks.may_import(actor):
        raise PermissionDenied
    table = read_import_file(
        content, file_name, max_rows=hooks.max_rows(), sheets=hooks.reads_sheets
    )
    plan = hooks.plan(table, actor=actor, lock=False)
    batch = ImportBatch(
        kind=hooks.name,
        uploaded_by=actor,
        file_name=table.file_name,
        file_format=table.file_format,
        content=content,
        status=ImportBatch.Status.PENDING if plan.is_valid else ImportBatch.Status.FAILED,
        summary=plan.as_summary(),
    )
    if hooks.sealed_file:
        batch.content = keyring().encrypt(content, batch_file_associated_data(batch))
    batch.save(force_insert=True)
    return batch


def import_batch_apply(
    *, actor: Actor, batch: ImportBatch, context: RequestContext | None = None
) -> ImportResult:
    """Apply a pending batch once, re-checking the file now.

    Raises ImportBatchClosedError if it was applied (or failed) already, and
    ImportValidationError if the file no longer passes (the batch is then marked failed)."""
    if not import_kind(batch.kind).may_import(actor):
        raise PermissionDenied
    failure: ImportValidationError
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != ImportBatch.Status.PENDING:
            raise ImportBatchClosedError
        try:
            result = import_apply(
                locked.kind,
                actor=actor,
                content=batch_file_content(locked),
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
