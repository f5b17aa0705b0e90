"""Sessions end after `VIGIL_SESSION_IDLE_SECONDS` without a request and, at the latest,
`VIGIL_SESSION_MAX_SECONDS` after sign-in; each ending sends the visitor to the sign-in page
with the reason and writes the sign-out to the audit log."""

import time
from typing import Any

import pytest
from django.test import Client

from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent

from ..sessions import LAST_SEEN, SIGNED_IN

pytestmark = pytest.mark.django_db


def _signed_in(users: dict[str, Any]) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(users["coordinator"])
    return client


def _shift(client: Client, **seconds_ago: int) -> None:
    session = client.session
    now = int(time.time())
    for key, ago in seconds_ago.items():
        session[{"signed_in": SIGNED_IN, "seen": LAST_SEEN}[key]] = now - ago
    session.save()


def test_a_sign_in_stamps_the_session(users: dict[str, Any]) -> None:
    client = _signed_in(users)
    assert abs(client.session[SIGNED_IN] - time.time()) < 5
    assert client.get("/").status_code == 200


def test_an_idle_session_ends_and_says_why(users: dict[str, Any], settings: Any) -> None:
    settings.VIGIL_SESSION_IDLE_SECONDS = 1800
    client = _signed_in(users)
    _shift(client, seen=1801)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    assert "after a period without activity" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action=AuditAction.USER_LOGGED_OUT).count() == 1


def test_activity_keeps_the_session_and_moves_its_time(users: dict[str, Any]) -> None:
    client = _signed_in(users)
    _shift(client, seen=1700)
    assert client.get("/").status_code == 200
    assert abs(client.session[LAST_SEEN] - time.time()) < 5


def test_a_session_ends_at_its_longest_time_even_when_busy(
    users: dict[str, Any], settings: Any
) -> None:
    settings.VIGIL_SESSION_MAX_SECONDS = 12 * 3600
    client = _signed_in(users)
    _shift(client, signed_in=12 * 3600 + 1, seen=10)
    response = client.get("/", follow=True)
    assert "longest allowed time" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_api_with_a_session_answers_as_to_anyone_signed_out(users: dict[str, Any]) -> None:
    client = _signed_in(users)
    _shift(client, seen=3 * 3600)
    assert client.get("/api/v1/visits/").status_code == 401


def test_the_cookie_lasts_no_longer_than_the_longest_session(settings: Any) -> None:
    assert settings.SESSION_COOKIE_AGE == settings.VIGIL_SESSION_MAX_SECONDS
    assert settings.VIGIL_SESSION_IDLE_SECONDS < settings.VIGIL_SESSION_MAX_SECONDS
