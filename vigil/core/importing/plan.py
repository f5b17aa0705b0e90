"""What a check finds in a file: a plan per row, errors and warnings by row and column.

Row numbers are the ones the person sees in Excel: the header is row 1. A kind of import
plans its rows (create / update / unchanged) with its own row type; the plan, its summary for
the preview page and the header checks are shared here.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.utils.translation import gettext as _

from .reading import ImportTable
from .writing import unneutralize

CREATE = "create"
UPDATE = "update"
UNCHANGED = "unchanged"
ACTIONS = (CREATE, UPDATE, UNCHANGED)
PREVIEW_ROWS = 1000  # rows (and errors) kept in a batch's summary for the preview page
LOOKUP_CHUNK = 900  # stays under SQLite's bound-parameter limit


@dataclass(frozen=True)
class ImportIssue:
    """One problem: the Excel row number (None for the whole file or sheet), the column, a
    message; `sheet` names the sheet in a format spread over several (e.g. an XLSForm)."""

    row: int | None
    column: str
    message: str
    sheet: str = ""

    def __str__(self) -> str:
        if self.sheet:
            return _("sheet %(sheet)s, %(place)s") % {
                "sheet": self.sheet,
                "place": str(ImportIssue(self.row, self.column, self.message)),
            }
        if self.row is None:
            if self.column:
                return _("column %(column)s: %(message)s") % {
                    "column": self.column,
                    "message": self.message,
                }
            return self.message
        if not self.column:
            return _("row %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return _("row %(row)s, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }

    def as_dict(self) -> dict[str, Any]:
        issue = {"row": self.row, "column": self.column, "message": self.message}
        return {**issue, "sheet": self.sheet} if self.sheet else issue


@dataclass
class RowPlan[M]:
    """A checked row: its Excel number, the key it is matched on, what importing it does
    (CREATE, UPDATE, UNCHANGED), the model values, the existing object and what changes in
    it ({field: [old, new]}). A kind adds its own fields for the preview."""

    row: int
    key: str
    action: str
    data: dict[str, Any]
    instance: M | None = None
    changes: dict[str, list[str]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The row as the preview page shows it."""
        return {"row": self.row, "action": self.action, "changes": self.changes}


@dataclass
class ImportPlan[RowT: RowPlan[Any]]:
    """The outcome of checking a file; `errors` empty means it can be applied."""

    file_name: str
    file_format: str
    rows: list[RowT] = field(default_factory=list)
    errors: list[ImportIssue] = field(default_factory=list)
    warnings: list[ImportIssue] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(ACTIONS, 0)
        for row in self.rows:
            counts[row.action] += 1
        return counts

    def extra_summary(self) -> dict[str, Any]:
        """What a kind adds to the summary kept for the preview (nothing by default)."""
        return {}

    def audit_data(self) -> dict[str, Any]:
        """What a kind adds to the import's audit event (nothing by default)."""
        return {}

    def notes(self) -> list[str]:
        """Lines a dry run prints after its counts (none by default)."""
        return []

    def as_summary(self) -> dict[str, Any]:
        return {
            "counts": self.counts,
            "errors": [e.as_dict() for e in self.errors[:PREVIEW_ROWS]],
            "errors_total": len(self.errors),
            "warnings": [w.as_dict() for w in self.warnings],
            "rows": [] if self.errors else [r.as_dict() for r in self.rows[:PREVIEW_ROWS]],
            "rows_total": len(self.rows),
            **self.extra_summary(),
        }


def unreadable_plan(file_name: str, message: str) -> ImportPlan[Any]:
    """The plan of a file that cannot be read at all: one file-level error."""
    suffix = PurePath(file_name).suffix.lower().lstrip(".")
    plan: ImportPlan[Any] = ImportPlan(file_name=PurePath(file_name).name, file_format=suffix)
    plan.errors.append(ImportIssue(None, "", message))
    return plan


def locate_columns(
    table: ImportTable,
    plan: ImportPlan[Any],
    *,
    columns: Sequence[str],
    required: Sequence[str],
    ignored: Sequence[str] = (),
) -> dict[str, int] | None:
    """Where each known column stands in the header; header problems go to `plan`.

    A column named twice or a required one missing is an error, an unknown one a warning
    (`ignored` columns are accepted silently); a header without rows is an error. Returns None
    when the rows cannot be checked."""
    positions: dict[str, int] = {}
    for index, name in enumerate(table.header):
        if not name:
            continue
        if name in positions:
            plan.errors.append(
                ImportIssue(1, name, _("The column appears more than once in the header."))
            )
        elif name in columns or name in ignored:
            positions[name] = index
        else:
            plan.warnings.append(
                ImportIssue(1, name, _("Unknown column; its values were ignored."))
            )
    for name in required:
        if name not in positions:
            plan.errors.append(ImportIssue(1, name, _("A required column is missing.")))
    if plan.errors:
        return None
    if not table.rows:
        plan.errors.append(ImportIssue(None, "", _("The file has a header but no rows.")))
        return None
    return positions


def row_cells(
    table: ImportTable, positions: dict[str, int], columns: Sequence[str]
) -> list[tuple[int, dict[str, Any]]]:
    """Each data row's Excel number and its cells by column name (None past the row's end)."""
    present = [c for c in columns if c in positions]
    return [
        (number, {c: values[positions[c]] if positions[c] < len(values) else None for c in present})
        for number, values in table.rows
    ]


def issues_by_column(
    number: int, errors: dict[str, str], columns: Sequence[str]
) -> list[ImportIssue]:
    """A row's errors, in the order of `columns` (others last)."""

    def order(column: str) -> int:
        return columns.index(column) if column in columns else len(columns)

    return [
        ImportIssue(number, column, message)
        for column, message in sorted(errors.items(), key=lambda item: order(item[0]))
    ]


class CellError(Exception):
    """A cell's value is wrong; `message` says why."""

    def __init__(self, message: str) -> None:
        self.message = message


def cell_text(value: Any) -> str:
    """A cell as trimmed text: whole numbers without ".0", dates as YYYY-MM-DD, a formula
    guard's apostrophe taken off."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return unneutralize(str(value).strip())
