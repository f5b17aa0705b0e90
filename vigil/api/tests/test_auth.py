"""POST /api/v1/auth/token/: e-mail, password and a device name in, a new token out; audited
and throttled."""

import pytest
from django.test import Client, override_settings

from conftest import ALL_ACTORS, PASSWORD
from vigil.accounts.models import ApiToken
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent

TOKEN_URL = "/api/v1/auth/token/"
INSTITUTIONS_URL = "/api/v1/institutions/"


def obtain(client: Client, email: str, password: str = PASSWORD, name: str = "laptop", **extra):
    return client.post(
        TOKEN_URL,
        {"email": email, "password": password, "name": name},
        content_type="application/json",
        **extra,
    )


def issued_events():
    return AuditEvent.objects.filter(action=AuditAction.API_TOKEN_ISSUED)


@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_token_endpoint_matrix(client, users, actor):
    """Every role obtains its own token; without an account there is none to obtain."""
    if actor == "anonymous":
        response = obtain(client, "nobody@test.vigil")
        assert response.status_code == 400
        assert not ApiToken.objects.exists()
        assert not issued_events().exists()
        return
    user = users[actor]
    response = obtain(client, user.email)
    assert response.status_code == 200, response.content
    body = response.json()
    token = ApiToken.objects.get(user=user)
    assert body == {
        "token": body["token"],
        "id": str(token.public_id),
        "name": "laptop",
        "expiry": body["expiry"],
    }
    assert body["token"].startswith("vigil_")
    event = issued_events().get()
    assert event.actor == user
    assert event.target_id == str(user.public_id)
    assert event.data["name"] == "laptop"
    assert body["token"] not in str(event.data)


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_token_endpoint_only_accepts_post(client, users, method):
    response = getattr(client, method)(TOKEN_URL)
    assert response.status_code == 405
    assert "detail" in response.json()


def test_token_flow_then_token_header_works(client, users, make_institution):
    make_institution()
    key = obtain(client, "Coordinator@Test.Vigil").json()["token"]  # e-mail case-insensitive
    fresh = Client()
    assert fresh.get(INSTITUTIONS_URL).status_code in (401, 403)
    response = fresh.get(INSTITUTIONS_URL, HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert response.json()["count"] == 1
    # Asking again issues another token (one per device); both work, each is audited.
    other = obtain(client, "coordinator@test.vigil", name="phone").json()["token"]
    assert other != key
    assert issued_events().count() == 2
    for each in (key, other):
        assert fresh.get(INSTITUTIONS_URL, HTTP_AUTHORIZATION=f"Token {each}").status_code == 200


def test_wrong_password_is_400_without_token(client, users):
    response = obtain(client, "coordinator@test.vigil", "wrong-password")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"]
    assert body["errors"]["non_field_errors"]
    assert "token" not in body
    assert not ApiToken.objects.exists()
    assert not issued_events().exists()
    failed = AuditEvent.objects.get(action=AuditAction.USER_LOGIN_FAILED)
    assert failed.data == {"email": "coordinator@test.vigil"}


def test_inactive_user_gets_no_token(client, users):
    user = users["monitor"]
    user.is_active = False
    user.save()
    response = obtain(client, user.email)
    assert response.status_code == 400
    assert response.json()["errors"]["non_field_errors"]
    assert not ApiToken.objects.filter(user=user).exists()
    assert not issued_events().exists()


def test_token_of_a_deactivated_user_stops_working(client, users):
    key = obtain(client, "admin@test.vigil").json()["token"]
    users["admin"].is_active = False
    users["admin"].save()
    response = Client().get(INSTITUTIONS_URL, HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code in (401, 403)
    assert response.json()["detail"]


def test_invalid_token_is_refused(db):
    response = Client().get(INSTITUTIONS_URL, HTTP_AUTHORIZATION="Token not-a-real-token")
    assert response.status_code in (401, 403)
    assert response.json() == {"detail": "Invalid token."}


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({}, {"email", "password", "name"}),
        ({"email": "not-an-email", "password": "x", "name": "a"}, {"email"}),
        ({"email": "admin@test.vigil", "name": "a"}, {"password"}),
        ({"email": "admin@test.vigil", "password": PASSWORD}, {"name"}),
        ({"email": "admin@test.vigil", "password": PASSWORD, "name": "x" * 101}, {"name"}),
    ],
)
def test_malformed_request_names_the_fields(client, users, payload, fields):
    response = client.post(TOKEN_URL, payload, content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == fields
    assert not issued_events().exists()


def test_malformed_json_is_400_with_error_body(client, db):
    response = client.post(TOKEN_URL, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error")


def test_form_encoded_body_is_refused(client, users):
    response = client.post(TOKEN_URL, {"email": "admin@test.vigil", "password": PASSWORD})
    assert response.status_code == 415
    assert not issued_events().exists()


@override_settings(VIGIL_API_TOKEN_RATE="3/min")
def test_token_endpoint_is_throttled_per_address(client, users):
    for _ in range(3):
        assert obtain(client, "admin@test.vigil", "wrong").status_code == 400
    response = obtain(client, "admin@test.vigil")
    assert response.status_code == 429
    assert response.json()["detail"]
    assert "Retry-After" in response.headers
    assert not issued_events().exists()
    # A spoofed X-Forwarded-For does not buy fresh attempts.
    assert obtain(client, "admin@test.vigil", HTTP_X_FORWARDED_FOR="10.9.8.7").status_code == 429
    # Another address still may.
    assert obtain(client, "admin@test.vigil", REMOTE_ADDR="10.1.2.3").status_code == 200


def test_default_rate_is_ten_a_minute(client, users):
    statuses = [obtain(client, "admin@test.vigil", "wrong").status_code for _ in range(11)]
    assert statuses == [400] * 10 + [429]
