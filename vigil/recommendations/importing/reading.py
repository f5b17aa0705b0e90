"""Reading an upload into a table: the registry import's readers (file type, size, encoding,
CSV delimiters and BOM, XLSX first sheet), with a higher row limit for historical data."""

from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from vigil.registry.importing.reading import (
    ImportFileError,
    ImportTable,
    _header_name,
    _read_csv,
    _read_xlsx,
    detect_format,
    is_blank,
    size_error,
)

DEFAULT_MAX_ROWS = 50_000


def max_rows() -> int:
    return int(getattr(settings, "VIGIL_RECOMMENDATION_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS))


def read_recommendation_file(content: bytes, file_name: str) -> ImportTable:
    """The first sheet / the CSV as a header and rows; raises ImportFileError."""
    file_name = PurePath(file_name or "").name[:255]
    problem = size_error(len(content))
    if problem:
        raise ImportFileError(problem)
    if not content.strip():
        raise ImportFileError(_("The file is empty."))
    file_format = detect_format(content, file_name)
    records = _read_xlsx(content) if file_format == "xlsx" else _read_csv(content)
    limit = max_rows()
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
        if len(rows) > limit:
            raise ImportFileError(
                _("The file has more than %(max)s rows; split it into smaller files.")
                % {"max": limit}
            )
    if header is None:
        raise ImportFileError(_("The file has no header row."))
    return ImportTable(file_name=file_name, file_format=file_format, header=header, rows=rows)
