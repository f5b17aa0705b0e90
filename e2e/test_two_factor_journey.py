"""Two-factor sign-in in the browser: a coordinator signs in, is sent to the enrolment, reads
the secret on the page, confirms with a code computed from it, gets ten recovery codes, signs
out; signs in again with a code, then with a recovery code (used once: the second use fails).
Every page passes axe-core (serious and critical) and breaks no CSP rule."""

import base64
from typing import Any

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from conftest import PASSWORD
from e2e.browser import axe_violations


def _code(secret: bytes, steps_ahead: int = 0) -> str:
    return f"{totp(secret, t0=-30 * steps_ahead):06d}"


def _password_step(page: Any, url: str, email: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].btn-primary")


def _sign_out(page: Any) -> None:
    page.click("#account-menu")
    page.locator("form[action$='/accounts/logout/'] button").first.click()
    page.wait_for_url("**/accounts/login/")


@pytest.mark.django_db(transaction=True)
def test_enrol_then_sign_in_with_a_code_and_a_recovery_code(  # type: ignore[no-untyped-def]
    browser, live_server, users, settings
):
    settings.VIGIL_TWO_FACTOR_REQUIRED_ROLES = ("admin", "coordinator", "regional")
    email = users["coordinator"].email
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)

    _password_step(page, live_server.url, email)
    page.wait_for_url("**/accounts/two-factor/?next=*")
    expect(page.locator("img[src^='data:image/svg+xml']")).to_be_visible()
    assert axe_violations(page) == []
    typed = page.inner_text("#two-factor-secret").replace(" ", "")
    secret = base64.b32decode(typed + "=" * (-len(typed) % 8))
    page.fill("#id_code", _code(secret))
    page.click("button[type=submit].btn-primary")
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    assert axe_violations(page) == []
    page.click("text=I have kept them, continue")
    page.wait_for_url(f"{live_server.url}/")
    _sign_out(page)

    _password_step(page, live_server.url, email)
    page.wait_for_url("**/accounts/two-factor/verify/?next=*")
    assert axe_violations(page) == []
    page.fill("#id_code", _code(secret, 1))  # the next step's code: each code works once
    page.click("button[type=submit].btn-primary")
    page.wait_for_url(f"{live_server.url}/")
    _sign_out(page)

    for attempt in ("first", "second"):
        _password_step(page, live_server.url, email)
        page.wait_for_url("**/accounts/two-factor/verify/?next=*")
        page.fill("#id_code", codes[0])
        page.click("button[type=submit].btn-primary")
        if attempt == "first":
            page.wait_for_url(f"{live_server.url}/")
            assert "9 unused codes are left" in page.inner_text("main")
            _sign_out(page)
        else:
            assert "/accounts/two-factor/verify/" in page.url
            assert "This code is not right" in page.inner_text("main")
    context.close()
