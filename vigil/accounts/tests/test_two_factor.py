"""Two-factor sign-in: the secret encrypted at rest, enrolment, the code step and its lockout,
recovery codes (hashed, once), turning it off, an administrator's reset, the API token."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp

from conftest import ALL_ACTORS, PASSWORD
from vigil.accounts.models import AuthenticatorDevice, LoginFailure, RecoveryCode, User
from vigil.accounts.twofactor.services import (
    enrolment_preset,
    enrolment_start,
    recovery_codes_regenerate,
    secret_text,
)
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.core.crypto import DecryptionError

REQUIRED = ("admin", "coordinator", "regional")
SECRET = b"0123456789abcdefghij"
LOGIN_URL = reverse("accounts:login")
ENROL_URL = reverse("accounts:two_factor")
VERIFY_URL = reverse("accounts:two_factor_verify")
TOKEN_URL = "/api/v1/auth/token/"

pytestmark = pytest.mark.usefixtures("two_factor_required")


@pytest.fixture
def two_factor_required(settings):  # type: ignore[no-untyped-def]
    settings.VIGIL_TWO_FACTOR_REQUIRED_ROLES = REQUIRED


def code(secret: bytes = SECRET, steps_ahead: int = 0) -> str:
    """The app's code now (or `steps_ahead` 30-second steps later: each code is used once)."""
    return f"{totp(secret, t0=-30 * steps_ahead):06d}"


def enrolled(user: User) -> list[str]:
    enrolment_preset(user=user, secret=SECRET, data={})
    return recovery_codes_regenerate(user=user)


def actions(user: User) -> list[str]:
    return list(
        AuditEvent.objects.filter(target_id=str(user.public_id)).values_list("action", flat=True)
    )


def password_step(client: Client, user: User):  # type: ignore[no-untyped-def]
    return client.post(LOGIN_URL, {"username": user.email, "password": PASSWORD})


def test_the_secret_is_stored_encrypted_and_bound_to_its_account(users):
    device = enrolment_start(user=users["monitor"])
    secret = device.secret()
    assert len(secret) == 20
    raw = bytes(AuthenticatorDevice.objects.get(pk=device.pk).encrypted_key)
    assert secret not in raw
    moved = AuthenticatorDevice(user=users["auditor"], encrypted_key=raw)
    with pytest.raises(DecryptionError):
        moved.secret()


def test_enrolment_shows_a_qr_code_and_the_secret_and_gives_ten_codes_once(client_for, users):
    coordinator = users["coordinator"]
    client = client_for("coordinator")
    assert client.get(reverse("site:home"))["Location"].startswith(ENROL_URL)
    page = client.get(ENROL_URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="data:image/svg+xml' in html
    secret = AuthenticatorDevice.objects.get(user=coordinator).secret()
    text = secret_text(secret)
    assert " ".join(text[i : i + 4] for i in range(0, len(text), 4)) in html

    wrong = client.post(ENROL_URL, {"code": "000000" if code(secret) != "000000" else "111111"})
    assert "This code is not right" in wrong.content.decode()
    assert not AuthenticatorDevice.objects.get(user=coordinator).confirmed

    done = client.post(ENROL_URL, {"code": code(secret)})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == len(set(codes)) == 10
    hashes = list(RecoveryCode.objects.filter(user=coordinator).values_list("code_hash", flat=True))
    assert len(hashes) == 10
    assert not any(c.replace("-", "") in h for c in codes for h in hashes)
    assert AuditAction.TWO_FACTOR_ENROLLED in actions(coordinator)
    assert client.get(reverse("site:home")).status_code == 200
    # The status page shows no codes again, and the role may not turn it off.
    status = client.get(ENROL_URL)
    assert codes[0] not in status.content.decode()
    assert status.context["form"] is None


def test_sign_in_asks_for_the_code_after_the_password(users):
    coordinator = users["coordinator"]
    enrolled(coordinator)
    client = Client()
    assert password_step(client, coordinator).status_code == 302
    home = client.get(reverse("site:home"))
    assert home["Location"] == f"{VERIFY_URL}?next=%2F"
    assert client.get("/api/v1/regions/").status_code == 403
    wrong = client.post(VERIFY_URL, {"code": "12345", "next": "/"})
    assert wrong.status_code == 200
    assert "This code is not right" in wrong.content.decode()
    assert AuditAction.TWO_FACTOR_FAILED in actions(coordinator)
    assert LoginFailure.objects.count() == 1
    right = client.post(VERIFY_URL, {"code": code(), "next": "/"})
    assert right["Location"] == "/"
    assert client.session[DEVICE_ID_SESSION_KEY]
    assert client.get(reverse("site:home")).status_code == 200
    assert AuditAction.TWO_FACTOR_VERIFIED in actions(coordinator)
    assert LoginFailure.objects.count() == 0
    # The same code is not accepted twice.
    again = Client()
    password_step(again, coordinator)
    assert again.post(VERIFY_URL, {"code": code()}).status_code == 200


@override_settings(VIGIL_LOGIN_FAILURE_LIMIT=3)
def test_wrong_codes_lock_the_account_even_with_the_right_code(users):
    coordinator = users["coordinator"]
    enrolled(coordinator)
    client = Client()
    password_step(client, coordinator)
    for _ in range(2):
        client.post(VERIFY_URL, {"code": "abc"})
    # Entering the password again does not clear the failures of the code step.
    password_step(client, coordinator)
    client.post(VERIFY_URL, {"code": "abc"})
    refused = client.post(VERIFY_URL, {"code": code()})
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert AuditEvent.objects.filter(action=AuditAction.USER_LOGIN_LOCKED).count() == 1


def test_a_recovery_code_signs_in_once(users):
    coordinator = users["coordinator"]
    codes = enrolled(coordinator)
    client = Client()
    password_step(client, coordinator)
    assert client.post(VERIFY_URL, {"code": codes[3].upper()})["Location"] == "/"
    assert AuditAction.RECOVERY_CODE_USED in actions(coordinator)
    assert RecoveryCode.objects.filter(user=coordinator, used_at=None).count() == 9
    second = Client()
    password_step(second, coordinator)
    assert second.post(VERIFY_URL, {"code": codes[3]}).status_code == 200
    assert DEVICE_ID_SESSION_KEY not in second.session


def test_new_recovery_codes_void_the_old_ones(users):
    coordinator = users["coordinator"]
    old = enrolled(coordinator)
    client = Client()
    password_step(client, coordinator)
    client.post(VERIFY_URL, {"code": code()})
    new = client.post(reverse("accounts:two_factor_recovery_codes")).context["codes"]
    assert set(new).isdisjoint(old)
    assert AuditAction.RECOVERY_CODES_REGENERATED in actions(coordinator)
    other = Client()
    password_step(other, coordinator)
    assert other.post(VERIFY_URL, {"code": old[0]}).status_code == 200
    assert other.post(VERIFY_URL, {"code": new[0]}).status_code == 302


def test_a_monitor_may_turn_it_on_and_off_with_password_and_code(users):
    monitor = users["monitor"]
    client = Client()
    client.force_login(monitor)
    assert client.get(reverse("site:home")).status_code == 200  # not required
    secret = enrolment_start(user=monitor).secret()
    client.post(ENROL_URL, {"code": code(secret)})
    url = reverse("accounts:two_factor_disable")
    refused = client.post(url, {"password": "wrong", "code": code(secret, 1)})
    assert refused.status_code == 400
    assert "This password is not right." in refused.content.decode()
    assert client.post(url, {"password": PASSWORD, "code": code(secret, 1)}).status_code == 302
    assert not AuthenticatorDevice.objects.filter(user=monitor).exists()
    assert not RecoveryCode.objects.filter(user=monitor).exists()
    assert AuditAction.TWO_FACTOR_DISABLED in actions(monitor)


def test_a_required_role_cannot_turn_it_off(users):
    coordinator = users["coordinator"]
    enrolled(coordinator)
    client = Client()
    password_step(client, coordinator)
    client.post(VERIFY_URL, {"code": code()})
    url = reverse("accounts:two_factor_disable")
    assert client.post(url, {"password": PASSWORD, "code": code(steps_ahead=1)}).status_code == 403
    assert AuthenticatorDevice.objects.filter(user=coordinator).exists()


@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_only_an_administrator_resets_a_second_factor(actor, users, settings):
    settings.VIGIL_TWO_FACTOR_REQUIRED_ROLES = ()  # the actors are signed in with force_login
    monitor = users["other_liaison"]  # enrolled, and none of the actors
    enrolled(monitor)
    client = Client()
    if actor != "anonymous":
        client.force_login(users[actor])
    url = reverse("accounts:user_two_factor_reset", args=[monitor.public_id])
    response = client.post(url)
    reset = AuditEvent.objects.filter(action=AuditAction.TWO_FACTOR_RESET)
    if actor == "admin":
        assert response.status_code == 302
        assert not AuthenticatorDevice.objects.filter(user=monitor).exists()
        assert not RecoveryCode.objects.filter(user=monitor).exists()
        assert reset.get().actor == users["admin"]
    else:
        assert response.status_code == (302 if actor == "anonymous" else 403)
        assert AuthenticatorDevice.objects.filter(user=monitor).exists()
        assert not reset.exists()


@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_every_signed_in_role_opens_its_two_factor_page(actor, client_for, settings):
    settings.VIGIL_TWO_FACTOR_REQUIRED_ROLES = ()
    response = client_for(actor).get(ENROL_URL)
    if actor == "anonymous":
        assert response["Location"].startswith(LOGIN_URL)
    else:
        assert response.status_code == 200
        # Without an authenticator there is no code step to open.
        assert client_for(actor).get(VERIFY_URL).status_code == 302


def token(client: Client, user: User, otp: str | None = None):  # type: ignore[no-untyped-def]
    data = {"email": user.email, "password": PASSWORD, "name": "laptop"}
    if otp is not None:
        data["otp"] = otp
    return client.post(TOKEN_URL, data, content_type="application/json")


@override_settings(VIGIL_API_TOKEN_RATE="1000/min")
def test_the_api_token_needs_the_code(users, client):
    coordinator, monitor = users["coordinator"], users["monitor"]
    assert token(client, monitor).status_code == 200  # neither required nor enrolled
    not_enrolled = token(client, coordinator)
    assert not_enrolled.status_code == 400
    assert "Turn on two-factor sign-in" in not_enrolled.json()["errors"]["otp"][0]
    enrolled(coordinator)
    assert token(client, coordinator).status_code == 400
    assert (
        token(client, coordinator, "999999" if code() != "999999" else "111111").status_code == 400
    )
    assert LoginFailure.objects.count() == 2  # the missing and the wrong code
    ok = token(client, coordinator, code())
    assert ok.status_code == 200
    assert ok.json()["token"]
    assert LoginFailure.objects.count() == 0
