"""One date and time policy per language: day before month (or ISO), 24-hour time."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import formats, translation

DAY = datetime.date(2026, 12, 2)
MOMENT = datetime.datetime(2026, 12, 2, 21, 8, tzinfo=ZoneInfo("Asia/Almaty"))

EXPECTED = {
    "kk": ("02.12.2026", "02.12.2026 21:08"),
    "ru": ("02.12.2026", "02.12.2026 21:08"),
    "en": ("2026-12-02", "2026-12-02 21:08"),
}


@pytest.mark.parametrize("language", list(EXPECTED))
def test_short_dates_and_times(language):
    short_date, short_datetime = EXPECTED[language]
    with translation.override(language):
        assert formats.date_format(DAY, "SHORT_DATE_FORMAT") == short_date
        assert formats.date_format(MOMENT, "SHORT_DATETIME_FORMAT") == short_datetime
        assert formats.time_format(MOMENT.time()) == "21:08"
        rendered = Template('{{ day|date:"SHORT_DATE_FORMAT" }} {{ moment|time }}').render(
            Context({"day": DAY, "moment": MOMENT})
        )
    assert rendered == f"{short_date} 21:08"
    assert "12/02" not in rendered
    assert "p.m." not in rendered


@pytest.mark.parametrize("language", list(EXPECTED))
def test_long_dates_put_the_day_first(language):
    with translation.override(language):
        text = formats.date_format(DAY, "DATE_FORMAT")
    assert text.startswith("2 ")
    assert "2026" in text


@pytest.mark.parametrize(("language", "typed"), [("kk", "02.12.2026"), ("ru", "02.12.2026"),
                                                 ("en", "2026-12-02"), ("kk", "2026-12-02")])  # fmt: skip
def test_typed_dates_are_read_in_every_language(language, typed):
    from django import forms

    with translation.override(language):
        assert forms.DateField().clean(typed) == DAY


def test_kazakh_dates_write_the_month_in_lower_case():
    with translation.override("kk"):
        assert formats.date_format(DAY, "DATE_FORMAT") == "2 желтоқсан 2026 ж."
        assert formats.date_format(DAY.replace(month=3), "DATE_FORMAT") == "2 наурыз 2026 ж."
    with translation.override("ru"):
        assert formats.date_format(DAY, "DATE_FORMAT") == "2 декабря 2026 г."


def test_the_month_names_module_lists_twelve_months():
    from vigil.core.formats.month_names import MONTHS_IN_A_DATE

    with translation.override("kk"):
        names = [str(name) for name in MONTHS_IN_A_DATE]
    assert len(set(names)) == 12
    assert all(name == name.lower() for name in names)
