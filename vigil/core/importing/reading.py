"""Reading an upload: file type, size and encoding checks; CSV and XLSX into a table.

CSV: UTF-8 with or without a BOM, comma, semicolon or tab separated (the first line decides),
Excel's "sep=;" line understood. XLSX: the first sheet, with a guard against zip bombs.
"""

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


def import_max_rows() -> int:
    """The most rows an import file may hold (`VIGIL_IMPORT_MAX_ROWS`)."""
    return int(settings.VIGIL_IMPORT_MAX_ROWS)


# An XLSX is a zip: refuse archives that unpack to far more than the upload limit.
MAX_UNPACKED_RATIO = 30


class ImportFileError(Exception):
    """The file cannot be read at all (type, size, encoding); `message` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class ImportTable:
    """The raw file: normalised header names and the data rows with their Excel numbers.
    `sheets`: for a kind that reads several (`read_import_file(..., sheets=True)`), the other
    sheets of a workbook, or the other CSV files of a ZIP, by name in lower case."""

    file_name: str
    file_format: str
    header: list[str]
    rows: list[tuple[int, list[Any]]]
    sheets: dict[str, "ImportTable"] = field(default_factory=dict)


def _max_bytes() -> int:
    return int(settings.VIGIL_IMPORT_MAX_BYTES)


def size_error(size: int) -> str | None:
    limit = _max_bytes()
    if size > limit:
        return _("The file is too large (%(size)s); the limit is %(limit)s.") % {
            "size": filesizeformat(size),
            "limit": filesizeformat(limit),
        }
    return None


def _is_xlsx(content: bytes) -> bool:
    if not content.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return False
    return "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names)


def detect_format(content: bytes, file_name: str, *, archives: bool = False) -> str:
    """Return "csv" or "xlsx" (or "zip", a ZIP of CSV files, where `archives`), from the
    name's extension checked against the content."""
    suffix = PurePath(file_name).suffix.lower()
    if archives and suffix == ".zip":
        if not content.startswith(b"PK\x03\x04") or _is_xlsx(content):
            raise ImportFileError(
                _("The file is named .zip but is not a ZIP archive of CSV files.")
            )
        return "zip"
    if suffix not in (".csv", ".xlsx"):
        raise ImportFileError(
            _("Upload a .csv, .xlsx or .zip file.")
            if archives
            else _("Upload a .csv or .xlsx file.")
        )
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _(
                "This is an old Excel (.xls) or password-protected workbook. Save it as an "
                "Excel workbook (.xlsx) without a password, or as “CSV UTF-8”."
            )
        )
    is_xlsx = _is_xlsx(content)
    if suffix == ".xlsx" and not is_xlsx:
        raise ImportFileError(
            _(
                "The file is named .xlsx but is not an Excel workbook. Open it in Excel "
                "and save it as “Excel Workbook (*.xlsx)”."
            )
        )
    if suffix == ".csv" and content.startswith(b"PK\x03\x04"):
        raise ImportFileError(
            _("The file is named .csv but is a workbook or archive; name an Excel file .xlsx.")
        )
    return "xlsx" if is_xlsx else "csv"


def _decode_csv(content: bytes) -> str:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFileError(
            _(
                "The file is saved as UTF-16 (“Unicode text”). In Excel choose File → Save As "
                "→ “CSV UTF-8 (Comma delimited) (*.csv)”, or save it as an Excel workbook "
                "(.xlsx)."
            )
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            _(
                "The file is not in UTF-8 (it may be in the Windows Cyrillic encoding). In "
                "Excel choose File → Save As → “CSV UTF-8 (Comma delimited) (*.csv)”, or save "
                "it as an Excel workbook (.xlsx)."
            )
        ) from None
    if "\x00" in text:
        raise ImportFileError(_("The file is not a text (CSV) file."))
    return text


def _read_csv(content: bytes) -> Iterator[tuple[int, list[Any]]]:
    text = _decode_csv(content)
    first_line, _sep, rest = text.partition("\n")
    hint = re.fullmatch(r"\s*sep=(.)\s*", first_line)
    if hint:  # Excel's "sep=;" line: not shown as a row in Excel
        delimiter, text = hint.group(1), rest
        first_line = text.partition("\n")[0]
    else:
        counts = {d: first_line.count(d) for d in (",", ";", "\t")}
        delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as exc:
        raise ImportFileError(
            _("The CSV file is malformed near row %(row)s: %(error)s")
            % {"row": reader.line_num, "error": exc}
        ) from None


def _unreadable() -> ImportFileError:
    return ImportFileError(
        _("The workbook could not be read. Open it in Excel and save it again as .xlsx.")
    )


def _open_xlsx(content: bytes) -> Any:
    from openpyxl import load_workbook

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > MAX_UNPACKED_RATIO * _max_bytes():
        raise ImportFileError(_("The workbook is too large once unpacked."))
    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a broken file
        raise _unreadable() from None


def _read_xlsx(content: bytes) -> Iterator[tuple[int, list[Any]]]:
    workbook = _open_xlsx(content)
    try:
        if not workbook.worksheets:
            raise ImportFileError(_("The workbook has no sheets."))
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some writers record wrong dimensions
        yield from enumerate(sheet.iter_rows(values_only=True), start=1)  # type: ignore[misc]
    except ImportFileError:
        raise
    except Exception:  # a broken sheet fails while it is read
        raise _unreadable() from None
    finally:
        workbook.close()


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _header_name(value: Any) -> str:
    return "" if value is None else str(value).strip().lstrip("\ufeff").strip().lower()


def _checked(content: bytes, file_name: str, *, archives: bool = False) -> tuple[str, str]:
    """The file's name (without folders) and format, once its size and type are checked."""
    file_name = PurePath(file_name or "").name[:255]
    problem = size_error(len(content))
    if problem:
        raise ImportFileError(problem)
    if not content.strip():
        raise ImportFileError(_("The file is empty."))
    return file_name, detect_format(content, file_name, archives=archives)


def read_import_file(
    content: bytes, file_name: str, *, max_rows: int | None = None, sheets: bool = False
) -> ImportTable:
    """Read the first sheet / the CSV into a header and rows; raises ImportFileError.
    At most `max_rows` rows (by default `import_max_rows()`).
    With `sheets`, a workbook's other sheets and the CSV files of a ZIP are read too (the
    first sheet, or the ZIP's CSV with the shortest name, is the table; the rest `.sheets`)."""
    file_name, file_format = _checked(content, file_name, archives=sheets)
    max_rows = import_max_rows() if max_rows is None else max_rows
    if sheets and file_format == "xlsx":
        tables = list(read_import_workbook(content, file_name, max_rows=max_rows).items())
    elif file_format == "zip":
        tables = _read_zip(content, file_name, max_rows=max_rows)
    else:
        records = _read_xlsx(content) if file_format == "xlsx" else _read_csv(content)
        return _table(records, file_name, file_format, max_rows=max_rows)
    if not tables or not tables[0][1].header:
        raise ImportFileError(_("The file has no header row."))
    main = tables[0][1]
    main.sheets = dict(tables[1:])
    return main


def _read_zip(content: bytes, file_name: str, *, max_rows: int) -> list[tuple[str, ImportTable]]:
    """The CSV files of a ZIP (an export of several tables, e.g. ODK Central's), the shortest
    name first, each by its name without folders and extension."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        members = [
            i for i in archive.infolist() if i.filename.lower().endswith(".csv") and not i.is_dir()
        ]
        if sum(i.file_size for i in members) > MAX_UNPACKED_RATIO * _max_bytes():
            raise ImportFileError(_("The archive is too large once unpacked."))
        if not members:
            raise ImportFileError(_("The archive holds no CSV file."))
        members.sort(key=lambda i: (len(PurePath(i.filename).stem), i.filename))
        return [
            (
                PurePath(info.filename).stem.strip().lower(),
                _table(
                    _read_csv(archive.read(info)),
                    file_name,
                    "zip",
                    max_rows=max_rows,
                    blank_ok=True,
                ),
            )
            for info in members
        ]


def read_import_workbook(
    content: bytes, file_name: str, *, max_rows: int
) -> dict[str, ImportTable]:
    """Every sheet of an XLSX (for formats spread over several sheets, e.g. an XLSForm), by
    its name in lower case, with the same checks as `read_import_file`; a sheet with no
    header row has an empty header. Raises ImportFileError."""
    file_name, file_format = _checked(content, file_name)
    if file_format != "xlsx":
        raise ImportFileError(_("Upload an Excel workbook (.xlsx)."))
    workbook = _open_xlsx(content)
    tables: dict[str, ImportTable] = {}
    try:
        for sheet in workbook.worksheets:
            sheet.reset_dimensions()
            records = enumerate(sheet.iter_rows(values_only=True), start=1)
            table = _table(records, file_name, file_format, max_rows=max_rows, blank_ok=True)
            tables.setdefault(str(sheet.title).strip().lower(), table)
    except ImportFileError:
        raise
    except Exception:  # a broken sheet fails while it is read
        raise _unreadable() from None
    finally:
        workbook.close()
    return tables


def _table(
    records: Iterator[tuple[int, Any]],
    file_name: str,
    file_format: str,
    *,
    max_rows: int,
    blank_ok: bool = False,
) -> ImportTable:
    header: list[str] | None = None
    rows: list[tuple[int, list[Any]]] = []
    for number, record in records:
        values = list(record)
        if all(is_blank(v) for v in values):
            continue
        if header is None:
            header = [_header_name(v) for v in values]
            continue
        rows.append((number, values))
        if len(rows) > max_rows:
            raise ImportFileError(
                _("The file has more than %(max)s rows; split it into smaller files.")
                % {"max": max_rows}
            )
    if header is None:
        if blank_ok:
            header = []
        else:
            raise ImportFileError(_("The file has no header row."))
    return ImportTable(file_name=file_name, file_format=file_format, header=header, rows=rows)
