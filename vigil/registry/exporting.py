"""Registry export: CSV (UTF-8 with BOM, for Excel) and XLSX of what a list shows.

The columns are the import columns plus `last_visited_on`, so an exported file can be
edited and imported again. Text that a spreadsheet would run as a formula (starting with
=, +, -, @, tab or CR) gets a leading apostrophe; the import takes it off again.
"""

from collections.abc import Iterator, Mapping
from typing import Any

from django.db.models import QuerySet

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_record
from vigil.core.importing.writing import FORMATS, build_file

from .importing.columns import IMPORT_COLUMNS, REFERENCE_COLUMNS
from .models import Institution
from .permissions import institution_fields_hidden_from

EXPORT_COLUMNS: tuple[str, ...] = (*IMPORT_COLUMNS, "last_visited_on")

__all__ = ["EXPORT_COLUMNS", "FORMATS", "institutions_export"]


def export_columns(actor: User) -> tuple[str, ...]:
    """The export's columns for `actor` (no visit coverage for whom the policy hides it)."""
    hidden = institution_fields_hidden_from(actor)
    return tuple(column for column in EXPORT_COLUMNS if column not in hidden)


def _rows(
    queryset: QuerySet[Institution], columns: tuple[str, ...], counter: list[int]
) -> Iterator[list[Any]]:
    """The export values straight from the database: codes for references, dates as dates
    (no model instances: the whole registry is thousands of rows)."""
    fields = [f"{column}__code" if column in REFERENCE_COLUMNS else column for column in columns]
    for row in queryset.values_list(*fields).iterator(chunk_size=2000):
        counter[0] += 1
        yield list(row)


def institutions_export(
    *,
    actor: User,
    queryset: QuerySet[Institution],
    fmt: str,
    filters: Mapping[str, Any] | None = None,
    context: RequestContext | None = None,
) -> bytes:
    """The file for `queryset` (already filtered for `actor`); audited with its row count."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown export format: {fmt!r}")
    counter = [0]
    columns = export_columns(actor)
    content = build_file(fmt, _rows(queryset, columns, counter), columns, "institutions")
    audit_record(
        actor=actor,
        action=AuditAction.INSTITUTIONS_EXPORTED,
        data={"format": fmt, "filters": dict(filters or {}), "rows": counter[0]},
        context=context,
    )
    return content
