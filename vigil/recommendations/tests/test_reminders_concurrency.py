"""Two reminder runs at the same time, on two database connections, send each reminder once.

PostgreSQL only (SQLite serialises writers on the whole file). The first run is held inside
its transaction, after recording its reminders and while sending them, until the second run
is seen waiting for the recommendations' row locks; so the interleaving is forced, not left
to timing.
"""

import datetime
import threading
from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.db import connection, connections

from vigil.recommendations.enums import ReminderKind
from vigil.recommendations.models import Reminder
from vigil.recommendations.services.reminders import ReminderRun, reminders_run

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks (SELECT … FOR UPDATE) need PostgreSQL; SQLite locks the whole file",
    ),
    pytest.mark.django_db(transaction=True),
]

WAIT = 30  # seconds: an upper bound for a stuck test, not a timing assertion
TODAY = datetime.date(2025, 3, 3)


def _someone_waits_for_a_lock() -> bool:
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return bool(cursor.fetchone()[0])


def test_concurrent_runs_send_each_reminder_once(make_recommendation: Any) -> None:
    recs = [
        make_recommendation(issued_on=datetime.date(2025, 1, 15), deadline=day)
        for day in (datetime.date(2025, 2, 20), datetime.date(2025, 3, 5))
    ]
    sending = threading.Event()
    release = threading.Event()
    real_send = EmailMessage.send
    first_thread: dict[str, int] = {}

    def held_send(self: EmailMessage, *args: Any, **kwargs: Any) -> int:
        if threading.get_ident() == first_thread.get("id"):
            sending.set()
            if not release.wait(WAIT):
                raise AssertionError("the second run never waited for the row locks")
        return real_send(self, *args, **kwargs)

    results: dict[str, Any] = {}

    def run(key: str) -> None:
        if key == "first":
            first_thread["id"] = threading.get_ident()
        try:
            results[key] = reminders_run(today=TODAY)
        except Exception as exc:  # the test inspects what each side got
            results[key] = exc
        finally:
            connections.close_all()

    with mock.patch.object(EmailMessage, "send", held_send):
        first = threading.Thread(target=run, args=("first",))
        first.start()
        assert sending.wait(WAIT), results.get("first")
        second = threading.Thread(target=run, args=("second",))
        second.start()
        waited = False
        for _ in range(WAIT * 20):
            if _someone_waits_for_a_lock():
                waited = True
                break
            if not second.is_alive():
                break
            threading.Event().wait(0.05)
        release.set()
        first.join(WAIT)
        second.join(WAIT)

    assert waited, "the second run did not wait for the first one's row locks"
    assert isinstance(results["first"], ReminderRun), results["first"]
    assert isinstance(results["second"], ReminderRun), results["second"]
    assert (results["first"].due_soon, results["first"].overdue) == (1, 1)
    assert (results["second"].due_soon, results["second"].overdue, results["second"].emails) == (
        0,
        0,
        0,
    )
    assert len(mail.outbox) == 1  # one liaison of MVD-KUIS, one e-mail listing both
    assert set(Reminder.objects.values_list("recommendation_id", "kind")) == {
        (recs[0].pk, ReminderKind.OVERDUE),
        (recs[1].pk, ReminderKind.DUE_SOON),
    }
