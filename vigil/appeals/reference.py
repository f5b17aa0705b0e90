"""Loading the reference data of appeal handling from `data/<country>/appeals.json`: subject
categories, allegation types, investigating bodies and time limits. Idempotent: an entry is
found by its code and updated; a second load changes nothing."""

import json
from pathlib import Path
from typing import Any

from django.db import transaction

from .enums import TimeLimitCode, TimeUnit
from .models import AllegationType, AppealSubject, InvestigatingBody, TimeLimit

DATA_DIR = Path(__file__).resolve().parent / "data"
NAMES = ("name_kk", "name_ru", "name_en")


class AppealReferenceError(ValueError):
    """The data file is missing or malformed (the message names the entry)."""


def _entries(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    entries = data.get(key, [])
    if not isinstance(entries, list):
        raise AppealReferenceError(f"appeals.json: '{key}' must be a list.")
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not str(entry.get("code") or "").strip():
            raise AppealReferenceError(f"appeals.json: {key} entry {number} has no code.")
    return entries


def _load_coded(
    model: Any, entries: list[dict[str, Any]], extra: tuple[str, ...] = ()
) -> dict[str, int]:
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for order, entry in enumerate(entries):
        values: dict[str, Any] = {name: str(entry.get(name) or "") for name in NAMES}
        values["sort_order"] = order
        for name in extra:
            values[name] = bool(entry.get(name, False))
        obj = model.objects.filter(code=entry["code"]).first()
        if obj is None:
            model.objects.create(code=entry["code"], **values)
            counts["created"] += 1
        elif any(getattr(obj, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(obj, k, v)
            obj.save()
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    return counts


def _load_time_limits(entries: list[dict[str, Any]]) -> dict[str, int]:
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for number, entry in enumerate(entries, start=1):
        code, unit, amount = entry.get("code"), entry.get("unit"), entry.get("amount")
        if code not in TimeLimitCode.values or unit not in TimeUnit.values:
            raise AppealReferenceError(
                f"appeals.json: time limit {number} needs a code of {TimeLimitCode.values} "
                f"and a unit of {TimeUnit.values}."
            )
        if not isinstance(amount, int) or amount <= 0:
            raise AppealReferenceError(
                f"appeals.json: time limit '{code}' needs a positive amount."
            )
        obj, created = TimeLimit.objects.get_or_create(
            code=code, defaults={"amount": amount, "unit": unit}
        )
        if created:
            counts["created"] += 1
        elif (obj.amount, obj.unit) != (amount, unit):
            obj.amount, obj.unit = amount, unit
            obj.save()
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    return counts


@transaction.atomic
def appeal_reference_load(
    *, country: str = "kz", data_dir: Path | None = None
) -> dict[str, dict[str, int]]:
    """Load the country's appeal reference data; the counts by kind (created, updated,
    unchanged). A country without the file loads nothing ({})."""
    path = (data_dir or DATA_DIR / country) / "appeals.json"
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise AppealReferenceError(f"appeals.json: not valid JSON ({exc}).") from exc
    if not isinstance(data, dict):
        raise AppealReferenceError("appeals.json: must be an object.")
    return {
        "appeal subjects": _load_coded(AppealSubject, _entries(data, "subjects")),
        "allegation types": _load_coded(
            AllegationType, _entries(data, "allegation_types"), extra=("ill_treatment",)
        ),
        "investigating bodies": _load_coded(
            InvestigatingBody, _entries(data, "investigating_bodies")
        ),
        "time limits": _load_time_limits(_entries(data, "time_limits")),
    }
