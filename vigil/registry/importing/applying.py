"""Writing a checked institutions file: the rows through `institutions_bulk_write`.

The pipeline in `vigil.core.importing` reads and checks the file, runs this in its
transaction and audits the import; each created or changed institution is audited by the
bulk write itself.
"""

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.core.importing import (
    CREATE,
    UPDATE,
    ImportIssue,
    ImportPlan,
    ImportValidationError,
)
from vigil.core.models import ImportBatch

from ..services import InstitutionsBulkError, institutions_bulk_write
from .checking import InstitutionRow, InstitutionsPlan
from .columns import IMPORT_COLUMNS


def institutions_write(
    plan: InstitutionsPlan,
    *,
    actor: User | None,
    context: RequestContext | None = None,
    batch: ImportBatch | None = None,
) -> tuple[int, int]:
    """Create and update the plan's institutions; returns (created, updated).

    Raises ImportValidationError, naming the rows, when the bulk write refuses some of them
    (something changed since the check); the caller's transaction then keeps nothing."""
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
        failed = _failed(plan, (creates, exc.creates), ([row for row, _i in updates], exc.updates))
        raise ImportValidationError(failed) from exc
    return len(written.created), sum(1 for changes in written.changes if changes)


def _failed(
    plan: InstitutionsPlan, *groups: tuple[list[InstitutionRow], dict[int, dict[str, list[str]]]]
) -> InstitutionsPlan:
    """A plan that lists, by row, the errors found while writing."""
    failed: InstitutionsPlan = ImportPlan(file_name=plan.file_name, file_format=plan.file_format)
    for rows, errors in groups:
        for index, messages in errors.items():
            for column, texts in messages.items():
                target = column if column in IMPORT_COLUMNS else ""
                failed.errors.append(ImportIssue(rows[index].row, target, " ".join(texts)))
    failed.errors.sort(key=lambda issue: issue.row or 0)
    return failed
