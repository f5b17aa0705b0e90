"""Time limits of appeal handling, in working days from the one working-day calendar, with
their lengths read from data (`TimeLimit`, loaded from `data/<country>/appeals.json`):

- an appeal is answered within `ANSWER` (15 working days) from its registration;
- the time may be extended, with a recorded reason, up to `EXTENSION_MAX` (2 months) from
  the registration;
- an appeal outside the mandate is forwarded within `OUT_OF_MANDATE` (3 working days).

An appeal is **overdue** when it is still handled (not closed or merged, not yet answered)
and its due date (or extension) is before today; **due today** on that day.
"""

import calendar as month_calendar
import datetime

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q

from vigil.core.calendar import WorkingCalendar

from .enums import AppealState, TimeLimitCode, TimeUnit
from .models import Appeal, TimeLimit

HANDLED_STATES: frozenset[str] = frozenset(
    {
        AppealState.RECEIVED,
        AppealState.REGISTERED,
        AppealState.TRIAGED,
        AppealState.IN_REVIEW,
        AppealState.REFERRED,
    }
)
"""States in which the NPM still owes the appellant an answer: the deadline counts."""


def time_limit(code: str) -> TimeLimit:
    limit = TimeLimit.objects.filter(code=code).first()
    if limit is None:
        raise ImproperlyConfigured(
            f"No time limit '{code}': run `manage.py seed_reference_data` to load them."
        )
    return limit


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the month's last day when it is shorter: 31 Jan → 29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, month_calendar.monthrange(year, month)[1])
    )


def add_limit(
    start: datetime.date, limit: TimeLimit, calendar: WorkingCalendar | None = None
) -> datetime.date:
    """The last day of `limit` counted from `start` (a non-working last day moves to the next
    working day)."""
    calendar = calendar or WorkingCalendar()
    if limit.unit == TimeUnit.WORKING_DAYS:
        return calendar.add_working_days(start, limit.amount)
    if limit.unit == TimeUnit.CALENDAR_DAYS:
        end = start + datetime.timedelta(days=limit.amount)
    else:
        end = add_months(start, limit.amount)
    return calendar.next_working_day(end, inclusive=True)


def answer_due(
    registered_on: datetime.date, calendar: WorkingCalendar | None = None
) -> datetime.date:
    return add_limit(registered_on, time_limit(TimeLimitCode.ANSWER), calendar)


def forward_due(
    registered_on: datetime.date, calendar: WorkingCalendar | None = None
) -> datetime.date:
    return add_limit(registered_on, time_limit(TimeLimitCode.OUT_OF_MANDATE), calendar)


def longest_extension(
    registered_on: datetime.date, calendar: WorkingCalendar | None = None
) -> datetime.date:
    """The latest date an extension may give."""
    return add_limit(registered_on, time_limit(TimeLimitCode.EXTENSION_MAX), calendar)


def current_due(appeal: Appeal) -> datetime.date | None:
    """The date the answer is due now: the extension if any, else the due date."""
    return appeal.extended_until or appeal.due_on


def overdue_q(today: datetime.date) -> Q:
    """Appeals still handled whose current due date has passed."""
    return Q(state__in=HANDLED_STATES) & (
        Q(extended_until__lt=today) | Q(extended_until__isnull=True, due_on__lt=today)
    )


def due_today_q(today: datetime.date) -> Q:
    return Q(state__in=HANDLED_STATES) & (
        Q(extended_until=today) | Q(extended_until__isnull=True, due_on=today)
    )
