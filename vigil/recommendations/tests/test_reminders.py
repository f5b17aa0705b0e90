"""Deadlines in working days and the reminder run: property tests against the calendar,
each reminder sent once however often the command runs, the move to NO_RESPONSE only after
the deadline and the grace period."""

import datetime
import pathlib
from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vigil.accounts.enums import Role
from vigil.accounts.models import User
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.core.calendar import WorkingCalendar
from vigil.core.services import holidays_load
from vigil.recommendations.deadlines import (
    PENDING_STATES,
    DeadlineWindow,
    deadline_status,
    effective_deadline,
    grace_end,
)
from vigil.recommendations.enums import EventKind, ReminderKind, State
from vigil.recommendations.models import Recommendation, RecommendationEvent, Reminder

D = datetime.date
KZ_FILE = pathlib.Path(__file__).resolve().parents[2] / "core" / "data" / "holidays" / "kz.json"
DAYS = st.dates(min_value=D(2019, 1, 1), max_value=D(2027, 12, 31))


@pytest.fixture
def kz(db: Any) -> WorkingCalendar:
    holidays_load(path=KZ_FILE)
    return WorkingCalendar("KZ")


# ---------------------------------------------------------------- deadline arithmetic


def test_known_holidays_are_skipped(kz: WorkingCalendar) -> None:
    # Deadline on Nauryz (Fri 21 Mar 2025, with Mon 24 and Tue 25 off): runs to Wed 26.
    assert effective_deadline(kz, D(2025, 3, 21)) == D(2025, 3, 26)
    window = DeadlineWindow.on(D(2025, 3, 26), kz)
    assert not window.is_overdue(State.AWAITING_RESPONSE, D(2025, 3, 21))
    window = DeadlineWindow.on(D(2025, 3, 27), kz)
    assert window.is_overdue(State.AWAITING_RESPONSE, D(2025, 3, 21))


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(start=DAYS, n=st.integers(min_value=1, max_value=60))
def test_deadline_arithmetic_never_lands_on_a_day_off(
    kz: WorkingCalendar, start: datetime.date, n: int
) -> None:
    end = kz.add_working_days(start, n)
    assert kz.is_working_day(end)
    assert end.weekday() < 5 or kz.is_working_day(end)  # a weekend only when transferred
    assert kz.working_days_between(start, end) == n
    # Every day skipped on the way is a day off: the n-th working day, not the n-th day.
    skipped = [start + datetime.timedelta(days=i) for i in range(1, (end - start).days)]
    assert sum(kz.is_working_day(d) for d in skipped) == n - 1
    assert kz.is_working_day(effective_deadline(kz, start))
    assert kz.is_working_day(grace_end(kz, start))


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    today=DAYS,
    offset=st.integers(min_value=-40, max_value=40),
    state=st.sampled_from(sorted(State.values)),
)
def test_due_soon_and_overdue_agree_with_the_calendar(
    kz: WorkingCalendar, today: datetime.date, offset: int, state: str
) -> None:
    deadline = today + datetime.timedelta(days=offset)
    status = deadline_status(state, deadline, today=today, calendar=kz)
    window = DeadlineWindow.on(today, kz)
    # The database ranges and the day-by-day computation say the same.
    assert window.is_overdue(state, deadline) == status.overdue
    assert window.is_due_soon(state, deadline) == status.due_soon
    # And both follow the calendar's own definition, day by day.
    end = deadline
    while not kz.is_working_day(end):
        end += datetime.timedelta(days=1)
    pending = state in PENDING_STATES
    assert status.overdue == (pending and end < today)
    left = kz.working_days_between(today, end)
    assert status.due_soon == (pending and end >= today and left <= 5)
    assert not (status.overdue and status.due_soon)


@pytest.mark.django_db
def test_window_filters_match_python(make_recommendation: Any, kz: WorkingCalendar) -> None:
    today = D(2025, 3, 20)  # Thursday before Nauryz
    window = DeadlineWindow.on(today, kz)
    recs = {
        day: make_recommendation(issued_on=D(2025, 1, 10), deadline=day)
        for day in (today + datetime.timedelta(days=i) for i in range(-10, 15))
    }
    overdue = {
        d
        for d in Recommendation.objects.filter(window.overdue_q()).values_list(
            "deadline", flat=True
        )
        if d
    }
    due_soon = {
        d
        for d in Recommendation.objects.filter(window.due_soon_q()).values_list(
            "deadline", flat=True
        )
        if d
    }
    for day in recs:
        status = deadline_status(State.AWAITING_RESPONSE, day, today=today, calendar=kz)
        assert (day in overdue) == status.overdue, day
        assert (day in due_soon) == status.due_soon, day
    # Five working days after Thu 20 Mar 2025, Nauryz (21-25 Mar) off: 26, 27, 28, 31 Mar
    # and 1 Apr.
    assert max(due_soon) == D(2025, 4, 1)


# ---------------------------------------------------------------- the reminder run


@pytest.fixture
def setup(
    kz: WorkingCalendar, make_recommendation: Any, users: dict[str, User], ref: dict[str, Any]
) -> dict[str, Any]:
    """Today Mon 3 Mar 2025. For the liaison of MVD-KUIS (and the parent MVD's): one due
    soon, one overdue, one far away, one implemented (no reminder) — all to MVD-KUIS-71."""
    users["mvd_liaison"] = User.objects.create_user(
        email="mvd-liaison@test.vigil",
        password="x-pass-123",
        full_name="MVD Liaison",
        role=Role.LIAISON,
        agency=ref["mvd"],
    )
    issued = D(2025, 1, 15)
    return {
        "today": D(2025, 3, 3),
        "due_soon": make_recommendation(issued_on=issued, deadline=D(2025, 3, 6)),
        "overdue": make_recommendation(issued_on=issued, deadline=D(2025, 2, 20)),
        "far": make_recommendation(issued_on=issued, deadline=D(2025, 5, 30)),
        "done": make_recommendation(
            issued_on=issued, deadline=D(2025, 2, 20), state=State.IMPLEMENTED_CLAIMED
        ),
    }


def run(today: datetime.date) -> str:
    from io import StringIO

    out = StringIO()
    call_command("send_recommendation_reminders", "--today", today.isoformat(), stdout=out)
    return out.getvalue()


def test_command_twice_sends_each_reminder_once(setup: dict[str, Any]) -> None:
    output = run(setup["today"])
    assert "1 due-soon and 1 overdue reminders in 2 e-mails" in output
    # One e-mail per liaison (the committee's and the ministry's), listing both.
    assert sorted(m.to[0] for m in mail.outbox) == [
        "liaison@test.vigil",
        "mvd-liaison@test.vigil",
    ]
    body = mail.outbox[0].body
    assert setup["due_soon"].reference in body
    assert setup["overdue"].reference in body
    assert setup["far"].reference not in body
    assert setup["done"].reference not in body
    assert f"/recommendations/portal/{setup['overdue'].public_id}/" in body
    assert set(Reminder.objects.values_list("recommendation__reference", "kind")) == {
        (setup["due_soon"].reference, ReminderKind.DUE_SOON),
        (setup["overdue"].reference, ReminderKind.OVERDUE),
    }
    assert RecommendationEvent.objects.filter(kind=EventKind.REMINDER).count() == 2
    assert AuditEvent.objects.filter(action=AuditAction.RECOMMENDATION_REMINDERS_SENT).count() == 1

    second = run(setup["today"])
    assert "0 due-soon and 0 overdue reminders in 0 e-mails" in second
    assert len(mail.outbox) == 2
    assert Reminder.objects.count() == 2


def test_due_soon_then_overdue_each_once(setup: dict[str, Any]) -> None:
    rec = setup["due_soon"]  # deadline Thu 6 Mar 2025
    for day in (D(2025, 3, 3), D(2025, 3, 4), D(2025, 3, 6)):
        run(day)
    kinds = list(Reminder.objects.filter(recommendation=rec).values_list("kind", flat=True))
    assert kinds == [ReminderKind.DUE_SOON]
    for day in (D(2025, 3, 7), D(2025, 3, 11), D(2025, 3, 12)):
        run(day)  # Fri 7 Mar is a working day, Sat 8 Mar a holiday (Mon 10 off)
    kinds = sorted(Reminder.objects.filter(recommendation=rec).values_list("kind", flat=True))
    assert kinds == [ReminderKind.DUE_SOON, ReminderKind.OVERDUE]


def test_a_new_deadline_gets_its_own_reminders(setup: dict[str, Any]) -> None:
    run(setup["today"])
    rec = setup["overdue"]
    Recommendation.objects.filter(pk=rec.pk).update(deadline=D(2025, 3, 5))
    run(setup["today"])
    assert set(Reminder.objects.filter(recommendation=rec).values_list("kind", "deadline")) == {
        (ReminderKind.OVERDUE, D(2025, 2, 20)),
        (ReminderKind.DUE_SOON, D(2025, 3, 5)),
    }


def test_no_liaison_no_reminder_until_there_is_one(
    kz: WorkingCalendar, make_recommendation: Any, users: dict[str, User], ref: dict[str, Any]
) -> None:
    rec = make_recommendation(
        addressee=ref["police"], issued_on=D(2025, 1, 15), deadline=D(2025, 3, 5)
    )
    output = run(D(2025, 3, 3))
    assert "1 without a liaison to remind" in output
    assert mail.outbox == []
    assert not Reminder.objects.exists()
    User.objects.create_user(
        email="police@test.vigil",
        password="x-pass-123",
        full_name="Police Liaison",
        role=Role.LIAISON,
        agency=ref["police"],
    )
    run(D(2025, 3, 3))
    assert [m.to for m in mail.outbox] == [["police@test.vigil"]]
    assert Reminder.objects.get().recommendation == rec


def test_mail_failure_records_nothing_and_is_retried(setup: dict[str, Any]) -> None:
    with (
        mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("mail down")),
        pytest.raises(CommandError),
    ):
        run(setup["today"])
    assert not Reminder.objects.exists()
    assert not RecommendationEvent.objects.filter(kind=EventKind.REMINDER).exists()
    run(setup["today"])
    assert Reminder.objects.count() == 2
    assert len(mail.outbox) == 2


def test_no_response_only_after_deadline_and_grace(
    kz: WorkingCalendar, make_recommendation: Any
) -> None:
    deadline = D(2025, 3, 7)  # Friday; Sat 8 Mar is a holiday, Mon 10 off
    rec = make_recommendation(issued_on=D(2025, 1, 15), deadline=deadline)
    answered = make_recommendation(
        issued_on=D(2025, 1, 15), deadline=deadline, state=State.IN_IMPLEMENTATION
    )
    last_day = grace_end(kz, deadline)
    assert last_day == kz.add_working_days(deadline, 10)
    assert kz.is_working_day(last_day)
    for day in (deadline, deadline + datetime.timedelta(days=1), last_day):
        run(day)
        rec.refresh_from_db()
        assert rec.state == State.AWAITING_RESPONSE, day
    output = run(last_day + datetime.timedelta(days=1))
    assert "1 moved to no response" in output
    rec.refresh_from_db()
    answered.refresh_from_db()
    assert rec.state == State.NO_RESPONSE
    assert answered.state == State.IN_IMPLEMENTATION
    event = rec.events.get(kind=EventKind.STATE_CHANGED)
    assert (event.from_state, event.to_state, event.actor) == (
        State.AWAITING_RESPONSE,
        State.NO_RESPONSE,
        None,
    )
    audit = AuditEvent.objects.get(action=AuditAction.RECOMMENDATION_TRANSITIONED)
    assert audit.actor_label == "system"
    # Idempotent: a second run moves nothing and sends nothing new.
    sent = len(mail.outbox)
    assert "0 moved to no response" in run(last_day + datetime.timedelta(days=1))
    assert len(mail.outbox) == sent


@pytest.mark.parametrize("grace", [0, 3])
def test_grace_period_setting(
    kz: WorkingCalendar, make_recommendation: Any, settings: Any, grace: int
) -> None:
    settings.VIGIL_RECOMMENDATION_GRACE_DAYS = grace
    deadline = D(2025, 2, 3)  # Monday
    rec = make_recommendation(issued_on=D(2025, 1, 15), deadline=deadline)
    run(kz.add_working_days(deadline, grace))
    rec.refresh_from_db()
    assert rec.state == State.AWAITING_RESPONSE
    run(kz.add_working_days(deadline, grace + 1))
    rec.refresh_from_db()
    assert rec.state == State.NO_RESPONSE


def test_bad_date_is_a_command_error(db: Any) -> None:
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_recommendation_reminders", "--today", "03.03.2025")


def test_system_created_recommendation_moves_to_no_response(
    kz: WorkingCalendar, make_recommendation: Any
) -> None:
    rec = make_recommendation(created_by=None, issued_on=D(2025, 1, 15), deadline=D(2025, 2, 3))
    assert "1 moved to no response" in run(D(2025, 3, 3))
    rec.refresh_from_db()
    assert rec.state == State.NO_RESPONSE
