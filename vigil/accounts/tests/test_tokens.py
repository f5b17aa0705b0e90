"""API tokens: the "API tokens" page (every role, its own tokens), administrators' revocation
on an account's page, and the automatic revocation on password change or reset, deactivation
and role or scope change."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from conftest import ALL_ACTORS, PASSWORD, ROLES
from vigil.accounts.models import ApiToken, User
from vigil.accounts.services import user_set_password, user_update
from vigil.accounts.tests.fixtures import api_key
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

API_URL = "/api/v1/regions/"
PAGE = "/accounts/tokens/"


def works(key: str) -> bool:
    response = Client().get(API_URL, HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code in (200, 401), response.content
    return response.status_code == 200


def revocations() -> list[dict[str, Any]]:
    return [
        e.data
        for e in AuditEvent.objects.filter(
            action__in=[AuditAction.API_TOKEN_REVOKED, AuditAction.API_TOKENS_REVOKED]
        ).order_by("id")
    ]


@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_tokens_page_matrix(client_for: Any, users: dict[str, User], actor: str) -> None:
    """Everyone signed in has the page, with only their own tokens."""
    api_key(users["monitor"], name="monitor's phone")
    response = client_for(actor).get(PAGE)
    if actor == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
        return
    assert response.status_code == 200
    assert ("monitor&#x27;s phone" in response.content.decode()) == (actor == "monitor")


@pytest.mark.parametrize("actor", ROLES)
def test_issue_on_the_page_shows_the_token_once(
    client_for: Any, users: dict[str, User], actor: str
) -> None:
    client = client_for(actor)
    response = client.post(PAGE, {"name": "statistics script"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=users[actor])
    key = response.context["new_key"]
    assert key in response.content.decode()
    assert works(key)
    assert token.name == "statistics script"
    event = AuditEvent.objects.get(action=AuditAction.API_TOKEN_ISSUED)
    assert event.actor == users[actor]
    assert key not in str(event.data)
    page = client.get(PAGE).content.decode()
    assert "statistics script" in page
    assert key not in page


def test_issue_without_a_name_names_the_field(client_for: Any) -> None:
    response = client_for("auditor").post(PAGE, {"name": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert not ApiToken.objects.exists()


def test_owner_revokes_one_then_all(client_for: Any, users: dict[str, User]) -> None:
    client = client_for("coordinator")
    first, second, third = (api_key(users["coordinator"], name=n) for n in ("a", "b", "c"))
    token = ApiToken.objects.get(name="a")
    response = client.post(f"/accounts/tokens/{token.public_id}/revoke/")
    assert response.status_code == 302
    assert response["Location"] == PAGE
    assert not works(first)
    assert works(second)
    assert client.post("/accounts/tokens/revoke-all/").status_code == 302
    assert not works(second)
    assert not works(third)
    assert revocations() == [
        {"token": str(token.public_id), "name": "a", "reason": "owner"},
        {"count": 2, "names": ["b", "c"], "reason": "owner"},
    ]


def test_revoke_needs_post(client_for: Any, users: dict[str, User]) -> None:
    api_key(users["monitor"])
    token = ApiToken.objects.get()
    assert (
        client_for("monitor").get(f"/accounts/tokens/{token.public_id}/revoke/").status_code == 405
    )
    assert ApiToken.objects.exists()


@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_another_accounts_token_matrix(client_for: Any, users: dict[str, User], actor: str) -> None:
    """Only an administrator revokes another account's token (on its page); anyone else gets
    404, by either address, and the token keeps working."""
    owner = users["other_liaison"]
    key = api_key(owner)
    token = ApiToken.objects.get()
    client = client_for(actor)
    own_route = client.post(f"/accounts/tokens/{token.public_id}/revoke/")
    admin_route = f"/accounts/users/{owner.public_id}/tokens/{token.public_id}/revoke/"
    all_route = f"/accounts/users/{owner.public_id}/tokens/revoke-all/"
    if actor == "anonymous":
        assert own_route.status_code == 302
        assert client.post(admin_route).status_code == 302
        assert works(key)
        return
    assert own_route.status_code == 404
    if actor == "admin":
        response = client.post(admin_route)
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/users/{owner.public_id}/"
        assert not works(key)
        assert revocations()[0]["reason"] == "administrator"
        again = api_key(owner)
        assert client.post(all_route).status_code == 302
        assert not works(again)
    else:
        assert client.post(admin_route).status_code == 404
        assert client.post(all_route).status_code == 404
        assert works(key)
        assert not revocations()


def test_the_account_page_lists_its_tokens(client_for: Any, users: dict[str, User]) -> None:
    api_key(users["auditor"], name="audit export")
    page = client_for("admin").get(f"/accounts/users/{users['auditor'].public_id}/")
    assert "audit export" in page.content.decode()


def test_a_token_stops_after_a_password_change_on_the_page(
    client_for: Any, users: dict[str, User]
) -> None:
    key = api_key(users["monitor"])
    client = client_for("monitor")
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-passphrase-42",
            "new_password2": "a-new-long-passphrase-42",
        },
    )
    assert response.status_code == 302
    assert not works(key)
    assert revocations() == [{"count": 1, "names": ["tests"], "reason": "password_changed"}]
    assert client.get("/").status_code == 200  # the page's own session goes on


def test_a_token_stops_after_a_password_reset(users: dict[str, User]) -> None:
    key = api_key(users["liaison"])
    user_set_password(
        user=users["liaison"],
        password="a-new-long-passphrase-42",
        action=AuditAction.PASSWORD_RESET_COMPLETED,
    )
    assert not works(key)
    assert revocations()[0]["reason"] == "password_reset"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"is_active": False}, "deactivated"),
        ({"role": "auditor"}, "role_changed"),
    ],
)
def test_a_token_stops_after_deactivation_or_role_change(
    users: dict[str, User], change: dict[str, Any], reason: str
) -> None:
    user = users["coordinator"]
    key = api_key(user)
    user_update(actor=users["admin"], user=user, data=change)
    if change.get("is_active") is False:
        user.is_active = True  # even if it were reactivated, the token stays revoked
        user.save()
    assert not works(key)
    assert revocations() == [{"count": 1, "names": ["tests"], "reason": reason}]
    assert (
        AuditEvent.objects.filter(action=AuditAction.API_TOKENS_REVOKED).get().actor
        == (users["admin"])
    )


def test_a_token_stops_after_a_scope_change(users: dict[str, User], ref: dict[str, Any]) -> None:
    user = users["regional"]
    key = api_key(user)
    user_update(actor=users["admin"], user=user, data={}, regions=[ref["astana"], ref["almaty"]])
    assert not works(key)


def test_a_name_change_keeps_the_tokens(users: dict[str, User]) -> None:
    key = api_key(users["monitor"])
    user_update(actor=users["admin"], user=users["monitor"], data={"full_name": "Renamed"})
    assert works(key)
    assert not revocations()


def test_a_token_stops_at_its_expiry(users: dict[str, User]) -> None:
    key = api_key(users["auditor"])
    assert works(key)
    ApiToken.objects.update(expiry=timezone.now() - timedelta(seconds=1))
    assert not works(key)
    assert not ApiToken.objects.exists()  # an expired token is deleted when presented


def test_a_new_token_expires_after_the_setting(
    client_for: Any, users: dict[str, User], settings: Any
) -> None:
    settings.VIGIL_API_TOKEN_TTL = 7
    client_for("auditor").post(PAGE, {"name": "short"})
    token = ApiToken.objects.get()
    assert abs(token.expiry - (timezone.now() + timedelta(days=7))) < timedelta(minutes=1)
