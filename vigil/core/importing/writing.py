"""Writing a spreadsheet (CSV for Excel, XLSX) safely: the import templates and the exports.

Text that a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) gets a
leading apostrophe (`neutralize`); reading a cell takes it off again (`unneutralize`).
"""

import csv
import datetime
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

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


# A minimal workbook written directly: one sheet, inline strings, a bold header and a date
# format. openpyxl builds a Python object per cell and costs about 25 µs a cell (3 s for the
# national registry); writing the sheet's XML ourselves costs a fraction of that. Reading
# stays with openpyxl, which reads these files like any other workbook.
_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_CONTENT_TYPES = (
    _XML_HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    _XML_HEAD + f'<Relationships xmlns="{_PKG_REL_NS}">'
    f'<Relationship Id="rId1" Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK_RELS = (
    _XML_HEAD + f'<Relationships xmlns="{_PKG_REL_NS}">'
    f'<Relationship Id="rId1" Type="{_REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL_NS}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
# Cell styles: 0 plain, 1 bold (the header), 2 a date as yyyy-mm-dd.
_STYLES = (
    _XML_HEAD + f'<styleSheet xmlns="{_NS}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_EPOCH = datetime.datetime(1899, 12, 30)  # noqa: DTZ001 (Excel serials are naive; day 0)
_STYLE_BOLD, _STYLE_DATE = 1, 2


def _serial(value: datetime.date) -> str:
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            raise TypeError("Excel does not support timezones in datetimes; make it naive.")
        delta = value - _EPOCH
        return repr(delta.days + delta.seconds / 86400 + delta.microseconds / 86400e6)
    return str((value - _EPOCH.date()).days)


def _xlsx_cell(ref: str, value: Any, style: int = 0) -> str:
    """One cell's XML; "" for an empty cell. Text is never a formula, whatever it says."""
    styled = f' s="{style}"' if style else ""
    if value is None:
        return ""
    if isinstance(value, str):
        text = escape(neutralize(ILLEGAL_CHARACTERS_RE.sub("", value)))
        return f'<c r="{ref}"{styled} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}"{styled} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float | Decimal):
        return f'<c r="{ref}"{styled}><v>{value}</v></c>'
    if isinstance(value, datetime.date):
        return f'<c r="{ref}" s="{_STYLE_DATE}"><v>{_serial(value)}</v></c>'
    raise ValueError(f"Cannot write {value!r} ({type(value).__name__}) to a spreadsheet cell.")


def _sheet_rows(rows: Iterable[Sequence[Any]], header: Sequence[str]) -> Iterator[str]:
    letters: list[str] = []

    def row_xml(number: int, values: Sequence[Any], style: int = 0) -> str:
        while len(letters) < len(values):
            letters.append(get_column_letter(len(letters) + 1))
        cells = "".join(
            _xlsx_cell(f"{letters[i]}{number}", value, style) for i, value in enumerate(values)
        )
        return f'<row r="{number}">{cells}</row>'

    yield row_xml(1, header, _STYLE_BOLD)
    for number, row in enumerate(rows, start=2):
        yield row_xml(number, row)


def build_xlsx(rows: Iterable[Sequence[Any]], header: Sequence[str], title: str = "data") -> bytes:
    """The rows as a one-sheet workbook: the header in bold, dates as dates."""
    sheet_name = escape(title[:31], {'"': "&quot;"})
    workbook_xml = (
        _XML_HEAD + f'<workbook xmlns="{_NS}" xmlns:r="{_REL_NS}"><sheets>'
        f'<sheet name="{sheet_name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", workbook_xml)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", _STYLES)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(f'{_XML_HEAD}<worksheet xmlns="{_NS}"><sheetData>'.encode())
            for row in _sheet_rows(rows, header):
                sheet.write(row.encode())
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def build_file(fmt: str, rows: Iterable[Sequence[Any]], header: Sequence[str], title: str) -> bytes:
    """The rows as a `fmt` file ("csv" or "xlsx"); `title` names the XLSX sheet."""
    if fmt == "csv":
        return build_csv(rows, header)
    if fmt == "xlsx":
        return build_xlsx(rows, header, title)
    raise ValueError(f"Unknown export format: {fmt!r}")
