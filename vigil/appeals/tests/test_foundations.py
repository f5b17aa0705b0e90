"""The ground of the appeals app: reference data, sealed appellants with their fingerprint,
encrypted content, deadlines in working days from data, and the three life cycles."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from vigil.accounts.models import User
from vigil.appeals.deadlines import add_months, answer_due, overdue_q
from vigil.appeals.enums import AppealState, CaseState, Channel, ReferralState
from vigil.appeals.models import Appeal, AppealEvent, AppealIdentity, TimeLimit
from vigil.appeals.reference import appeal_reference_load
from vigil.appeals.services.appeals import (
    Appellant,
    appeal_content_read,
    appeal_register,
    appeal_submit,
    appellant_reveal,
    status_secret_matches,
)
from vigil.appeals.workflow import APPEALS, CASES, REFERRALS
from vigil.audit.enums import AccessKind, AuditAction
from vigil.audit.models import AccessEvent, AuditEvent
from vigil.core.calendar import WorkingCalendar
from vigil.core.sealing import identity_fingerprint

pytestmark = pytest.mark.django_db

NAME = "Айгүл Серікқызы Бекова"


def test_reference_load_is_idempotent(appeal_reference: Any) -> None:
    again = appeal_reference_load(country="kz")
    assert all(c["created"] == 0 and c["updated"] == 0 for c in again.values())
    assert TimeLimit.objects.get(code="answer").amount == 15
    assert appeal_reference["subjects"]["medical_care"].name_en == "Medical care"


def test_fingerprint_ignores_case_spacing_order_and_kazakh_letters() -> None:
    same = {
        identity_fingerprint("Айгүл Серікқызы Бекова"),
        identity_fingerprint("  БЕКОВА айгул, серикқызы "),
        identity_fingerprint("бекова-айгүл серікқызы"),
    }
    assert len(same) == 1
    assert identity_fingerprint("Айгүл Бекова") not in same
    assert identity_fingerprint("   ") == ""


def test_staff_register_seals_the_appellant_and_encrypts_the_content(
    users: dict[str, User], make_institution: Callable[..., Any], appeal_reference: Any
) -> None:
    institution = make_institution()
    appeal = appeal_register(
        actor=users["coordinator"],
        channel=Channel.LETTER,
        data={"institution": institution, "subject": appeal_reference["subjects"]["torture"]},
        content="Тергеуші ұрды",
        appellant=Appellant(name=NAME, contact="Astana, 1 Main St"),
    )
    assert appeal.reference.startswith(f"A-{timezone.localdate().year}-")
    assert appeal.state == AppealState.REGISTERED
    assert appeal.region == institution.region
    assert appeal.due_on is not None
    assert appeal.registered_on is not None
    assert appeal.due_on > appeal.registered_on
    sealed = AppealIdentity.objects.get(appeal=appeal)
    assert sealed.fingerprint == identity_fingerprint(NAME)
    # the raw database holds neither the name nor the content
    with connection.cursor() as cursor:
        for table in ("appeals_appeal", "appeals_appealidentity", "audit_auditevent"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (fixed table names)
            dump = repr(cursor.fetchall())
            for plaintext in ("Бекова", "Тергеуші", "Main St"):
                assert plaintext not in dump
    assert AuditEvent.objects.filter(action=AuditAction.APPEAL_CREATED).count() == 1
    assert AppealEvent.objects.filter(appeal=appeal).count() == 1


def test_content_read_and_unseal_are_logged_first(users: dict[str, User], appeal: Appeal) -> None:
    text = appeal_content_read(actor=users["coordinator"], appeal=appeal)
    assert "ұрды" in text
    assert AccessEvent.objects.filter(kind=AccessKind.APPEAL_READ).count() == 1
    with pytest.raises(ValidationError):
        appellant_reveal(actor=users["coordinator"], appeal=appeal, reason=" ")
    who = appellant_reveal(actor=users["coordinator"], appeal=appeal, reason="Letter to send")
    assert who.name.startswith("Ерлан")
    assert AccessEvent.objects.filter(kind=AccessKind.IDENTITY_UNSEALED).count() == 1
    for role in ("liaison", "admin", "auditor"):
        with pytest.raises(PermissionDenied):
            appellant_reveal(actor=users[role], appeal=appeal, reason="curious")
    with pytest.raises(PermissionDenied):
        appeal_content_read(actor=users["liaison"], appeal=appeal)


def test_public_submission_is_anonymous_without_a_name_and_keeps_only_the_secret_hash(
    appeal_reference: Any,
) -> None:
    appeal, secret, created = appeal_submit(
        channel=Channel.WEB_FORM, data={"institution_text": "СИЗО"}, content="Жалоба"
    )
    assert created
    assert appeal.anonymous
    assert appeal.state == AppealState.RECEIVED
    assert secret
    assert secret not in appeal.status_secret_hash
    assert status_secret_matches(appeal, secret.lower().replace("-", " "))
    assert not status_secret_matches(appeal, "AAAA-BBBB-CCCC")
    assert not status_secret_matches(None, secret)


def test_a_liaison_cannot_register(users: dict[str, User], appeal_reference: Any) -> None:
    with pytest.raises(PermissionDenied):
        appeal_register(actor=users["liaison"], channel=Channel.LETTER, data={}, content="x")
    assert not Appeal.objects.exists()


def test_deadlines_count_working_days_from_data(appeal_reference: Any) -> None:
    calendar = WorkingCalendar()
    friday = datetime.date(2026, 11, 6)
    assert answer_due(friday, calendar) == calendar.add_working_days(friday, 15)
    TimeLimit.objects.filter(code="answer").update(amount=10)
    assert answer_due(friday, calendar) == calendar.add_working_days(friday, 10)
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)


def test_overdue_counts_the_extension(make_appeal: Callable[..., Appeal]) -> None:
    today = datetime.date(2026, 12, 1)
    late = make_appeal(due_on=datetime.date(2026, 11, 30))
    extended = make_appeal(
        due_on=datetime.date(2026, 11, 30), extended_until=datetime.date(2026, 12, 20)
    )
    make_appeal(state=AppealState.CLOSED_RESOLVED, due_on=datetime.date(2026, 11, 1))
    assert set(Appeal.objects.filter(overdue_q(today))) == {late}
    assert extended not in Appeal.objects.filter(overdue_q(today))


def test_life_cycles_are_connected() -> None:
    """Every state of each life cycle is reachable from its first state."""
    for table, first, states in (
        (APPEALS, AppealState.RECEIVED, AppealState.values),
        (REFERRALS, ReferralState.SENT, ReferralState.values),
        (CASES, CaseState.REPORTED, CaseState.values),
    ):
        reached: set[str] = {first}
        frontier: list[str] = [first]
        while frontier:
            state = frontier.pop()
            for move in table.moves:
                if move.source == state and move.target not in reached:
                    reached.add(move.target)
                    frontier.append(move.target)
        assert reached == set(states)


def test_triage_needs_a_subject_and_a_place(
    users: dict[str, User], make_appeal: Callable[..., Appeal]
) -> None:
    appeal = make_appeal(subject=None)
    with pytest.raises(ValidationError) as error:
        APPEALS.check(users["coordinator"], appeal, name="triage")
    assert "subject" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        APPEALS.check(users["liaison"], make_appeal(), name="triage")
