"""Checking a table: every cell and row validated, and a plan for each row.

Each row is planned as a create, an update or unchanged; the problems are listed as
`ImportIssue(row, column, message)`. Nothing is written here.
"""

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from vigil.core.importing import (
    CREATE,
    LOOKUP_CHUNK,
    UNCHANGED,
    UPDATE,
    CellError,
    ImportPlan,
    ImportTable,
    RowPlan,
    cell_text,
    is_blank,
    issues_by_column,
    locate_columns,
    row_cells,
)

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
)


@dataclass(kw_only=True)
class InstitutionRow(RowPlan[Institution]):
    """A checked row, matched on its external code (`key`); `name` as the preview shows it."""

    name: str

    @property
    def external_code(self) -> str:
        return self.key

    def as_dict(self) -> dict[str, Any]:
        return {**super().as_dict(), "external_code": self.key, "name": self.name}


type InstitutionsPlan = ImportPlan[InstitutionRow]


_WHOLE = re.compile(r"\d+(?:[.,]0*)?")


def _whole_number(value: Any) -> int | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(_("Must be a whole number, 0 or more."))
    if isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            raise CellError(_("Must be a whole number, 0 or more."))
        number = int(value)
    else:
        text = re.sub(r"[\s\u00a0\u202f]", "", str(value))
        if not _WHOLE.fullmatch(text):
            raise CellError(_("Must be a whole number, 0 or more."))
        number = int(re.split(r"[.,]", text)[0])
    if number < 0:
        raise CellError(_("Must be a whole number, 0 or more."))
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
    raise CellError(
        _("“%(value)s” is not a date; write it as YYYY-MM-DD or DD.MM.YYYY.") % {"value": text}
    )


def _choice(value: Any, choices: Sequence[tuple[str, Any]], current: str | None) -> str:
    text = cell_text(value).casefold()
    if not text:
        return current if current is not None else ""
    for code, _label in choices:
        if code.casefold() == text:
            return code
    allowed = ", ".join(code for code, _label in choices if code)
    raise CellError(
        _("Unknown value “%(value)s”; use one of: %(allowed)s.")
        % {"value": cell_text(value), "allowed": allowed}
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
                data[column] = cell_text(value)
            elif column in REFERENCE_COLUMNS:
                code = cell_text(value)
                if not code:
                    raise CellError(_("This column must be filled in."))
                obj = references[column].get(code.casefold())
                if obj is None:
                    raise CellError(_(_UNKNOWN_REFERENCE[column]) % {"code": code})
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
        except CellError as exc:
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


def plan_table(table: ImportTable, *, actor: Any = None, lock: bool = False) -> InstitutionsPlan:
    """Validate every row of `table` against the database and plan each one. Writes nothing.

    (The import hooks' signature: who imports and row locks make no difference here.)"""
    plan: InstitutionsPlan = ImportPlan(file_name=table.file_name, file_format=table.file_format)
    positions = locate_columns(
        table,
        plan,
        columns=IMPORT_COLUMNS,
        required=REQUIRED_COLUMNS,
        ignored=EXPORT_ONLY_COLUMNS,
    )
    if positions is None:
        return plan
    parsed = row_cells(table, positions, IMPORT_COLUMNS)
    references = {
        column: {obj.code.casefold(): obj for obj in model.objects.all()}  # type: ignore[attr-defined]
        for column, model in REFERENCE_COLUMNS.items()
    }
    existing = _existing_by_code(
        c for _n, cells in parsed if (c := cell_text(cells["external_code"]))
    )
    first_row: dict[str, int] = {}
    for number, cells in parsed:
        code = cell_text(cells["external_code"])
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
            plan.errors.extend(issues_by_column(number, errors, IMPORT_COLUMNS))
            continue
        name = next((str(data[c]) for c in ("name_ru", "name_kk", "name_en") if data.get(c)), "")
        if instance is None:
            plan.rows.append(InstitutionRow(number, code, CREATE, data, name=name))
        else:
            changes = _changes(data, instance)
            action = UPDATE if changes else UNCHANGED
            plan.rows.append(
                InstitutionRow(number, code, action, data, instance, changes, name=name)
            )
    return plan
