"""/api/v1/auth/tokens/ (list and revoke one's own tokens) and /api/v1/auth/logout/ (revoke
the token of the request), for every role; the token's last use."""

from typing import Any

import pytest
from django.test import Client

from conftest import ALL_ACTORS
from vigil.accounts.models import ApiToken, User
from vigil.accounts.tests.fixtures import api_key
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/auth/tokens/"
LOGOUT_URL = "/api/v1/auth/logout/"
API_URL = "/api/v1/regions/"


def auth(key: str) -> dict[str, Any]:
    return {"HTTP_AUTHORIZATION": f"Token {key}"}


@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_list_matrix(users: dict[str, User], actor: str) -> None:
    """Each role lists its own tokens only; without a token or session: 401."""
    api_key(users["other_liaison"], name="someone else's")
    if actor == "anonymous":
        assert Client().get(LIST_URL).status_code == 401
        return
    key = api_key(users[actor], name="laptop")
    api_key(users[actor], name="phone")
    response = Client().get(LIST_URL, **auth(key))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert {row["name"]: row["current"] for row in body["results"]} == {
        "laptop": True,
        "phone": False,
    }
    assert set(body["results"][0]) == {
        "id",
        "name",
        "kind",
        "created",
        "expiry",
        "last_used_at",
        "current",
    }
    assert key not in response.content.decode()


def test_list_with_the_session(client_for: Any, users: dict[str, User]) -> None:
    api_key(users["auditor"], name="export")
    body = client_for("auditor").get(LIST_URL).json()
    assert [(row["name"], row["current"]) for row in body["results"]] == [("export", False)]


@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_revoke_matrix(users: dict[str, User], actor: str) -> None:
    """A token is revoked by its owner only: another account's answers 404 (an
    administrator's call included), and keeps working."""
    victim = api_key(users["monitor"])
    victim_id = ApiToken.objects.get().public_id
    if actor == "anonymous":
        assert Client().delete(f"{LIST_URL}{victim_id}/").status_code == 401
        assert Client().get(API_URL, **auth(victim)).status_code == 200
        return
    key = api_key(users[actor]) if actor != "monitor" else victim
    response = Client().delete(f"{LIST_URL}{victim_id}/", **auth(key))
    if actor == "monitor":
        assert response.status_code == 204
        assert Client().get(API_URL, **auth(victim)).status_code == 401
        event = AuditEvent.objects.get(action=AuditAction.API_TOKEN_REVOKED)
        assert event.data["reason"] == "owner"
    else:
        assert response.status_code == 404
        assert Client().get(API_URL, **auth(victim)).status_code == 200
        assert not AuditEvent.objects.filter(action=AuditAction.API_TOKEN_REVOKED).exists()


def test_revoke_an_unknown_or_malformed_id_is_404(users: dict[str, User]) -> None:
    key = api_key(users["coordinator"])
    for ident in ("not-a-uuid", "00000000-0000-0000-0000-000000000000"):
        assert Client().delete(f"{LIST_URL}{ident}/", **auth(key)).status_code == 404


@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_logout_matrix(users: dict[str, User], actor: str) -> None:
    """Log out revokes the token it is sent with, and only that one."""
    if actor == "anonymous":
        assert Client().post(LOGOUT_URL).status_code == 401
        return
    key, other = api_key(users[actor], name="a"), api_key(users[actor], name="b")
    assert Client().post(LOGOUT_URL, **auth(key)).status_code == 204
    assert Client().get(API_URL, **auth(key)).status_code == 401
    assert Client().get(API_URL, **auth(other)).status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.API_TOKEN_REVOKED)
    assert event.data["reason"] == "signed_out"
    assert event.actor == users[actor]


def test_logout_with_a_session_is_refused(client_for: Any, users: dict[str, User]) -> None:
    api_key(users["coordinator"])
    assert client_for("coordinator").post(LOGOUT_URL).status_code == 401
    assert ApiToken.objects.exists()


def test_the_last_use_is_noted(users: dict[str, User]) -> None:
    key = api_key(users["auditor"])
    assert ApiToken.objects.get().last_used_at is None
    Client().get(API_URL, **auth(key))
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    Client().get(API_URL, **auth(key))  # within the minute: not written again
    assert ApiToken.objects.get().last_used_at == first
