"""Loading calendar files: idempotent, all-or-nothing, clear errors; and the Kazakh data."""

import datetime
import json
import pathlib
from collections import Counter
from typing import Any

import pytest

from vigil.core.enums import CalendarDayKind
from vigil.core.models import CalendarDay
from vigil.core.services import holidays_load

KZ_FILE = pathlib.Path(__file__).resolve().parents[1] / "data" / "holidays" / "kz.json"


def entry(date: str, kind: str = "holiday", **names: Any) -> dict[str, Any]:
    return {"date": date, "kind": kind, "name_en": "Test day", **names}


def write(tmp_path: pathlib.Path, days: list[Any], country: Any = "ZZ") -> pathlib.Path:
    path = tmp_path / "zz.json"
    path.write_text(json.dumps({"country": country, "days": days}), encoding="utf-8")
    return path


def test_kz_file_loads_and_reload_changes_nothing(db):
    total = len(json.loads(KZ_FILE.read_text(encoding="utf-8"))["days"])
    first = holidays_load(path=KZ_FILE)
    assert first == {"created": total, "updated": 0, "unchanged": 0}
    assert CalendarDay.objects.filter(country="KZ").count() == total
    assert holidays_load(path=KZ_FILE) == {"created": 0, "updated": 0, "unchanged": total}


def test_changed_rows_are_updated_and_others_kept(db, tmp_path):
    extra = CalendarDay.objects.create(
        country="ZZ", date=datetime.date(2025, 6, 2), kind=CalendarDayKind.DAY_OFF, name_en="Admin"
    )
    path = write(tmp_path, [entry("2025-01-01"), entry("2025-01-02")])
    assert holidays_load(path=path) == {"created": 2, "updated": 0, "unchanged": 0}
    path = write(
        tmp_path,
        [entry("2025-01-01", name_ru="Новый год"), entry("2025-01-02"), entry("2025-01-03")],
    )
    assert holidays_load(path=path) == {"created": 1, "updated": 1, "unchanged": 1}
    assert CalendarDay.objects.get(country="ZZ", date="2025-01-01").name_ru == "Новый год"
    assert CalendarDay.objects.filter(pk=extra.pk).exists()
    path = write(tmp_path, [entry("2025-06-02", "working_day")])
    assert holidays_load(path=path)["updated"] == 1
    assert CalendarDay.objects.get(pk=extra.pk).kind == CalendarDayKind.WORKING_DAY


def test_countries_do_not_mix(db, tmp_path):
    holidays_load(path=write(tmp_path, [entry("2025-01-01")], country="AA"))
    result = holidays_load(path=write(tmp_path, [entry("2025-01-01")], country="BB"))
    assert result == {"created": 1, "updated": 0, "unchanged": 0}


@pytest.mark.parametrize(
    ("bad", "expected"),
    [
        (entry("2025-02-30"), r"entry 2, field 'date'"),
        (entry("25.01.2025"), r"entry 2, field 'date'"),
        ({"kind": "holiday", "name_en": "No date"}, r"entry 2, field 'date'"),
        (entry("2025-03-01", "weekend"), r"entry 2, field 'kind': unknown kind 'weekend'"),
        (entry("2025-01-01"), r"entry 2, field 'date': duplicate date 2025-01-01 \(also entry 0\)"),
        ({**entry("2025-03-01"), "note": "x"}, r"entry 2, field 'note': unknown field"),
        (entry("2025-03-01", name_en=""), r"entry 2: at least one of"),
        (entry("2025-03-01", name_kk=5), r"entry 2, field 'name_kk'"),
        (entry("2025-03-01", name_ru="x" * 301), r"entry 2, field 'name_ru'"),
        ("2025-03-01", r"entry 2: must be an object"),
    ],
)
def test_bad_entry_names_file_entry_and_field_and_writes_nothing(db, tmp_path, bad, expected):
    holidays_load(path=write(tmp_path, [entry("2024-12-31")]))
    before = list(CalendarDay.objects.values_list("date", "kind", "name_en"))
    path = write(tmp_path, [entry("2025-01-01"), entry("2025-01-02"), bad, entry("2025-12-31")])
    with pytest.raises(ValueError, match=expected) as info:
        holidays_load(path=path)
    assert str(path) in str(info.value)
    assert list(CalendarDay.objects.values_list("date", "kind", "name_en")) == before


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "is not valid UTF-8 JSON"),
        ("[]", "the top level must be an object"),
        ('{"country": "Kazakhstan", "days": []}', "'country' must be an ISO 3166-1"),
        ('{"country": "kz", "days": []}', "'country' must be an ISO 3166-1"),
        ('{"country": "KZ", "days": {}}', "'days' must be a list"),
    ],
)
def test_bad_file_is_refused(db, tmp_path, content, expected):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=expected):
        holidays_load(path=path)
    assert not CalendarDay.objects.exists()


def test_missing_file_is_a_value_error(db, tmp_path):
    with pytest.raises(ValueError, match="cannot be read"):
        holidays_load(path=tmp_path / "absent.json")


# -- the Kazakh data itself ------------------------------------------------------------------


@pytest.fixture(scope="module")
def kz_days() -> dict[datetime.date, dict[str, str]]:
    days = json.loads(KZ_FILE.read_text(encoding="utf-8"))["days"]
    return {datetime.date.fromisoformat(d["date"]): d for d in days}


def test_kz_entries_are_consistent(kz_days):
    for day, data in kz_days.items():
        assert all(data[f"name_{lang}"] for lang in ("kk", "ru", "en")), day
        if data["kind"] == CalendarDayKind.WORKING_DAY:
            assert day.weekday() >= 5, f"{day}: a transferred working day must be a rest day"
        if data["kind"] == CalendarDayKind.DAY_OFF:
            assert day.weekday() < 5, f"{day}: an extra day off must be a weekday"
    assert list(kz_days) == sorted(kz_days)


@pytest.mark.parametrize("year", range(2014, 2028))
def test_kz_fixed_holidays_every_year(kz_days, year):
    fixed = [(1, 1), (1, 2), (1, 7), (3, 8), (3, 21), (3, 22), (3, 23), (5, 1), (5, 7), (5, 9)]
    fixed += [(7, 6), (8, 30), (12, 16)]
    fixed += [(10, 25)] if year >= 2022 else [(12, 1), (12, 17)]
    for month, day in fixed:
        assert kz_days[datetime.date(year, month, day)]["kind"] == "holiday", (year, month, day)
    holidays = Counter(
        d.year for d, data in kz_days.items() if data["kind"] == CalendarDayKind.HOLIDAY
    )
    assert holidays[year] == len(fixed) + 1  # plus the first day of Kurban Ait
    for month, day in [(10, 25)] if year < 2022 else [(12, 1), (12, 17)]:
        assert kz_days.get(datetime.date(year, month, day), {}).get("kind") != "holiday"


def test_kz_weekend_holidays_are_carried_over(kz_days):
    """Each non-religious holiday on a rest day has a day off within the next ten days."""
    religious = {"Orthodox Christmas", "Kurban Ait"}
    carried = Counter(
        data["name_en"].split(" (")[0].removeprefix("Day off in lieu of ")
        for data in kz_days.values()
        if data["name_en"].startswith("Day off in lieu of")
    )
    expected = Counter(
        data["name_en"]
        for day, data in kz_days.items()
        if data["kind"] == "holiday" and day.weekday() >= 5 and data["name_en"] not in religious
    )
    assert carried == expected
