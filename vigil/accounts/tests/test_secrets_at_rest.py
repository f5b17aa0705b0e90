"""The database holds no usable token or session secret: a copied `ApiToken` or
`django_session` table cannot be replayed as an `Authorization` header or a session cookie.
Sign-in, sign-out, the new key at sign-in and the cleanup of expired sessions still work."""

import sqlite3
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD
from vigil.accounts.models import ApiToken
from vigil.accounts.session_store import SessionStore, stored_key
from vigil.core.tests.commands import ManagePy, migrated

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
API_URL = "/api/v1/regions/"


def _rows(table: str) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
        return list(cursor.fetchall())


def _stored_values(table: str) -> list[str]:
    return [str(value) for row in _rows(table) for value in row if value is not None]


def _sign_in(email: str) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": email, "password": PASSWORD})
    assert response.status_code == 302, response.content
    return client


def test_neither_the_token_nor_the_session_cookie_is_in_the_database(users: Any) -> None:
    token = (
        Client()
        .post(
            TOKEN_URL,
            {"email": "monitor@test.vigil", "password": PASSWORD, "name": "laptop"},
            content_type="application/json",
        )
        .json()["token"]
    )
    browser = _sign_in("coordinator@test.vigil")
    cookie = browser.cookies[settings.SESSION_COOKIE_NAME].value
    assert Client().get(API_URL, HTTP_AUTHORIZATION=f"Token {token}").status_code == 200
    assert browser.get("/").status_code == 200

    token_table = _stored_values(ApiToken._meta.db_table)
    session_table = _stored_values(Session._meta.db_table)
    assert token_table
    assert session_table
    for value in token_table + session_table:
        assert token not in value
        assert cookie not in value
    assert Session.objects.get().session_key == stored_key(cookie)

    # What the tables hold opens nothing.
    for value in token_table:
        response = Client().get(API_URL, HTTP_AUTHORIZATION=f"Token {value}")
        assert response.status_code == 401, value
    for session in Session.objects.all():
        thief = Client()
        thief.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
        response = thief.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
        assert thief.get(API_URL).status_code == 401


def test_sign_in_gives_a_new_key_and_sign_out_deletes_the_row(users: Any) -> None:
    client = Client()
    anonymous = SessionStore()
    anonymous["x"] = 1
    anonymous.create()
    before = anonymous.session_key
    assert before is not None
    client.cookies[settings.SESSION_COOKIE_NAME] = before
    response = client.post(
        "/accounts/login/", {"username": "auditor@test.vigil", "password": PASSWORD}
    )
    assert response.status_code == 302
    signed_in = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert signed_in != before
    assert not Session.objects.filter(session_key=stored_key(before)).exists()
    assert Session.objects.filter(session_key=stored_key(signed_in)).exists()

    assert client.post("/accounts/logout/").status_code == 302
    assert not Session.objects.filter(session_key=stored_key(signed_in)).exists()
    client.cookies[settings.SESSION_COOKIE_NAME] = signed_in
    assert client.get("/").status_code == 302


def test_the_store_reads_writes_and_forgets_by_hash(db: None) -> None:
    store = SessionStore()
    store["answer"] = 42
    store.save()
    key = store.session_key
    assert key is not None
    assert SessionStore(key).load() == {"answer": 42}
    assert SessionStore(key).exists(key)
    assert not SessionStore().exists(stored_key(key))
    assert SessionStore(stored_key(key)).load() == {}
    Session.objects.filter(session_key=stored_key(key)).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    assert SessionStore(key).load() == {}
    SessionStore.clear_expired()
    assert not Session.objects.exists()


@pytest.fixture(scope="module")
def manage(tmp_path_factory: pytest.TempPathFactory) -> ManagePy:
    return migrated(tmp_path_factory.mktemp("sessions"), seed=False)


def _execute(manage: ManagePy, *statements: tuple[str, tuple[Any, ...]]) -> None:
    with sqlite3.connect(manage.database) as db:  # commits
        for sql, params in statements:
            db.execute(sql, params)


def test_clearsessions_removes_expired_sessions(manage: ManagePy) -> None:
    _execute(manage, ("DELETE FROM django_session", ()))
    rows = [
        (stored_key("expired-session-key"), "2000-01-01 00:00:00"),
        (stored_key("working-session-key"), "2999-01-01 00:00:00"),
    ]
    insert = "INSERT INTO django_session (session_key, session_data, expire_date) VALUES (?, '', ?)"
    _execute(manage, *((insert, row) for row in rows))
    manage.ok("clearsessions")
    assert manage.query("SELECT session_key FROM django_session") == [(rows[1][0],)]


def test_upgrade_drops_plaintext_tokens_and_ends_old_sessions(manage: ManagePy) -> None:
    """What an install from before this change held: DRF's plaintext tokens and sessions
    under their own keys; migrating removes both."""
    manage.ok("migrate", "accounts", "0004", "--no-input")
    _execute(
        manage,
        ("CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, user_id bigint)", ()),
        ("INSERT INTO authtoken_token VALUES ('plaintext-token', 1)", ()),
        (
            "INSERT INTO django_session (session_key, session_data, expire_date) "
            "VALUES ('rawsessionkey', '', '2999-01-01 00:00:00')",
            (),
        ),
    )
    manage.ok("migrate", "--no-input")
    tables = {row[0] for row in manage.query("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "authtoken_token" not in tables
    assert "knox_authtoken" not in tables  # replaced by accounts.ApiToken
    assert manage.count("django_session") == 0
