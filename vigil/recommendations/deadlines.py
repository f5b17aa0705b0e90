"""Deadlines of recommendations in working days (public holidays and transfers included).

A recommendation's deadline is a calendar date. When it falls on a non-working day the time
limit ends on the next working day (the *effective deadline*). Then, for a day `today`:

- **overdue**: the recommendation still waits for the authority (`PENDING_STATES`) and its
  effective deadline is before `today`;
- **due soon**: it still waits, is not overdue, and its effective deadline is at most
  `due_soon_days()` working days after `today` (`VIGIL_RECOMMENDATION_DUE_SOON_DAYS`, 5);
- **past grace**: an unanswered recommendation moves to NO_RESPONSE once `today` is after the
  grace period: `grace_days()` working days after the effective deadline
  (`VIGIL_RECOMMENDATION_GRACE_DAYS`, 10).

The same rules run as Python (`deadline_status`) and as database filters (`overdue_q`,
`due_soon_q`): each flag is a range of deadlines, computed once per day from the calendar, so
lists, tallies and reminders agree with each other and with `WorkingCalendar`.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from vigil.core.calendar import WorkingCalendar

from .enums import State

DEFAULT_DUE_SOON_DAYS = 5
DEFAULT_GRACE_DAYS = 10

PENDING_STATES: frozenset[str] = frozenset(
    {
        State.ISSUED,
        State.AWAITING_RESPONSE,
        State.NO_RESPONSE,
        State.ACCEPTED,
        State.IN_IMPLEMENTATION,
        State.PARTIALLY_IMPLEMENTED,
        State.REOPENED,
    }
)
"""States in which the authority still owes an answer or the implementation: the deadline
counts. Implemented, not accepted, escalated, obsolete (and drafts) are never overdue."""


def due_soon_days() -> int:
    return int(getattr(settings, "VIGIL_RECOMMENDATION_DUE_SOON_DAYS", DEFAULT_DUE_SOON_DAYS))


def grace_days() -> int:
    return int(getattr(settings, "VIGIL_RECOMMENDATION_GRACE_DAYS", DEFAULT_GRACE_DAYS))


def local_today() -> datetime.date:
    return timezone.localdate()


def effective_deadline(calendar: WorkingCalendar, deadline: datetime.date) -> datetime.date:
    """The last day of the time limit: the deadline, or the next working day after it."""
    return calendar.next_working_day(deadline, inclusive=True)


def grace_end(calendar: WorkingCalendar, deadline: datetime.date) -> datetime.date:
    """The last day of the grace period after the deadline."""
    return calendar.add_working_days(effective_deadline(calendar, deadline), grace_days())


@dataclass(frozen=True)
class DeadlineStatus:
    overdue: bool
    due_soon: bool
    effective_deadline: datetime.date | None
    # Working days from today to the effective deadline (negative once it has passed).
    working_days_left: int | None

    # The names the shared badge (`recommendations/_deadline_badge.html`) reads.
    @property
    def is_overdue(self) -> bool:
        return self.overdue

    @property
    def is_due_soon(self) -> bool:
        return self.due_soon

    @property
    def days_overdue(self) -> int:
        return -self.working_days_left if self.working_days_left is not None else 0


NO_DEADLINE = DeadlineStatus(False, False, None, None)


@dataclass(frozen=True)
class DeadlineWindow:
    """The deadlines that make a recommendation overdue or due soon on `today`.

    overdue ⇔ deadline ≤ `overdue_until` (the last working day before today: a deadline on or
    before it has an effective deadline before today);
    due soon ⇔ `overdue_until` < deadline ≤ `due_soon_until` (the N-th working day after
    today: every deadline up to it ends on or before it).
    """

    today: datetime.date
    overdue_until: datetime.date
    due_soon_until: datetime.date

    @classmethod
    def on(
        cls, today: datetime.date | None = None, calendar: WorkingCalendar | None = None
    ) -> "DeadlineWindow":
        today = today or local_today()
        calendar = calendar or WorkingCalendar()
        return cls(
            today=today,
            overdue_until=calendar.add_working_days(today, -1),
            due_soon_until=calendar.add_working_days(today, due_soon_days()),
        )

    def overdue_q(self, prefix: str = "") -> Q:
        return Q(
            **{
                f"{prefix}state__in": PENDING_STATES,
                f"{prefix}deadline__lte": self.overdue_until,
            }
        )

    def due_soon_q(self, prefix: str = "") -> Q:
        return Q(
            **{
                f"{prefix}state__in": PENDING_STATES,
                f"{prefix}deadline__gt": self.overdue_until,
                f"{prefix}deadline__lte": self.due_soon_until,
            }
        )

    def is_overdue(self, state: str, deadline: datetime.date | None) -> bool:
        return deadline is not None and state in PENDING_STATES and deadline <= self.overdue_until

    def is_due_soon(self, state: str, deadline: datetime.date | None) -> bool:
        return (
            deadline is not None
            and state in PENDING_STATES
            and self.overdue_until < deadline <= self.due_soon_until
        )


def deadline_status(
    state: str,
    deadline: datetime.date | None,
    *,
    today: datetime.date | None = None,
    calendar: WorkingCalendar | None = None,
) -> DeadlineStatus:
    """The flags of one recommendation, computed day by day with the calendar."""
    if deadline is None:
        return NO_DEADLINE
    today = today or local_today()
    calendar = calendar or WorkingCalendar()
    end = effective_deadline(calendar, deadline)
    left = calendar.working_days_between(today, end)
    pending = state in PENDING_STATES
    overdue = pending and end < today
    due_soon = pending and not overdue and left <= due_soon_days()
    return DeadlineStatus(overdue, due_soon, end, left)
