"""Cell readers and lookups shared by the appeals app's import kinds (criminal cases,
accountability records): dates, choices, codes, chunked lookups, the plan's row type and
references allocated in bulk."""

import datetime
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from vigil.core.importing import (
    CREATE,
    LOOKUP_CHUNK,
    UNCHANGED,
    UPDATE,
    CellError,
    ImportPlan,
    RowPlan,
    cell_text,
    is_blank,
)

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


def chunks(values: Iterable[str]) -> Iterable[list[str]]:
    ordered = sorted(set(values))
    for start in range(0, len(ordered), LOOKUP_CHUNK):
        yield ordered[start : start + LOOKUP_CHUNK]


def lookup[M: models.Model](
    model: type[M], field: str, values: Iterable[str], *, lock: bool = False, fold: bool = True
) -> dict[str, M]:
    """The objects of `model` whose `field` is one of `values`, by that value (folded)."""
    found: dict[str, M] = {}
    for chunk in chunks(values):
        qs = model._default_manager.filter(**{f"{field}__in": chunk}).order_by("pk")
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


PREVIEWED = ("reported_on", "part", "state", "decided_on", "responsibility", "initiative")


def plan_row(
    plan: ImportPlan[Any],
    number: int,
    key: str,
    data: dict[str, Any],
    existing: models.Model | None,
    compared: Sequence[str],
) -> None:
    """Plan a valid row: create, or update/unchanged against the existing object."""
    if existing is None:
        plan.rows.append(SourceRow(number, key, CREATE, data))
        return
    changes: dict[str, list[str]] = {}
    for name in compared:
        old, new = getattr(existing, name), data.get(name)
        if old != new and not (old in ("", None) and new in ("", None)):
            changes[name] = [display(old), display(new)]
    action = UPDATE if changes else UNCHANGED
    plan.rows.append(SourceRow(number, key, action, data, existing, changes))


def allocate_references(
    model: type[models.Model], letter: str, years: Iterable[int]
) -> Callable[[int], str]:
    """A function giving the next free reference of `model` for a year ("C-2023-00042"), for
    rows written in bulk inside the import's transaction."""
    next_number: dict[int, int] = {}
    for year in set(years):
        prefix = f"{letter}-{year}-"
        last = (
            model._default_manager.filter(reference__startswith=prefix)
            .order_by("-reference")
            .values_list("reference", flat=True)
            .first()
        )
        tail = str(last or "")[len(prefix) :]
        next_number[year] = int(tail) + 1 if tail.isdigit() else 1

    def take(year: int) -> str:
        number = next_number[year]
        next_number[year] = number + 1
        return f"{letter}-{year}-{number:05d}"

    return take
