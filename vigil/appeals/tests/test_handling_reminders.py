"""Appeal reminders: who is reminded, once a day, about what (never the content or the
name); and the command as a user runs it (a subprocess, system checks on)."""

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core import mail

from vigil.accounts.models import User
from vigil.appeals.enums import AppealState, EventKind
from vigil.appeals.models import Appeal, AppealEvent
from vigil.appeals.services.reminders import appeal_reminders_run
from vigil.appeals.tests.fixtures import APPEAL_CONTENT, APPELLANT_NAME
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.core.tests.commands import ManagePy, migrated

TODAY = datetime.date(2026, 11, 24)  # a Tuesday


@pytest.mark.django_db
def test_reminds_the_assignee_or_the_region_once_a_day(
    users: dict[str, User], make_appeal: Callable[..., Appeal]
) -> None:
    assigned = make_appeal(due_on=TODAY - datetime.timedelta(days=1), assigned_to=users["monitor"])
    unassigned = make_appeal(due_on=TODAY + datetime.timedelta(days=1))
    make_appeal(due_on=TODAY + datetime.timedelta(days=20))  # not yet
    make_appeal(due_on=TODAY - datetime.timedelta(days=5), state=AppealState.CLOSED_RESOLVED)
    run = appeal_reminders_run(today=TODAY)
    assert (run.overdue, run.due_soon, run.emails) == (1, 1, 2)
    to = {m.to[0]: m.body for m in mail.outbox}
    assert assigned.reference in to[users["monitor"].email]
    assert unassigned.reference in to[users["regional"].email]  # the Astana representative
    for body in to.values():
        assert APPEAL_CONTENT not in body
        assert APPELLANT_NAME not in body
    assert AppealEvent.objects.filter(kind=EventKind.REMINDER).count() == 2
    assert AuditEvent.objects.filter(action=AuditAction.APPEAL_REMINDERS_SENT).count() == 2

    again = appeal_reminders_run(today=TODAY)
    assert (again.overdue, again.due_soon, again.emails) == (0, 0, 0)
    assert len(mail.outbox) == 2
    next_day = appeal_reminders_run(today=TODAY + datetime.timedelta(days=1))
    assert (next_day.overdue, next_day.due_soon) == (1, 1)  # the other is due that day


@pytest.mark.django_db
def test_mail_failure_records_nothing(
    users: dict[str, User], make_appeal: Callable[..., Appeal], monkeypatch: Any
) -> None:
    make_appeal(due_on=TODAY - datetime.timedelta(days=1))

    def broken(self: Any, fail_silently: bool = False) -> int:
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    run = appeal_reminders_run(today=TODAY)
    assert run.failed_groups == 1
    assert not AppealEvent.objects.filter(kind=EventKind.REMINDER).exists()


@pytest.fixture(scope="module")
def manage(tmp_path_factory: pytest.TempPathFactory) -> ManagePy:
    return migrated(tmp_path_factory.mktemp("appeal-commands"))


REGISTER = (
    "from vigil.accounts.models import User; "
    "from vigil.appeals.services.appeals import appeal_register; "
    "u = User.objects.create_user(email='coordinator@commands.test', password='x-commands-1', "
    "full_name='Coordinator', role='coordinator'); "
    "appeal_register(actor=u, channel='letter', data={'summary': 'No doctor'}, "
    "content='Дәрігер жоқ')"
)


def test_send_appeal_reminders_command_is_idempotent_per_day(
    manage: ManagePy, tmp_path: Path
) -> None:
    manage.ok("shell", "-c", REGISTER)
    first = manage.ok("send_appeal_reminders", "--today", "2031-03-04")
    assert "2031-03-04: 0 due-soon and 1 overdue appeal reminders in 1 e-mails" in first.stdout
    again = manage.ok("send_appeal_reminders", "--today", "2031-03-04")
    assert "0 overdue appeal reminders in 0 e-mails" in again.stdout
    assert manage.count("appeals_appealevent", "kind = ?", ("reminder",)) == 1
    wrong = manage("send_appeal_reminders", "--today", "yesterday")
    assert wrong.returncode != 0
