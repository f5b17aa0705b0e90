"""Writing a checked file of historical recommendations: all rows in bulk.

New recommendations get references `REC-<year of issue>-<n>` and are written with
`bulk_create`; changed ones with `bulk_update`. Each created or changed recommendation gets an
IMPORTED event on its timeline (bulk too). The pipeline in `vigil.core.importing` reads and
checks the file (the life cycle's `Via.IMPORT` moves decide which status changes an import
may make), runs this in its transaction and audits the import; a file with any error writes
nothing.
"""

from collections import defaultdict

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.core.importing import CREATE, UPDATE, ImportIssue, ImportValidationError
from vigil.core.models import ImportBatch

from ..enums import EventKind
from ..models import Recommendation
from ..services.drafts import allocate_references
from ..timeline import new_event, record_events
from ..workflow import Via
from .checking import COMPARED, RecommendationRow, RecommendationsPlan

BATCH_SIZE = 500
_FIELDS = list(COMPARED)


def _create(rows: list[RecommendationRow], actor: User | None) -> list[Recommendation]:
    by_year: dict[int, list[RecommendationRow]] = defaultdict(list)
    for row in rows:
        by_year[row.data["issued_on"].year].append(row)
    created: list[Recommendation] = []
    for year in sorted(by_year):
        group = by_year[year]
        references = allocate_references(year, len(group))
        created.extend(
            Recommendation(
                reference=reference,
                external_ref=row.key,
                created_by=actor,
                **{name: row.data[name] for name in _FIELDS},
            )
            for reference, row in zip(references, group, strict=True)
        )
    return Recommendation.objects.bulk_create(created, batch_size=BATCH_SIZE)


def _update(rows: list[RecommendationRow]) -> list[tuple[RecommendationRow, str]]:
    changed: list[tuple[RecommendationRow, str]] = []
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


def recommendations_write(
    plan: RecommendationsPlan,
    *,
    actor: User | None,
    context: RequestContext | None = None,
    batch: ImportBatch | None = None,
) -> tuple[int, int]:
    """Create and update the plan's recommendations with their IMPORTED events; returns
    (created, updated). Raises ImportValidationError when another writer got there first."""
    creates = [row for row in plan.rows if row.action == CREATE]
    updates = [row for row in plan.rows if row.action == UPDATE]
    source = {"file_name": plan.file_name, "batch": str(batch.public_id) if batch else None}
    try:
        with transaction.atomic():
            created = _create(creates, actor)
            changed = _update(updates)
    except IntegrityError:
        failed = RecommendationsPlan(file_name=plan.file_name, file_format=plan.file_format)
        failed.errors.append(
            ImportIssue(
                None,
                "",
                _(
                    "Another import or change wrote some of these recommendations meanwhile; "
                    "nothing was imported. Check the file again."
                ),
            )
        )
        raise ImportValidationError(failed) from None
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
    return len(created), len(changed)
