"""`users_bulk_create`: accounts checked as `user_create` checks one, audited one by one."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from vigil.accounts.enums import Role
from vigil.accounts.models import User
from vigil.accounts.services import users_bulk_create
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_creates_normalised_accounts_without_a_password_and_audits_each(
    ref: dict[str, Any],
) -> None:
    created = users_bulk_create(
        [
            User(email="Aigul.Akhmetova@Example.ORG", full_name="Aigul", role=Role.MONITOR),
            User(email="liaison@example.org", full_name="L", role=Role.LIAISON, agency=ref["kuis"]),
        ],
        audit_data={"demo_data": "demo"},
    )
    assert [u.email for u in created] == ["aigul.akhmetova@example.org", "liaison@example.org"]
    for user in User.objects.filter(pk__in=[u.pk for u in created]):
        assert not user.has_usable_password()
        event = AuditEvent.objects.get(
            action=AuditAction.USER_CREATED, target_type="accounts.user", target_label=str(user)
        )
        assert event.actor is None
        assert event.data["fields"]["email"] == user.email
        assert event.data["demo_data"] == "demo"


def test_a_row_that_breaks_a_rule_writes_nothing(ref: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        users_bulk_create(
            [
                User(email="fine@example.org", full_name="Fine", role=Role.MONITOR),
                User(email="liaison@example.org", full_name="No agency", role=Role.LIAISON),
            ]
        )
    assert not User.objects.filter(email__endswith="@example.org").exists()
    assert not AuditEvent.objects.exists()
