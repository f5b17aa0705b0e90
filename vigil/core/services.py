"""Writes to core reference data: the working-day calendar."""

import datetime
import json
import pathlib
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .enums import CalendarDayKind
from .models import CalendarDay

COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
NAME_FIELDS = ("name_kk", "name_ru", "name_en")
ENTRY_FIELDS = frozenset({"date", "kind", *NAME_FIELDS})
DATA_FIELDS = ("kind", *NAME_FIELDS)


@dataclass(frozen=True)
class _Row:
    index: int
    date: datetime.date
    kind: str
    name_kk: str
    name_ru: str
    name_en: str


def _fail(
    path: pathlib.Path, message: str, index: int | None = None, field: str = ""
) -> ValueError:
    where = str(path)
    if index is not None:
        where += f": entry {index}"
    if field:
        where += f", field {field!r}"
    return ValueError(f"{where}: {message}")


def _parse(path: pathlib.Path) -> tuple[str, list[_Row]]:
    """Read and validate a holiday file; every problem names the file, entry and field."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise _fail(path, f"cannot be read ({exc.strerror or exc})") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _fail(path, f"is not valid UTF-8 JSON ({exc})") from exc
    if not isinstance(document, dict):
        raise _fail(path, "the top level must be an object with 'country' and 'days'")
    country = document.get("country")
    if not isinstance(country, str) or not COUNTRY_RE.match(country):
        raise _fail(path, f"'country' must be an ISO 3166-1 alpha-2 code, got {country!r}")
    entries = document.get("days")
    if not isinstance(entries, list):
        raise _fail(path, "'days' must be a list")

    kinds = set(CalendarDayKind.values)
    seen: dict[datetime.date, int] = {}
    rows: list[_Row] = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise _fail(path, "must be an object", index)
        unknown = sorted(set(entry) - ENTRY_FIELDS)
        if unknown:
            raise _fail(path, "unknown field", index, unknown[0])
        raw_date = entry.get("date")
        try:
            if not isinstance(raw_date, str) or not DATE_RE.match(raw_date):
                raise ValueError
            day = datetime.date.fromisoformat(raw_date)
        except ValueError:
            raise _fail(
                path, f"must be a date as YYYY-MM-DD, got {raw_date!r}", index, "date"
            ) from None
        if day in seen:
            raise _fail(path, f"duplicate date {raw_date} (also entry {seen[day]})", index, "date")
        seen[day] = index
        kind = entry.get("kind")
        if kind not in kinds:
            raise _fail(
                path, f"unknown kind {kind!r}; expected one of {sorted(kinds)}", index, "kind"
            )
        names: dict[str, str] = {}
        for field in NAME_FIELDS:
            value = entry.get(field, "")
            if not isinstance(value, str):
                raise _fail(path, "must be a string", index, field)
            names[field] = value.strip()
        if not any(names.values()):
            raise _fail(path, "at least one of name_kk, name_ru, name_en is required", index)
        rows.append(_Row(index=index, date=day, kind=str(kind), **names))
    return country, rows


def _clean(path: pathlib.Path, obj: CalendarDay, index: int) -> None:
    try:
        obj.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise _fail(path, "; ".join(messages), index, field) from exc


@transaction.atomic
def holidays_load(*, path: pathlib.Path) -> dict[str, int]:
    """Load a country's calendar file (see `vigil/core/data/holidays/README.md`).

    Idempotent: rows are matched on (country, date); a matching row whose kind or names differ
    is updated, one that is equal is left alone, and rows absent from the file are kept (an
    administrator may have added a decree's transfers by hand). All or nothing: a bad entry
    raises ValueError naming the file, the entry index and the field, and nothing is written.

    Returns {"created": n, "updated": n, "unchanged": n}.
    """
    path = pathlib.Path(path)
    country, rows = _parse(path)
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    if not rows:
        return counts
    existing = {
        obj.date: obj
        for obj in CalendarDay.objects.select_for_update().filter(
            country=country,
            date__range=(min(r.date for r in rows), max(r.date for r in rows)),
        )
    }
    to_create: list[CalendarDay] = []
    to_update: list[CalendarDay] = []
    for row in rows:
        data: dict[str, Any] = {name: getattr(row, name) for name in DATA_FIELDS}
        obj = existing.get(row.date)
        if obj is None:
            obj = CalendarDay(country=country, date=row.date, **data)
            _clean(path, obj, row.index)
            to_create.append(obj)
        elif any(getattr(obj, name) != value for name, value in data.items()):
            for name, value in data.items():
                setattr(obj, name, value)
            _clean(path, obj, row.index)
            to_update.append(obj)
        else:
            counts["unchanged"] += 1
    CalendarDay.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        # bulk_update bypasses save(), so auto_now does not fire: stamp the change time here.
        stamp = timezone.now()
        for obj in to_update:
            obj.updated_at = stamp
        CalendarDay.objects.bulk_update(to_update, [*DATA_FIELDS, "updated_at"], batch_size=500)
    counts["created"] = len(to_create)
    counts["updated"] = len(to_update)
    return counts
