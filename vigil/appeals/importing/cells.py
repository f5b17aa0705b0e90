"""Cell readers and lookups shared by the appeals app's import kinds (appeals, criminal
cases, accountability records): dates, choices, codes, yes/no, the file's own ids, chunked
lookups, the plan's row type and the one planning loop of a file matched on its own ids."""

import datetime
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

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

type ParsedRows = list[tuple[int, dict[str, Any]]]
# One row's cells → its model values and its errors by column.
type ReadRow = Callable[[dict[str, Any]], tuple[dict[str, Any], dict[str, str]]]
# A valid row (number, key, cells, values, the object already there) → its plan, or what
# more is wrong with it (errors by column).
type PlanValid = Callable[
    [int, str, dict[str, Any], dict[str, Any], Any], RowPlan[Any] | dict[str, str]
]

_EXCEL_EPOCH = datetime.date(1899, 12, 30)
_DAY_FIRST = re.compile(r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})")
_ISO = re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})")


def date_cell(value: Any, today: datetime.date) -> datetime.date | None:
    """A date: YYYY-MM-DD, DD.MM.YYYY, an Excel date or serial number; never in the future."""
    if is_blank(value):
        return None
    day: datetime.date | None = None
    if isinstance(value, datetime.datetime):
        day = value.date()
    elif isinstance(value, datetime.date):
        day = value
    elif isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 2958466:
        day = _EXCEL_EPOCH + datetime.timedelta(days=int(value))
    else:
        text = str(value).strip()
        match = _DAY_FIRST.fullmatch(text) or _ISO.fullmatch(text)
        if match:
            parts = match.groupdict()
            try:
                day = datetime.date(int(parts["y"]), int(parts["m"]), int(parts["d"]))
            except ValueError:
                day = None
        if day is None:
            raise CellError(
                _("“%(value)s” is not a date; write it as YYYY-MM-DD or DD.MM.YYYY.")
                % {"value": text}
            )
    if day > today:
        raise CellError(_("The date is in the future."))
    return day


def choice_cell(value: Any, allowed: Sequence[str]) -> str:
    text = cell_text(value).casefold().replace("-", "_").replace(" ", "_")
    if text not in allowed:
        raise CellError(
            _("Unknown value “%(value)s”; use one of: %(allowed)s.")
            % {"value": cell_text(value), "allowed": ", ".join(allowed)}
        )
    return text


def code_cell[M](value: Any, known: Mapping[str, M]) -> M | None:
    """A reference looked up by its code (case-insensitive); blank gives None."""
    text = cell_text(value)
    if not text:
        return None
    found = known.get(text.casefold())
    if found is None:
        raise CellError(_("Unknown code “%(code)s”.") % {"code": text})
    return found


YES = frozenset({"yes", "y", "true", "1", "да", "иә", "ия"})
NO = frozenset({"no", "n", "false", "0", "нет", "жоқ"})


def yes_no_cell(value: Any) -> bool:
    """yes/no (also true/false, 1/0, да/нет, иә/жоқ); blank is no."""
    text = cell_text(value).casefold()
    if not text or text in NO:
        return False
    if text in YES:
        return True
    raise CellError(_("Write yes or no, not “%(value)s”.") % {"value": cell_text(value)})


def source_id_error(key: str, number: int, first_row: dict[str, int], limit: int) -> str | None:
    """What is wrong with a row's own id (`source_id`): missing, too long or used by an
    earlier row of the file (`first_row` notes each id's first row); None when it is fine."""
    if not key:
        return _("An id is required.")
    if len(key) > limit:
        return _("Keep the id under %(max)s characters.") % {"max": limit}
    if key in first_row:
        return _("The id “%(id)s” is also used on row %(row)s.") % {
            "id": key,
            "row": first_row[key],
        }
    first_row[key] = number
    return None


def codes_in(parsed: ParsedRows, column: str) -> Iterable[str]:
    """The non-blank values of `column` in the file's rows."""
    return (code for _n, cells in parsed if (code := cell_text(cells.get(column))))


def by_code[M: models.Model](model: type[M]) -> dict[str, M]:
    """Every object of a small reference table by its code (folded)."""
    objects = model._default_manager.all()
    return {str(obj.serializable_value("code")).casefold(): obj for obj in objects}


def chunks(values: Iterable[str]) -> Iterable[list[str]]:
    ordered = sorted(set(values))
    for start in range(0, len(ordered), LOOKUP_CHUNK):
        yield ordered[start : start + LOOKUP_CHUNK]


def lookup[M: models.Model](
    model: type[M],
    field: str,
    values: Iterable[str],
    *,
    lock: bool = False,
    fold: bool = True,
    where: Mapping[str, Any] | None = None,
) -> dict[str, M]:
    """The objects of `model` (among those matching `where`) whose `field` is one of
    `values`, by that value (folded)."""
    found: dict[str, M] = {}
    for chunk in chunks(values):
        qs = model._default_manager.filter(**{f"{field}__in": chunk}, **(where or {}))
        qs = qs.order_by("pk")
        if lock:
            qs = qs.select_for_update(of=("self",))
        for obj in qs:
            key = str(getattr(obj, field) or "")
            found[key.casefold() if fold else key] = obj
    return found


def display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    code = getattr(value, "code", None) or getattr(value, "external_code", None)
    return str(code) if code else str(value)


@dataclass
class SourceRow(RowPlan[Any]):
    """A checked row, matched on the file's own id (`key` → `source_key`)."""

    def as_dict(self) -> dict[str, Any]:
        return {
            **super().as_dict(),
            "source_id": self.key,
            **{k: display(v) for k, v in self.data.items() if k in PREVIEWED},
        }


PREVIEWED = (
    "reported_on",
    "part",
    "state",
    "decided_on",
    "responsibility",
    "initiative",
    "received_on",
    "channel",
)


def row_against(compared: Sequence[str]) -> PlanValid:
    """Plan a valid row: create, or update/unchanged against the existing object by the
    `compared` fields."""

    def plan(
        number: int,
        key: str,
        cells: dict[str, Any],
        data: dict[str, Any],
        existing: models.Model | None,
    ) -> SourceRow:
        if existing is None:
            return SourceRow(number, key, CREATE, data)
        changes: dict[str, list[str]] = {}
        for name in compared:
            old, new = getattr(existing, name), data.get(name)
            if old != new and not (old in ("", None) and new in ("", None)):
                changes[name] = [display(old), display(new)]
        action = UPDATE if changes else UNCHANGED
        return SourceRow(number, key, action, data, existing, changes)

    return plan


def plan_keyed_rows(
    table: ImportTable,
    *,
    columns: Sequence[str],
    required: Sequence[str],
    model: type[models.Model],
    key_field: str,
    reader: Callable[[ParsedRows, datetime.date], ReadRow],
    plan_valid: PlanValid,
    lock: bool = False,
    today: datetime.date | None = None,
    where: Mapping[str, Any] | None = None,
) -> ImportPlan[Any]:
    """Check every row of a file matched on its own id (`source_id` → `key_field` of the
    `model` objects matching `where`) and plan it; writes nothing.

    `reader` gets the file's rows once (to look up the codes they use) and the day dates
    may not pass (`today`, by default the local date), and gives what reads one row; a row read without errors and with a good id goes to `plan_valid` with the
    object already there under its id (locked when `lock`), or None."""
    plan: ImportPlan[Any] = ImportPlan(file_name=table.file_name, file_format=table.file_format)
    positions = locate_columns(table, plan, columns=columns, required=required)
    if positions is None:
        return plan
    parsed = row_cells(table, positions, columns)
    read = reader(parsed, today or timezone.localdate())
    existing = lookup(
        model, key_field, codes_in(parsed, "source_id"), lock=lock, fold=False, where=where
    )
    limit = getattr(model._meta.get_field(key_field), "max_length", None) or 100
    first_row: dict[str, int] = {}
    for number, cells in parsed:
        key = cell_text(cells["source_id"])
        data, errors = read(cells)
        problem = source_id_error(key, number, first_row, limit)
        if problem:
            errors["source_id"] = problem
        planned = errors or plan_valid(number, key, cells, data, existing.get(key))
        if isinstance(planned, dict):
            plan.errors.extend(issues_by_column(number, planned, columns))
        else:
            plan.rows.append(planned)
    return plan
