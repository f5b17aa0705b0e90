"""Writing a spreadsheet (CSV for Excel, XLSX) safely: the import templates and the exports.

Text that a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) gets a
leading apostrophe (`neutralize`); reading a cell takes it off again (`unneutralize`).
"""

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# Text starting with these is run as a formula by spreadsheets (CSV/formula injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value: Any) -> Any:
    """Give text a spreadsheet would run as a formula a leading apostrophe (for exports).

    Text that already starts with apostrophes before a trigger gets one more, so that
    `unneutralize` gives back exactly the original.
    """
    if isinstance(value, str) and value.lstrip("'").startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def unneutralize(text: str) -> str:
    """Undo `neutralize` on an imported cell: '=SUM(1) → =SUM(1)."""
    if text.startswith("'") and text.lstrip("'").startswith(FORMULA_TRIGGERS):
        return text[1:]
    return text


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return neutralize(value)


def build_csv(rows: Iterable[Sequence[Any]], header: Sequence[str]) -> bytes:
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


def build_xlsx(rows: Iterable[Sequence[Any]], header: Sequence[str], title: str = "data") -> bytes:
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


def build_file(fmt: str, rows: Iterable[Sequence[Any]], header: Sequence[str], title: str) -> bytes:
    """The rows as a `fmt` file ("csv" or "xlsx"); `title` names the XLSX sheet."""
    if fmt == "csv":
        return build_csv(rows, header)
    if fmt == "xlsx":
        return build_xlsx(rows, header, title)
    raise ValueError(f"Unknown export format: {fmt!r}")
