"""Applying a file of historical recommendations: all rows or nothing, in bulk.

New recommendations get references `REC-<year of issue>-<n>` and are written with
`bulk_create`; changed ones with `bulk_update`. Each created or changed recommendation gets an
IMPORTED event on its timeline (bulk too), and the import one summary audit event. The life
cycle's `Via.IMPORT` moves allow any issued status to be set by an import, so the workflow
table is consulted, not bypassed. A file with any error writes nothing.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_record
from vigil.registry.importing import ImportIssue
from vigil.registry.importing.reading import ImportFileError

from .. import workflow
from ..enums import EventKind
from ..models import ImportBatch, Recommendation
from ..permissions import can_import_recommendations
from ..services.drafts import allocate_references
from ..timeline import new_event, record_events
from ..workflow import Via
from .checking import COMPARED, CREATE, UNCHANGED, UPDATE, ImportPlan, RowPlan, plan_table
from .reading import read_recommendation_file

BATCH_SIZE = 500
_FIELDS = list(COMPARED)


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


def _file_error(plan: ImportPlan, message: str) -> ImportValidationError:
    failed = ImportPlan(file_name=plan.file_name, file_format=plan.file_format)
    failed.errors.append(ImportIssue(None, "", message))
    return ImportValidationError(failed)


def _check_moves(plan: ImportPlan, actor: User | None) -> None:
    """Status changes of known recommendations must be import moves of the life cycle."""
    for row in plan.rows:
        if row.action != UPDATE or row.instance is None:
            continue
        old, new = row.instance.state, row.data["state"]
        if old == new:
            continue
        move = workflow.find(old, new, Via.IMPORT)
        if move is None or not move.who(actor, row.instance):
            plan.errors.append(
                ImportIssue(
                    row.row,
                    "status",
                    _("A recommendation in “%(old)s” cannot be moved to “%(new)s” by an import.")
                    % {"old": row.instance.get_state_display(), "new": new},
                )
            )


def _create(rows: list[RowPlan], actor: User | None) -> list[Recommendation]:
    by_year: dict[int, list[RowPlan]] = defaultdict(list)
    for row in rows:
        by_year[row.data["issued_on"].year].append(row)
    created: list[Recommendation] = []
    for year in sorted(by_year):
        group = by_year[year]
        references = allocate_references(year, len(group))
        created.extend(
            Recommendation(
                reference=reference,
                external_ref=row.external_ref,
                created_by=actor,
                **{name: row.data[name] for name in _FIELDS},
            )
            for reference, row in zip(references, group, strict=True)
        )
    return Recommendation.objects.bulk_create(created, batch_size=BATCH_SIZE)


def _update(rows: list[RowPlan]) -> list[tuple[RowPlan, str]]:
    changed: list[tuple[RowPlan, str]] = []
    now = timezone.now()
    for row in rows:
        instance = row.instance
        assert instance is not None  # noqa: S101 (an update has its instance)
        before = instance.state
        for name in _FIELDS:
            setattr(instance, name, row.data[name])
        instance.updated_at = now
        changed.append((row, before))
    Recommendation.objects.bulk_update(
        [row.instance for row, _before in changed if row.instance is not None],
        [*_FIELDS, "updated_at"],
        batch_size=BATCH_SIZE,
    )
    return changed


@transaction.atomic
def recommendations_import(
    *,
    actor: User | None,
    content: bytes,
    file_name: str,
    context: RequestContext | None = None,
    batch: ImportBatch | None = None,
) -> ImportResult:
    """Apply a file: all rows or nothing. `actor=None` is the system (the command).

    Raises ImportValidationError (nothing written) when the file has any error."""
    if actor is not None and not can_import_recommendations(actor):
        raise PermissionDenied
    try:
        table = read_recommendation_file(content, file_name)
    except ImportFileError as exc:
        plan = ImportPlan(file_name=file_name, file_format="")
        raise _file_error(plan, exc.message) from None
    plan = plan_table(table, lock=True)
    if plan.is_valid:
        _check_moves(plan, actor)
    if not plan.is_valid:
        raise ImportValidationError(plan)
    creates = [row for row in plan.rows if row.action == CREATE]
    updates = [row for row in plan.rows if row.action == UPDATE]
    source = {"file_name": plan.file_name, "batch": str(batch.public_id) if batch else None}
    try:
        with transaction.atomic():
            created = _create(creates, actor)
            changed = _update(updates)
    except IntegrityError:
        raise _file_error(
            plan,
            _(
                "Another import or change wrote some of these recommendations meanwhile; "
                "nothing was imported. Check the file again."
            ),
        ) from None
    events = [
        new_event(
            rec,
            EventKind.IMPORTED,
            to_state=rec.state,
            actor=actor,
            data={"via": str(Via.IMPORT), "row": row.row, **source},
        )
        for rec, row in zip(created, creates, strict=True)
    ]
    events.extend(
        new_event(
            row.instance,
            EventKind.IMPORTED,
            from_state=before,
            to_state=row.data["state"],
            actor=actor,
            data={"via": str(Via.IMPORT), "row": row.row, "changes": row.changes, **source},
        )
        for row, before in changed
        if row.instance is not None
    )
    record_events(events)
    result = ImportResult(
        plan.file_name, len(created), len(changed), len(plan.rows) - len(created) - len(changed)
    )
    audit_record(
        actor=actor,
        action=AuditAction.RECOMMENDATIONS_IMPORTED,
        target=batch,
        data={
            **source,
            "file_format": plan.file_format,
            "rows": len(plan.rows),
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "tally": plan.tally,
        },
        context=context,
    )
    return result


def import_batch_create(
    *, actor: User, content: bytes, file_name: str, context: RequestContext | None = None
) -> ImportBatch:
    """Check an uploaded file and keep it for preview. Raises ImportFileError when unreadable."""
    if not can_import_recommendations(actor):
        raise PermissionDenied
    table = read_recommendation_file(content, file_name)
    plan = plan_table(table)
    if plan.is_valid:
        _check_moves(plan, actor)
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
    ImportValidationError if the file no longer passes (the batch is then marked failed)."""
    if not can_import_recommendations(actor):
        raise PermissionDenied
    failure: ImportValidationError
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != ImportBatch.Status.PENDING:
            raise ImportBatchClosedError
        try:
            result = recommendations_import(
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
