"""Sign-in lockout: held in the database, on the login page and the API token endpoint."""

from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from conftest import PASSWORD
from vigil.accounts.lockout import account_key, login_failed, login_refused
from vigil.accounts.models import LoginFailure
from vigil.audit.context import client_ip
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent

LOGIN_URL = reverse("accounts:login")
TOKEN_URL = "/api/v1/auth/token/"
EMAIL = "monitor@test.vigil"


def page_login(client: Client, email: str = EMAIL, password: str = PASSWORD, **extra):
    return client.post(LOGIN_URL, {"username": email, "password": password}, **extra)


def api_login(client: Client, email: str = EMAIL, password: str = PASSWORD, **extra):
    return client.post(
        TOKEN_URL,
        {"email": email, "password": password, "name": "laptop"},
        content_type="application/json",
        **extra,
    )


def locked_events():
    return AuditEvent.objects.filter(action=AuditAction.USER_LOGIN_LOCKED)


def fail_30_times_on_the_page(client: Client) -> None:
    for _ in range(30):
        assert page_login(client, password="wrong").status_code == 200


def test_page_refuses_the_right_password_after_30_failures(client, users):
    fail_30_times_on_the_page(client)
    response = page_login(client)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "_auth_user_id" not in client.session
    assert "Too many failed sign-ins for this account. Try again in 15 minutes." in (
        response.content.decode()
    )
    assert locked_events().count() == 1
    event = locked_events().get()
    assert event.data["email"] == EMAIL
    assert event.data["scope"] == "account"
    # Refused attempts do not add failures nor more audit rows.
    page_login(client, password="wrong")
    assert LoginFailure.objects.count() == 30
    assert locked_events().count() == 1


@override_settings(VIGIL_API_TOKEN_RATE="1000/min")
def test_api_refuses_the_right_password_after_30_failures(client, users):
    for _ in range(30):
        assert api_login(client, password="wrong").status_code == 400
    response = api_login(client)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many failed sign-ins for this account" in response.json()["detail"]
    assert "token" not in response.json()
    assert locked_events().count() == 1
    # The lockout holds across routes: the page refuses too.
    assert page_login(Client()).status_code == 429


def test_29_failures_then_the_right_password_signs_in_and_clears(client, users):
    for _ in range(29):
        page_login(client, password="wrong")
    assert page_login(client).status_code == 302
    assert "_auth_user_id" in client.session
    assert not LoginFailure.objects.filter(account_key=account_key(EMAIL)).exists()
    assert not locked_events().exists()


@override_settings(VIGIL_API_TOKEN_RATE="1000/min")
def test_api_success_clears_the_count(client, users):
    for _ in range(29):
        api_login(client, password="wrong")
    assert api_login(client).status_code == 200
    assert not LoginFailure.objects.exists()
    for _ in range(29):
        api_login(client, password="wrong")
    assert api_login(client).status_code == 200


def test_lockout_ends_after_its_time(client, users):
    fail_30_times_on_the_page(client)
    assert page_login(client).status_code == 429
    LoginFailure.objects.update(at=LoginFailure.objects.latest("at").at - timedelta(seconds=901))
    assert page_login(client).status_code == 302
    assert "_auth_user_id" in client.session


def test_failures_spread_over_more_than_the_window_do_not_lock(client, users):
    for _ in range(29):
        page_login(client, password="wrong")
    LoginFailure.objects.update(at=LoginFailure.objects.latest("at").at - timedelta(seconds=61))
    page_login(client, password="wrong")
    assert login_refused(EMAIL, "127.0.0.1") is None
    assert page_login(client).status_code == 302


def test_the_email_is_normalised_and_other_accounts_are_free(client, users):
    for index in range(30):
        page_login(client, email=" Monitor@Test.Vigil " if index % 2 else EMAIL, password="wrong")
    assert page_login(client, email="MONITOR@test.vigil").status_code == 429
    assert page_login(client, email="admin@test.vigil").status_code == 302


@override_settings(VIGIL_LOGIN_ADDRESS_FAILURE_LIMIT=5)
def test_per_address_limit_whatever_the_accounts(client, users):
    for index in range(5):
        page_login(client, email=f"nobody{index}@test.vigil", password="wrong")
    response = page_login(client, email="admin@test.vigil")
    assert response.status_code == 429
    assert "from your address" in response.content.decode()
    assert locked_events().get().data["scope"] == "address"
    # Another address may still sign in to the same account.
    assert page_login(Client(), email="admin@test.vigil", REMOTE_ADDR="10.1.2.3").status_code == 302


def test_default_address_limit_is_100(users):
    for index in range(99):
        login_failed(f"x{index}@test.vigil", "10.0.0.9")
    assert login_refused("admin@test.vigil", "10.0.0.9") is None
    login_failed("y@test.vigil", "10.0.0.9")
    assert login_refused("admin@test.vigil", "10.0.0.9") is not None


def test_the_table_holds_no_email_in_clear(client, users):
    for _ in range(3):
        page_login(client, password="wrong")
    for row in LoginFailure.objects.values():
        assert all("@" not in str(value) and "monitor" not in str(value) for value in row.values())
    assert set(LoginFailure.objects.values_list("account_key", flat=True)) == {account_key(EMAIL)}
    assert account_key(EMAIL) != account_key("admin@test.vigil")


def test_old_rows_are_pruned_on_write(users):
    login_failed(EMAIL, "10.0.0.1")
    LoginFailure.objects.update(at=LoginFailure.objects.get().at - timedelta(seconds=961))
    login_failed(EMAIL, "10.0.0.1")
    assert LoginFailure.objects.count() == 1


def test_forwarded_for_is_ignored_without_trusted_proxies(client, users):
    for _ in range(30):
        page_login(client, password="wrong", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert set(LoginFailure.objects.values_list("ip", flat=True)) == {"127.0.0.1"}


@override_settings(VIGIL_TRUSTED_PROXIES=1)
def test_forwarded_for_counts_behind_one_trusted_proxy(client, users):
    page_login(client, password="wrong", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7")
    assert list(LoginFailure.objects.values_list("ip", flat=True)) == ["203.0.113.7"]
    event = AuditEvent.objects.get(action=AuditAction.USER_LOGIN_FAILED)
    assert event.ip == "203.0.113.7"


class _Req:
    def __init__(self, **meta: str) -> None:
        self.META = {"REMOTE_ADDR": "10.0.0.1", **meta}


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.7", "10.0.0.1"),
        (1, "", "10.0.0.1"),
        (1, "198.51.100.1, 203.0.113.7", "203.0.113.7"),
        (2, "198.51.100.1, 203.0.113.7", "198.51.100.1"),
        (3, "198.51.100.1, 203.0.113.7", "10.0.0.1"),
        (1, "not-an-address", "10.0.0.1"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_ip(settings, proxies, forwarded, expected):
    settings.VIGIL_TRUSTED_PROXIES = proxies
    meta = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    assert client_ip(_Req(**meta)) == expected
