"""A coordinator refers an appeal (refused without consent, then overridden with a reason),
records the body's acknowledgement, records the criminal case from the referral and
reclassifies it; every page passes axe and the strict CSP."""

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from e2e.browser import axe_violations
from vigil.appeals.enums import AppealState


@pytest.mark.django_db(transaction=True)
def test_referral_and_case_journey(browser, live_server, users, make_appeal):  # type: ignore[no-untyped-def]
    appeal = make_appeal(state=AppealState.TRIAGED, consent_scopes=["allegation"])
    base = live_server.url
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "coordinator@test.vigil")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].btn-primary")
    page.wait_for_url(f"{base}/")

    page.goto(f"{base}/appeals/{appeal.public_id}/refer/")
    assert axe_violations(page) == []
    page.select_option("#id_body_kind", "prosecutor")
    page.fill("#id_body_name", "Prosecutor's office of Astana")
    page.check("input[name=discloses][value=identity]")
    page.check("input[name=discloses][value=allegation]")
    page.click("#referral-form button[type=submit]")
    page.wait_for_load_state()
    expect(page.locator("#form-errors")).to_be_visible()
    assert page.locator("#id_body_name").input_value() == "Prosecutor's office of Astana"
    page.fill("#id_override_reason", "Immediate danger to the person's life")
    page.click("#referral-form button[type=submit]")
    page.wait_for_url(f"{base}/appeals/referrals/*/")
    expect(page.get_by_test_id("override-reason")).to_be_visible()
    assert axe_violations(page) == []

    page.click("summary:has-text('Acknowledged')")
    page.click("form button:has-text('Acknowledged')")
    page.wait_for_load_state()
    assert page.get_by_test_id("referral-status").inner_text().strip().startswith("Acknowledged")

    referral_url = page.url
    referral_id = referral_url.rstrip("/").rsplit("/", 1)[-1]
    page.goto(f"{base}/appeals/cases/new/?referral={referral_id}")
    page.select_option("#id_part", "1")
    page.fill("#id_info_book_entry_on", "2026-11-10")
    page.click("#case-form button[type=submit]")
    page.wait_for_url(f"{base}/appeals/cases/*/")
    expect(page.get_by_test_id("registration-delay")).to_be_visible()
    page.click("summary:has-text('Reclassify')")
    page.select_option("#id_part", "2")
    page.click("button:has-text('Record the reclassification')")
    page.wait_for_load_state()
    assert page.get_by_test_id("classifications").locator("tbody tr").count() == 2
    assert axe_violations(page) == []
    context.close()
