"""Working-day arithmetic for legal deadlines, driven by a country's `CalendarDay` rows.

A day is a working day unless it falls on a weekly rest day (Saturday and Sunday by default) or
is a public holiday or extra day off; a transferred working day (`WORKING_DAY`) makes a rest day
a working one. Nothing here is specific to one country: the rows come from reference data
(`vigil/core/data/holidays/<country>.json`, loaded by `vigil.core.services.holidays_load`).

A `WorkingCalendar` reads the rows it needs in one query per span of whole years and keeps them
for its own lifetime only: build one per request, command or task, not one per process, so a
newly loaded decree is seen by the next one.

    cal = WorkingCalendar()  # settings.VIGIL_COUNTRY, default "KZ"
    deadline = cal.add_working_days(received_on, 10)
"""

import bisect
import datetime
from collections.abc import Iterable

from django.conf import settings

from .enums import CalendarDayKind
from .models import CalendarDay

SATURDAY_SUNDAY: frozenset[int] = frozenset({5, 6})
"""Weekly rest days as `date.weekday()` numbers (Monday is 0)."""

_ONE_DAY = datetime.timedelta(days=1)
_NON_WORKING = CalendarDayKind.non_working()
_WORKING_DAY = CalendarDayKind.WORKING_DAY.value


def default_country() -> str:
    """The deployment's country: `settings.VIGIL_COUNTRY`, "KZ" when unset."""
    return str(getattr(settings, "VIGIL_COUNTRY", "KZ")).upper()


def _as_date(day: datetime.date) -> datetime.date:
    if isinstance(day, datetime.datetime):
        raise TypeError("pass a date, not a datetime (use django.utils.timezone.localdate())")
    if not isinstance(day, datetime.date):
        raise TypeError(f"expected a date, got {type(day).__name__}")
    return day


class WorkingCalendar:
    """Working days of one country.

    `country`: ISO 3166-1 alpha-2 code of the `CalendarDay` rows to use (default
    `default_country()`). `weekend`: the weekly rest days as `date.weekday()` numbers (default
    Saturday and Sunday); at least one day of the week must be a working day.
    """

    def __init__(
        self, country: str | None = None, *, weekend: Iterable[int] = SATURDAY_SUNDAY
    ) -> None:
        self.country = (country or default_country()).upper()
        self.weekend = frozenset(weekend)
        if not self.weekend <= frozenset(range(7)):
            raise ValueError("weekend days must be date.weekday() numbers, 0 (Mon) to 6 (Sun)")
        if len(self.weekend) == 7:
            raise ValueError("a week needs at least one working day")
        self._kinds: dict[datetime.date, str] = {}
        self._dates: list[datetime.date] = []  # sorted keys of _kinds, for range counts
        self._years: tuple[int, int] | None = None  # inclusive span of whole years loaded

    def __repr__(self) -> str:
        return f"<WorkingCalendar {self.country} weekend={sorted(self.weekend)}>"

    # -- loading ------------------------------------------------------------------------------

    def preload(self, first: datetime.date, last: datetime.date) -> None:
        """Make sure the rows for the years from `first` to `last` are cached (one query)."""
        lo, hi = sorted((_as_date(first).year, _as_date(last).year))
        if self._years is not None:
            if self._years[0] <= lo and hi <= self._years[1]:
                return
            lo, hi = min(lo, self._years[0]), max(hi, self._years[1])
        rows = CalendarDay.objects.filter(
            country=self.country,
            date__gte=datetime.date(lo, 1, 1),
            date__lte=datetime.date(hi, 12, 31),
        ).values_list("date", "kind")
        self._kinds = dict(rows)
        self._dates = sorted(self._kinds)
        self._years = (lo, hi)

    def _working(self, day: datetime.date) -> bool:
        """Whether `day` is a working day; its year must already be loaded."""
        kind = self._kinds.get(day)
        if kind == _WORKING_DAY:
            return True
        if kind in _NON_WORKING:
            return False
        return day.weekday() not in self.weekend

    def _span_estimate(self, n: int) -> datetime.timedelta:
        """Calendar days that `n` working days are unlikely to exceed (holidays included)."""
        per_week = 7 - len(self.weekend)
        return datetime.timedelta(days=(abs(n) * 7) // per_week + abs(n) // 10 + 31)

    # -- queries ------------------------------------------------------------------------------

    def is_working_day(self, day: datetime.date) -> bool:
        """Whether `day` is a working day in this country."""
        day = _as_date(day)
        self.preload(day, day)
        return self._working(day)

    def add_working_days(self, start: datetime.date, n: int) -> datetime.date:
        """The `n`-th working day after `start` (`start` itself is not counted).

        `n == 0` returns `start` unchanged, even on a non-working day; a negative `n` counts
        backwards: the `|n|`-th working day before `start`.
        """
        day = _as_date(start)
        if n == 0:
            return day
        step = _ONE_DAY if n > 0 else -_ONE_DAY
        remaining = abs(n)
        estimate = self._span_estimate(n)
        self.preload(day, day + step * estimate.days)
        while remaining:
            day += step
            if self._years is None or not self._years[0] <= day.year <= self._years[1]:
                self.preload(day, day + step * self._span_estimate(remaining).days)
            if self._working(day):
                remaining -= 1
        return day

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days in (start, end]: after `start`, up to and including `end`.

        When `end` is before `start` the result is negative: minus the working days in
        [end, start). Either way `working_days_between(d, add_working_days(d, n)) == n`.
        """
        start, end = _as_date(start), _as_date(end)
        if end >= start:
            return self._count(start + _ONE_DAY, end)
        return -self._count(end, start - _ONE_DAY)

    def next_working_day(self, day: datetime.date, *, inclusive: bool = False) -> datetime.date:
        """The first working day after `day`; with `inclusive=True`, `day` itself if working.

        `inclusive=True` is the rule for a time limit whose last day is a non-working day: it
        ends on the next working day.
        """
        day = _as_date(day)
        if inclusive and self.is_working_day(day):
            return day
        return self.add_working_days(day, 1)

    def _count(self, first: datetime.date, last: datetime.date) -> int:
        """Working days in [first, last], both included; 0 when last < first."""
        if last < first:
            return 0
        self.preload(first, last)
        total_days = (last - first).days + 1
        weeks, rest = divmod(total_days, 7)
        count = weeks * (7 - len(self.weekend))
        weekday = first.weekday()
        count += sum(1 for i in range(rest) if (weekday + i) % 7 not in self.weekend)
        lo = bisect.bisect_left(self._dates, first)
        hi = bisect.bisect_right(self._dates, last)
        for day in self._dates[lo:hi]:
            count += int(self._working(day)) - int(day.weekday() not in self.weekend)
        return count
