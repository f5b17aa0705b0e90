"""Rows of an export of submissions (KoBoToolbox XLSX/CSV, ODK Central CSV or its ZIP of CSV
files) read back into `SubmittedInstance`s, one per row of the main table, with the repeat
groups (findings, photos) from their own sheets or files.

Columns are named by the field's path: `T1/PEN-T1-01` (KoBoToolbox), `T1-PEN-T1-01` (ODK
Central) or the bare name; a column is matched to the longest field name it ends with. A
repeat's rows point to their submission by `_parent_index` → `_index` (KoBoToolbox) or
`PARENT_KEY` → `KEY` (ODK Central). Export with XML values and headers (not labels)."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from vigil.core.importing import ImportTable, cell_text

from ..models import SubmissionSource
from ..xlsform.capture import FINDING_FIELDS, FORM_FIELD
from .instance import FindingEntry, PhotoEntry

INSTANCE_COLUMNS = ("meta/instanceid", "meta-instanceid", "instanceid", "key")
DEPRECATED_COLUMNS = ("meta/deprecatedid", "meta-deprecatedid", "deprecatedid")


def deprecated_id_of(row: "ExportRow") -> str:
    return row.first(DEPRECATED_COLUMNS)


def column_for(header: str, names: Iterable[str]) -> str | None:
    """The longest of `names` (lower case) that the header is, or ends with after a path
    separator."""
    best = None
    for name in names:
        matches = header == name or header.endswith(("/" + name, "-" + name))
        if matches and (best is None or len(name) > len(best)):
            best = name
    return best


@dataclass(frozen=True)
class ExportRow:
    number: int
    cells: dict[str, str]  # by header

    def first(self, names: Iterable[str]) -> str:
        for name in names:
            if self.cells.get(name):
                return self.cells[name]
        return ""

    def named(self, name: str) -> tuple[str, str]:
        """The cell of the column whose field is `name`, with that column's header."""
        for header, value in self.cells.items():
            if column_for(header, (name,)) == name:
                return header, value
        return "", ""


def rows_of(table: ImportTable) -> list[ExportRow]:
    return [
        ExportRow(
            number,
            {h: cell_text(v) for h, v in zip(table.header, values, strict=False) if h},
        )
        for number, values in table.rows
    ]


def source_of(table: ImportTable) -> SubmissionSource:
    header = set(table.header)
    if "key" in header or "submitterid" in header:
        return SubmissionSource.ODK_CENTRAL
    return SubmissionSource.KOBO


def instance_id_of(row: ExportRow) -> str:
    found = row.first(INSTANCE_COLUMNS)
    if not found and row.cells.get("_uuid"):
        found = "uuid:" + row.cells["_uuid"].removeprefix("uuid:")
    return found


def form_id_of(row: ExportRow) -> tuple[str, str]:
    return row.named(FORM_FIELD)


def _repeat_sheet(table: ImportTable, repeat: str) -> ImportTable | None:
    for name, sheet in table.sheets.items():
        if name == repeat or name.endswith("-" + repeat) or name.startswith(repeat):
            return sheet
    return None


def _parent(row: ExportRow) -> str:
    return row.cells.get("_parent_index") or row.cells.get("parent_key", "")


@dataclass(frozen=True)
class RepeatEntry:
    values: dict[str, str]  # by field name


def repeats_by_parent(
    table: ImportTable, repeat: str, fields: tuple[str, ...]
) -> dict[str, list[RepeatEntry]]:
    """The rows of a repeat's sheet, by the key of the submission they belong to."""
    sheet = _repeat_sheet(table, repeat)
    if sheet is None:
        return {}
    out: dict[str, list[RepeatEntry]] = {}
    for row in rows_of(sheet):
        values: dict[str, str] = {}
        for header, value in row.cells.items():
            field = column_for(header, fields)
            if field and field not in values:
                values[field] = value
        out.setdefault(_parent(row), []).append(RepeatEntry(values))
    return out


def parent_key(row: ExportRow) -> str:
    """The key a repeat's rows name this submission by (`_index`, or ODK Central's `KEY`)."""
    return row.cells.get("_index") or row.cells.get("key", "")


def findings_and_photos(
    findings: list[RepeatEntry], photos: list[RepeatEntry]
) -> tuple[list[FindingEntry], list[PhotoEntry]]:
    def get(entry: RepeatEntry, name: str) -> str:
        return entry.values.get(name, "")

    return (
        [
            FindingEntry(**{name: get(entry, name) for name in FINDING_FIELDS})
            for entry in findings
            if any(entry.values.values())
        ],
        [
            PhotoEntry(photo=get(entry, "photo"), description=get(entry, "description"))
            for entry in photos
            if get(entry, "photo")
        ],
    )


def answers_of(row: ExportRow, names: Iterable[str]) -> dict[str, tuple[str, Any]]:
    """Each question's (header, value) in the row, by the question's name in lower case."""
    names = list(names)
    found: dict[str, tuple[str, Any]] = {}
    for header, value in row.cells.items():
        name = column_for(header, names)
        if name and name not in found:
            found[name] = (header, value)
    return found
