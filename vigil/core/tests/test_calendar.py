"""The working-day calendar: known Kazakh facts, country-agnostic rules and properties."""

import datetime
import pathlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vigil.core.calendar import SATURDAY_SUNDAY, WorkingCalendar, default_country
from vigil.core.enums import CalendarDayKind
from vigil.core.models import CalendarDay
from vigil.core.services import holidays_load

D = datetime.date
KZ_FILE = pathlib.Path(__file__).resolve().parents[1] / "data" / "holidays" / "kz.json"


@pytest.fixture
def kz(db):
    holidays_load(path=KZ_FILE)
    return WorkingCalendar("KZ")


def brute_count(cal: WorkingCalendar, start: datetime.date, end: datetime.date) -> int:
    """Working days in (start, end], one day at a time."""
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        count += cal.is_working_day(day)
    return count


# -- known facts ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        # Nauryz 2025: Fri 21, Sat 22, Sun 23; Sat 22 and Sun 23 give Mon 24 and Tue 25 off.
        (D(2025, 3, 20), True),
        (D(2025, 3, 21), False),
        (D(2025, 3, 22), False),
        (D(2025, 3, 23), False),
        (D(2025, 3, 24), False),
        (D(2025, 3, 25), False),
        (D(2025, 3, 26), True),
        # Independence Day: Monday 16 Dec 2024 is a holiday; 17 Dec only until 2021.
        (D(2024, 12, 16), False),
        (D(2024, 12, 17), True),
        (D(2021, 12, 17), False),
        # Republic Day: a holiday again from 2022.
        (D(2021, 10, 25), True),
        (D(2022, 10, 25), False),
        # First President Day: 2012-2021 only; Sun 1 Dec 2019 carried over to Mon 2 Dec.
        (D(2019, 12, 2), False),
        (D(2022, 12, 1), True),
        # Transfers by decree: Sat 4 May 2024 worked for Wed 8 May; Sun 5 Jan 2025 for Fri 3 Jan.
        (D(2024, 5, 4), True),
        (D(2024, 5, 8), False),
        (D(2025, 1, 3), False),
        (D(2025, 1, 5), True),
        # Religious holidays are not carried over: Kurban Ait on Sun 16 Jun 2024.
        (D(2024, 6, 16), False),
        (D(2024, 6, 17), True),
        (D(2025, 1, 7), False),
        # New Year on a Sunday: Mon 2 Jan is itself a holiday, so the day off is Tue 3 Jan.
        (D(2023, 1, 3), False),
        (D(2023, 1, 4), True),
        # A plain week.
        (D(2025, 2, 12), True),
        (D(2025, 2, 15), False),
        (D(2025, 2, 16), False),
    ],
)
def test_known_kazakh_days(kz, day, working):
    assert kz.is_working_day(day) is working


def test_add_working_days_across_new_year(kz):
    # 1-2 Jan 2025 holidays, 3 Jan day off, Sat 4 Jan rest, Sun 5 Jan a transferred working day.
    assert kz.add_working_days(D(2024, 12, 30), 1) == D(2024, 12, 31)
    assert kz.add_working_days(D(2024, 12, 31), 1) == D(2025, 1, 5)
    assert kz.add_working_days(D(2024, 12, 31), 2) == D(2025, 1, 6)
    # 2026: Thu 1 and Fri 2 Jan holidays, Wed 7 Jan Orthodox Christmas.
    assert kz.add_working_days(D(2025, 12, 31), 1) == D(2026, 1, 5)
    assert kz.add_working_days(D(2025, 12, 31), 3) == D(2026, 1, 8)
    assert kz.working_days_between(D(2025, 12, 31), D(2026, 1, 8)) == 3


def test_add_working_days_zero_and_backwards(kz):
    assert kz.add_working_days(D(2025, 3, 22), 0) == D(2025, 3, 22)
    assert kz.add_working_days(D(2025, 1, 6), -1) == D(2025, 1, 5)
    assert kz.add_working_days(D(2025, 1, 5), -1) == D(2024, 12, 31)
    assert kz.add_working_days(D(2025, 3, 26), -1) == D(2025, 3, 20)
    assert kz.working_days_between(D(2025, 3, 26), D(2025, 3, 20)) == -1
    assert kz.working_days_between(D(2025, 3, 20), D(2025, 3, 20)) == 0


def test_next_working_day(kz):
    assert kz.next_working_day(D(2025, 3, 20)) == D(2025, 3, 26)
    assert kz.next_working_day(D(2025, 3, 21)) == D(2025, 3, 26)
    assert kz.next_working_day(D(2025, 3, 21), inclusive=True) == D(2025, 3, 26)
    assert kz.next_working_day(D(2025, 3, 26), inclusive=True) == D(2025, 3, 26)
    assert kz.next_working_day(D(2025, 3, 26)) == D(2025, 3, 27)


def test_a_year_of_working_days(kz):
    # 2025: 261 weekdays, less 16 weekday holidays and days off, plus the working Sunday 5 Jan:
    # 246 days, the five-day week's norm of 1,968 hours.
    assert kz.working_days_between(D(2024, 12, 31), D(2025, 12, 31)) == 246


# -- loading and caching ---------------------------------------------------------------------


def test_one_query_per_span_and_cached(kz, django_assert_num_queries):
    cal = WorkingCalendar("KZ")
    with django_assert_num_queries(1):
        cal.add_working_days(D(2025, 1, 10), 100)
        cal.working_days_between(D(2025, 1, 1), D(2025, 9, 1))
        cal.is_working_day(D(2025, 6, 6))
    with django_assert_num_queries(1):  # crossing into 2026 widens the span once
        assert cal.next_working_day(D(2025, 12, 31)) == D(2026, 1, 5)
    with django_assert_num_queries(0):
        cal.working_days_between(D(2025, 3, 1), D(2026, 11, 30))
        cal.add_working_days(D(2026, 12, 1), -200)
    with django_assert_num_queries(1):
        assert cal.working_days_between(D(2019, 5, 3), D(2019, 5, 13)) == 4


def test_cache_lives_with_the_instance(db):
    cal = WorkingCalendar("KZ")
    day = D(2030, 6, 3)  # a Monday
    assert cal.is_working_day(day)
    CalendarDay.objects.create(
        country="KZ", date=day, kind=CalendarDayKind.DAY_OFF, name_en="Decree day off"
    )
    assert cal.is_working_day(day)  # the instance keeps what it read
    assert not WorkingCalendar("KZ").is_working_day(day)  # a new one sees the new row


def test_country_agnostic_and_configurable_weekend(kz):
    other = WorkingCalendar("UZ")  # no rows: only the weekly rest days
    assert other.is_working_day(D(2025, 3, 21))
    assert other.country == "UZ"
    assert other.weekend == SATURDAY_SUNDAY
    fri_sat = WorkingCalendar("XX", weekend={4, 5})
    assert not fri_sat.is_working_day(D(2025, 3, 21))  # Friday
    assert fri_sat.is_working_day(D(2025, 3, 23))  # Sunday
    assert fri_sat.add_working_days(D(2025, 3, 20), 1) == D(2025, 3, 23)
    assert fri_sat.working_days_between(D(2025, 3, 16), D(2025, 3, 23)) == 5


def test_default_country_from_settings(settings, db):
    assert default_country() == "KZ"
    settings.VIGIL_COUNTRY = "kg"
    assert WorkingCalendar().country == "KG"


@pytest.mark.parametrize("weekend", [{7}, {-1}, set(range(7))])
def test_bad_weekend_is_refused(weekend):
    with pytest.raises(ValueError, match="week"):
        WorkingCalendar("KZ", weekend=weekend)


def test_datetimes_are_refused(db):
    cal = WorkingCalendar("KZ")
    with pytest.raises(TypeError, match="not a datetime"):
        cal.is_working_day(datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC))


# -- properties --------------------------------------------------------------------------------

dates = st.dates(min_value=D(2013, 12, 1), max_value=D(2027, 12, 31))
counts = st.integers(min_value=0, max_value=200)


def test_add_working_days_properties(kz):
    non_working = set(
        CalendarDay.objects.filter(
            country="KZ", kind__in=CalendarDayKind.non_working()
        ).values_list("date", flat=True)
    )

    @settings(max_examples=300, deadline=None)
    @given(day=dates, n=counts)
    def check(day: datetime.date, n: int) -> None:
        result = kz.add_working_days(day, n)
        assert kz.working_days_between(day, result) == n
        assert kz.add_working_days(result, -n) <= day  # undoing lands on or before the start
        if n > 0:
            assert result > day
            assert kz.is_working_day(result)
            assert result not in non_working
            assert kz.add_working_days(day, n - 1) < result  # strictly monotonic in n
        else:
            assert result == day
        assert kz.add_working_days(day, n + 1) > result

    check()


def test_backwards_properties(kz):
    @settings(max_examples=200, deadline=None)
    @given(day=dates, n=counts)
    def check(day: datetime.date, n: int) -> None:
        result = kz.add_working_days(day, -n)
        assert kz.working_days_between(day, result) == -n
        if n > 0:
            assert result < day
            assert kz.is_working_day(result)

    check()


def test_count_matches_day_by_day(kz):
    @settings(max_examples=200, deadline=None)
    @given(start=dates, length=st.integers(min_value=0, max_value=800))
    def check(start: datetime.date, length: int) -> None:
        end = start + datetime.timedelta(days=length)
        assert kz.working_days_between(start, end) == brute_count(kz, start, end)

    check()


def test_custom_weekend_properties(db):
    @settings(max_examples=100, deadline=None)
    @given(
        weekend=st.frozensets(st.integers(min_value=0, max_value=6), max_size=6),
        day=dates,
        n=counts,
    )
    def check(weekend: frozenset[int], day: datetime.date, n: int) -> None:
        cal = WorkingCalendar("ZZ", weekend=weekend)
        result = cal.add_working_days(day, n)
        assert cal.working_days_between(day, result) == n
        assert cal.working_days_between(day, result) == brute_count(cal, day, result)
        if n > 0:
            assert result.weekday() not in weekend

    check()
