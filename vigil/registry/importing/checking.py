"""Checking a table: every cell and row validated, and a plan for each row.

Each row is planned as a create, an update or unchanged; the problems are listed as
`ImportIssue(row, column, message)`. Nothing is written here.
"""

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ..enums import InstitutionStatus, SecurityLevel
from ..models import Institution
from ..services import INSTITUTION_FIELDS
from .columns import (
    EXPORT_ONLY_COLUMNS,
    IMPORT_COLUMNS,
    INTEGER_COLUMNS,
    NAME_COLUMNS,
    REFERENCE_COLUMNS,
    REQUIRED_COLUMNS,
    TEXT_COLUMNS,
    unneutralize,
)
from .reading import ImportFileError, ImportTable, is_blank, read_import_file

LOOKUP_CHUNK = 900  # stays under SQLite's bound-parameter limit

CREATE = "create"
UPDATE = "update"
UNCHANGED = "unchanged"


@dataclass(frozen=True)
class ImportIssue:
    """One problem: the Excel row number (None for the whole file), the column, a message."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        if not self.column:
            return _("row %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return _("row %(row)s, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class RowPlan:
    row: int
    external_code: str
    name: str
    action: str
    data: dict[str, Any]
    instance: Institution | None = None
    changes: dict[str, list[str]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "external_code": self.external_code,
            "name": self.name,
            "action": self.action,
            "changes": self.changes,
        }


@dataclass
class ImportPlan:
    file_name: str
    file_format: str
    rows: list[RowPlan] = field(default_factory=list)
    errors: list[ImportIssue] = field(default_factory=list)
    warnings: list[ImportIssue] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def counts(self) -> dict[str, int]:
        counts = {CREATE: 0, UPDATE: 0, UNCHANGED: 0}
        for row in self.rows:
            counts[row.action] += 1
        return counts

    def as_summary(self) -> dict[str, Any]:
        return {
            "counts": self.counts,
            "errors": [e.as_dict() for e in self.errors],
            "warnings": [w.as_dict() for w in self.warnings],
            "rows": [] if self.errors else [r.as_dict() for r in self.rows],
        }


class _CellError(Exception):
    def __init__(self, message: str) -> None:
        self.message = message


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return unneutralize(str(value).strip())


_WHOLE = re.compile(r"\d+(?:[.,]0*)?")


def _whole_number(value: Any) -> int | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise _CellError(_("Must be a whole number, 0 or more."))
    if isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            raise _CellError(_("Must be a whole number, 0 or more."))
        number = int(value)
    else:
        text = re.sub(r"[\s\u00a0\u202f]", "", str(value))
        if not _WHOLE.fullmatch(text):
            raise _CellError(_("Must be a whole number, 0 or more."))
        number = int(re.split(r"[.,]", text)[0])
    if number < 0:
        raise _CellError(_("Must be a whole number, 0 or more."))
    return number


def _date(value: Any) -> datetime.date | None:
    if is_blank(value):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007
        except ValueError:
            continue
    raise _CellError(
        _("“%(value)s” is not a date; write it as YYYY-MM-DD or DD.MM.YYYY.") % {"value": text}
    )


def _choice(value: Any, choices: Sequence[tuple[str, Any]], current: str | None) -> str:
    text = _text(value).casefold()
    if not text:
        return current if current is not None else ""
    for code, _label in choices:
        if code.casefold() == text:
            return code
    allowed = ", ".join(code for code, _label in choices if code)
    raise _CellError(
        _("Unknown value “%(value)s”; use one of: %(allowed)s.")
        % {"value": _text(value), "allowed": allowed}
    )


_UNKNOWN_REFERENCE = {
    "type": gettext_noop("Unknown institution type code “%(code)s”."),
    "agency": gettext_noop("Unknown agency code “%(code)s”."),
    "region": gettext_noop("Unknown region code “%(code)s”."),
}


def _display(value: Any) -> str:
    if value is None:
        return ""
    code = getattr(value, "code", None)
    return str(code) if code is not None else str(value)


def _existing_by_code(codes: Iterable[str]) -> dict[str, Institution]:
    codes = sorted(set(codes))
    found: dict[str, Institution] = {}
    for start in range(0, len(codes), LOOKUP_CHUNK):
        chunk = codes[start : start + LOOKUP_CHUNK]
        for inst in Institution.objects.filter(external_code__in=chunk).select_related(
            "type", "agency", "region"
        ):
            found[inst.external_code or ""] = inst
    return found


def _row_values(
    cells: dict[str, Any],
    existing: Institution | None,
    references: dict[str, dict[str, Any]],
) -> tuple[dict[str, Any], dict[str, str]]:
    """Resolve one row's cells to model values; returns (data, {column: error})."""
    data: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for column, value in cells.items():
        try:
            if column == "external_code" or column in TEXT_COLUMNS:
                data[column] = _text(value)
            elif column in REFERENCE_COLUMNS:
                code = _text(value)
                if not code:
                    raise _CellError(_("This column must be filled in."))
                obj = references[column].get(code.casefold())
                if obj is None:
                    raise _CellError(_(_UNKNOWN_REFERENCE[column]) % {"code": code})
                data[column] = obj
            elif column in INTEGER_COLUMNS:
                data[column] = _whole_number(value)
            elif column == "population_date":
                data[column] = _date(value)
            elif column == "status":
                current = existing.status if existing else InstitutionStatus.ACTIVE.value
                data[column] = _choice(value, InstitutionStatus.choices, current)
            elif column == "security_level":
                data[column] = _choice(value, SecurityLevel.choices, None)
        except _CellError as exc:
            errors[column] = exc.message
    if not data.get("external_code") and "external_code" not in errors:
        errors["external_code"] = _("The external code must be filled in; imports match on it.")
    if not any(data.get(c) for c in NAME_COLUMNS) and not any(c in errors for c in NAME_COLUMNS):
        errors["name_ru"] = _("Give the name in at least one language (name_kk, name_ru, name_en).")
    return data, errors


def _model_errors(data: dict[str, Any], existing: Institution | None) -> dict[str, list[str]]:
    """The model's own validation (lengths, choices, clean()) without per-row queries."""
    values = {f: getattr(existing, f) for f in INSTITUTION_FIELDS} if existing else {}
    values.update({k: v for k, v in data.items() if k in INSTITUTION_FIELDS})
    candidate = Institution(**values)
    try:
        candidate.full_clean(
            exclude=["type", "agency", "region"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        return exc.message_dict
    return {}


def _changes(data: dict[str, Any], existing: Institution) -> dict[str, list[str]]:
    changes: dict[str, list[str]] = {}
    for name, new in data.items():
        old = getattr(existing, name)
        same = (
            getattr(old, "pk", None) == getattr(new, "pk", None)
            if name in REFERENCE_COLUMNS
            else old == new
        )
        if not same:
            changes[name] = [_display(old), _display(new)]
    return changes


def plan_table(table: ImportTable) -> ImportPlan:
    """Validate every row of `table` against the database and plan each one. Writes nothing."""
    plan = ImportPlan(file_name=table.file_name, file_format=table.file_format)
    positions: dict[str, int] = {}
    for index, name in enumerate(table.header):
        if not name:
            continue
        if name in positions:
            plan.errors.append(
                ImportIssue(1, name, _("The column appears more than once in the header."))
            )
        elif name in IMPORT_COLUMNS or name in EXPORT_ONLY_COLUMNS:
            positions[name] = index
        else:
            plan.warnings.append(
                ImportIssue(1, name, _("Unknown column; its values were ignored."))
            )
    for name in REQUIRED_COLUMNS:
        if name not in positions:
            plan.errors.append(ImportIssue(1, name, _("A required column is missing.")))
    if plan.errors:
        return plan
    if not table.rows:
        plan.errors.append(ImportIssue(None, "", _("The file has a header but no rows.")))
        return plan

    columns = [c for c in IMPORT_COLUMNS if c in positions]
    parsed: list[tuple[int, dict[str, Any]]] = []
    for number, values in table.rows:
        cells = {c: values[positions[c]] if positions[c] < len(values) else None for c in columns}
        parsed.append((number, cells))

    references = {
        column: {obj.code.casefold(): obj for obj in model.objects.all()}  # type: ignore[attr-defined]
        for column, model in REFERENCE_COLUMNS.items()
    }
    existing = _existing_by_code(c for _n, cells in parsed if (c := _text(cells["external_code"])))
    first_row: dict[str, int] = {}
    for number, cells in parsed:
        code = _text(cells["external_code"])
        instance = existing.get(code) if code else None
        data, errors = _row_values(cells, instance, references)
        if code and code in first_row:
            errors.setdefault(
                "external_code",
                _("The code “%(code)s” is also used on row %(row)s.")
                % {"code": code, "row": first_row[code]},
            )
        elif code:
            first_row[code] = number
        for column, messages in _model_errors(data, instance).items():
            target = column if column in IMPORT_COLUMNS else ""
            if column == NON_FIELD_ERRORS or target not in errors:
                errors.setdefault(target, " ".join(messages))
        if errors:
            plan.errors.extend(
                ImportIssue(number, column, message)
                for column, message in sorted(
                    errors.items(), key=lambda item: _column_order(item[0])
                )
            )
            continue
        name = next((str(data[c]) for c in ("name_ru", "name_kk", "name_en") if data.get(c)), "")
        if instance is None:
            plan.rows.append(RowPlan(number, code, name, CREATE, data))
        else:
            changes = _changes(data, instance)
            action = UPDATE if changes else UNCHANGED
            plan.rows.append(RowPlan(number, code, name, action, data, instance, changes))
    return plan


def _column_order(column: str) -> int:
    return IMPORT_COLUMNS.index(column) if column in IMPORT_COLUMNS else len(IMPORT_COLUMNS)


def institutions_import_check(*, content: bytes, file_name: str) -> ImportPlan:
    """Read and check a file; a file that cannot be read gives one file-level error."""
    try:
        table = read_import_file(content, file_name)
    except ImportFileError as exc:
        suffix = PurePath(file_name).suffix.lower().lstrip(".")
        plan = ImportPlan(file_name=PurePath(file_name).name, file_format=suffix)
        plan.errors.append(ImportIssue(None, "", exc.message))
        return plan
    return plan_table(table)
