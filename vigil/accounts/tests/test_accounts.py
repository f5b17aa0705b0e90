"""Login, logout, passwords and user management: role matrix and audit."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from conftest import ALL_ACTORS, PASSWORD
from vigil.accounts.enums import Role
from vigil.accounts.models import User
from vigil.accounts.services import user_create
from vigil.audit.models import AuditEvent


def test_login_by_email_is_audited(users):
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": "Coordinator@Test.Vigil", "password": PASSWORD}
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="user.logged_in")
    assert event.actor == users["coordinator"]
    assert event.request_id
    assert event.ip == "127.0.0.1"


def test_failed_login_is_audited_without_password(users):
    response = Client().post(
        "/accounts/login/", {"username": "coordinator@test.vigil", "password": "wrong-one"}
    )
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="user.login_failed")
    assert event.actor is None
    assert event.data == {"email": "coordinator@test.vigil"}


def test_inactive_user_cannot_log_in(users):
    users["monitor"].is_active = False
    users["monitor"].save()
    response = Client().post(
        "/accounts/login/", {"username": "monitor@test.vigil", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in Client().session


def test_logout_is_post_and_audited(client_for, users):
    client = client_for("monitor")
    assert client.post("/accounts/logout/").status_code == 302
    assert AuditEvent.objects.filter(action="user.logged_out", actor=users["monitor"]).exists()
    assert client.get("/").status_code == 302


def test_passwords_are_hashed_with_argon2(settings, db):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = User.objects.create_user(
        email="argon@test.vigil", password="x-strong-pass-1", full_name="A", role=Role.MONITOR
    )
    assert user.password.startswith("argon2")


def test_password_change_audited(client_for, users):
    client = client_for("auditor")
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Another-pass-987",
            "new_password2": "Another-pass-987",
        },
    )
    assert response.status_code == 302
    users["auditor"].refresh_from_db()
    assert users["auditor"].check_password("Another-pass-987")
    assert AuditEvent.objects.filter(
        action="user.password_changed", actor=users["auditor"]
    ).exists()


def test_password_reset_flow(users):
    client = Client()
    assert (
        client.post("/accounts/password/reset/", {"email": "liaison@test.vigil"}).status_code == 302
    )
    assert len(mail.outbox) == 1
    link = next(
        line for line in mail.outbox[0].body.splitlines() if "/accounts/password/reset/" in line
    )
    path = link.split("testserver", 1)[1]
    response = client.get(path, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "Brand-new-pass-55", "new_password2": "Brand-new-pass-55"}
    )
    assert response.status_code == 302
    users["liaison"].refresh_from_db()
    assert users["liaison"].check_password("Brand-new-pass-55")
    assert AuditEvent.objects.filter(action="user.password_reset_completed").exists()
    assert AuditEvent.objects.filter(action="user.password_reset_requested").exists()


def test_unknown_email_reset_sends_nothing_and_reveals_nothing(db):
    response = Client().post("/accounts/password/reset/", {"email": "nobody@test.vigil"})
    assert response.status_code == 302
    assert mail.outbox == []


@pytest.mark.parametrize("actor", ALL_ACTORS)
@pytest.mark.parametrize("path", ["/accounts/users/", "/accounts/users/new/"])
def test_user_management_only_for_admins(client_for, actor, path):
    response = client_for(actor).get(path)
    expected = {"anonymous": 302, "admin": 200}.get(actor, 403)
    assert response.status_code == expected


@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_user_create_role_matrix(client_for, ref, actor):
    before = AuditEvent.objects.filter(action="user.created").count()
    response = client_for(actor).post(
        "/accounts/users/new/",
        {
            "email": "new.monitor@test.vigil",
            "full_name": "New Monitor",
            "role": "monitor",
            "password": "Long-enough-pass-1",
        },
    )
    created = User.objects.filter(email="new.monitor@test.vigil").first()
    if actor == "admin":
        assert response.status_code == 302
        assert created is not None
        assert created.check_password("Long-enough-pass-1")
        assert AuditEvent.objects.filter(
            action="user.created", target_id=str(created.public_id)
        ).exists()
    else:
        assert response.status_code in (302, 403)
        assert created is None
        assert AuditEvent.objects.filter(action="user.created").count() == before


@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_user_edit_role_matrix(client_for, users, ref, actor):
    target = users["monitor"]
    response = client_for(actor).post(
        f"/accounts/users/{target.public_id}/",
        {"email": target.email, "full_name": "Renamed", "role": "monitor", "is_active": "on"},
    )
    target.refresh_from_db()
    if actor == "admin":
        assert response.status_code == 302
        assert target.full_name == "Renamed"
        event = AuditEvent.objects.get(action="user.updated")
        assert event.data["changes"]["full_name"][1] == "Renamed"
    else:
        assert target.full_name != "Renamed"
        assert not AuditEvent.objects.filter(action="user.updated").exists()


def test_scope_rules(ref, users):
    with pytest.raises(ValidationError) as exc:
        user_create(actor=users["admin"], email="l@test.vigil", full_name="L", role=Role.LIAISON)
    assert "agency" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        user_create(actor=users["admin"], email="r@test.vigil", full_name="R", role=Role.REGIONAL)
    assert "regions" in exc.value.message_dict
    assert not User.objects.filter(email__in=["l@test.vigil", "r@test.vigil"]).exists()


def test_admin_cannot_demote_themself(client_for, users):
    admin = users["admin"]
    response = client_for("admin").post(
        f"/accounts/users/{admin.public_id}/",
        {"email": admin.email, "full_name": admin.full_name, "role": "monitor", "is_active": "on"},
    )
    assert response.status_code == 200
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN
