"""Registry export: CSV (UTF-8 with BOM, for Excel) and XLSX of what a list shows.

The columns are the import columns plus `last_visited_on`, so an exported file can be
edited and imported again. Text that a spreadsheet would run as a formula (starting with
=, +, -, @, tab or CR) gets a leading apostrophe; the import takes it off again.
"""

import csv
import datetime
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_record
from vigil.reference.models import InstitutionType, Region

from .importing import IMPORT_COLUMNS, REFERENCE_COLUMNS, neutralize
from .models import Institution

EXPORT_COLUMNS: tuple[str, ...] = (*IMPORT_COLUMNS, "last_visited_on")
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def institution_row(institution: Institution) -> list[Any]:
    """One institution as export values (codes for references, dates as dates)."""
    row: list[Any] = []
    for column in EXPORT_COLUMNS:
        value = getattr(institution, column)
        if column in REFERENCE_COLUMNS:
            value = value.code
        row.append(value)
    return row


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return neutralize(value)


def build_csv(rows: Iterable[Sequence[Any]], header: Sequence[str] = EXPORT_COLUMNS) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # comma-separated, CRLF, as Excel writes "CSV UTF-8"
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def _xlsx_cell(sheet: WriteOnlyWorksheet, value: Any) -> Cell:
    if isinstance(value, str):
        value = neutralize(ILLEGAL_CHARACTERS_RE.sub("", value))
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text
    elif isinstance(value, datetime.date):
        cell.number_format = "yyyy-mm-dd"
    return cell


def build_xlsx(
    rows: Iterable[Sequence[Any]],
    header: Sequence[str] = EXPORT_COLUMNS,
    title: str = "institutions",
) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    bold = Font(bold=True)
    header_cells = []
    for name in header:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def build_file(fmt: str, rows: Iterable[Sequence[Any]], **kwargs: Any) -> bytes:
    if fmt == "csv":
        return build_csv(rows, **kwargs)
    if fmt == "xlsx":
        return build_xlsx(rows, **kwargs)
    raise ValueError(f"Unknown export format: {fmt!r}")


def _rows(institutions: Iterable[Institution], counter: list[int]) -> Iterator[list[Any]]:
    for institution in institutions:
        counter[0] += 1
        yield institution_row(institution)


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
    qs = queryset.select_related("type", "agency", "region")
    content = build_file(fmt, _rows(qs.iterator(chunk_size=2000), counter))
    audit_record(
        actor=actor,
        action=AuditAction.INSTITUTIONS_EXPORTED,
        data={"format": fmt, "filters": dict(filters or {}), "rows": counter[0]},
        context=context,
    )
    return content


def import_template(fmt: str) -> bytes:
    """The import columns and one example row (real reference codes where there are some)."""
    kind = InstitutionType.objects.select_related("agency").filter(agency__isnull=False).first()
    region = Region.objects.order_by("code").first()
    example = {
        "external_code": "EXAMPLE-0001",
        "name_kk": "№ 1 мекеме",
        "name_ru": "Учреждение № 1",
        "name_en": "Institution No. 1",
        "type": kind.code if kind else "COLONY_MEDIUM",
        "agency": kind.agency.code if kind and kind.agency else "MVD-KUIS",
        "region": region.code if region else "KZ-71",
        "address": "",
        "capacity": 100,
        "status": "active",
        "security_level": "",
        "population_men": 80,
        "population_women": 0,
        "population_boys": 0,
        "population_girls": 0,
        "population_date": timezone.localdate(),
    }
    return build_file(fmt, [[example[c] for c in IMPORT_COLUMNS]], header=IMPORT_COLUMNS)
