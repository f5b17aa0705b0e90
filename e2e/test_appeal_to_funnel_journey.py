"""The whole way of an appeal, as issue 8 asks: a person sends an appeal through the public
form with JavaScript switched off and checks its status with the number and the secret; a
coordinator registers and triages it, refers it to the prosecutor with the person's consent,
records the criminal case's registration, its reclassification and its outcome; the funnel
page counts it at each step, and the person's status check follows."""

import re

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from e2e.browser import axe_violations


def _funnel(page, base: str, section: str, key: str) -> str:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/appeals/funnel/")
    row = page.locator(f"section[aria-labelledby=funnel-{section}] tr[data-figure={key}]")
    return str(row.locator("td").first.inner_text().strip())


def _public_status(browser, base: str, reference: str, secret: str) -> str:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    try:
        page = context.new_page()
        page.goto(f"{base}/appeal/status/")
        page.get_by_label("Reference number").fill(reference)
        page.get_by_label("Secret").fill(secret)
        page.get_by_role("button", name="Check the status").click()
        page.wait_for_load_state()
        if page.get_by_test_id("status-not-found").count():
            return ""
        return str(page.get_by_test_id("status-label").inner_text().strip())
    finally:
        context.close()


def _move(page, label: str, **fields: str) -> None:  # type: ignore[no-untyped-def]
    """Open the case's move `label`, fill its fields, send it."""
    details = page.locator(f"details:has(> summary:text-is('{label}'))")
    details.locator("summary").click()
    for name, value in fields.items():
        details.locator(f"[name={name}]").fill(value)
    details.locator("button[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.django_db(transaction=True)
def test_appeal_from_the_public_form_to_the_funnel(  # type: ignore[no-untyped-def]
    browser, live_server, users, ref, appeal_reference
) -> None:
    base = live_server.url
    public = browser.new_context(
        java_script_enabled=False, locale="en-GB", viewport={"width": 360, "height": 740}
    )
    form = public.new_page()
    form.set_default_timeout(15_000)
    try:
        form.goto(f"{base}/appeal/")
        form.get_by_label("What happened?").fill("The guards beat me in the TDF of Astana.")
        form.get_by_role("button", name="Next").click()
        form.get_by_label("Where did it happen?").fill("TDF No. 1, Astana")
        form.get_by_label("Region (if you know it)").select_option("KZ-71")
        form.get_by_role("button", name="Next").click()
        form.get_by_label("No, I stay anonymous").check()
        form.get_by_role("button", name="Next").click()
        form.get_by_label("What happened (without my name)").check()
        form.get_by_role("button", name="Next").click()
        form.get_by_role("button", name="Send the appeal").click()
        reference = form.get_by_test_id("reference").inner_text().strip()
        secret = form.get_by_test_id("secret").inner_text().strip()
        assert re.fullmatch(r"A-\d{4}-\d{5}", reference)
    finally:
        public.close()
    assert _public_status(browser, base, reference, secret).startswith("Received")
    assert _public_status(browser, base, reference, "AAAA-BBBB-CCCC") == ""  # nothing shown

    staff = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = staff.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/accounts/login/", timeout=60_000)
    page.fill("#id_username", users["coordinator"].email)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].btn-primary")
    page.wait_for_url(f"{base}/")

    # Triage: register the appeal received from outside, give it its subject, triage it.
    page.goto(f"{base}/appeals/?search={reference}")
    page.click(f"a:text-is('{reference}')")
    page.wait_for_url(f"{base}/appeals/*/")
    appeal_url = page.url
    page.click("[data-testid=appeal-moves] button:has-text('Register')")
    page.wait_for_selector("[data-appeal-state=registered]")
    page.click("#handling-heading ~ details summary:text-is('Triage')")
    page.select_option("#id_subject", "torture")
    page.click("text=Save triage")
    page.wait_for_selector("[data-testid=appeal-moves]")
    page.click("[data-testid=appeal-moves] button:has-text('Triage')")
    page.wait_for_selector("[data-appeal-state=triaged]")
    assert axe_violations(page) == []
    assert _funnel(page, base, "allegations", "alleged") == "1"
    assert _funnel(page, base, "allegations", "referred") == "0"

    # Refer, disclosing only what the person consented to (the allegation).
    page.goto(f"{appeal_url}refer/")
    page.select_option("#id_body_kind", "prosecutor")
    page.fill("#id_body_name", "Prosecutor's office of Astana")
    page.check("input[name=discloses][value=allegation]")
    page.click("#referral-form button[type=submit]")
    page.wait_for_url(f"{base}/appeals/referrals/*/")
    referral_id = page.url.rstrip("/").rsplit("/", 1)[-1]
    assert _funnel(page, base, "allegations", "referred") == "1"
    assert _public_status(browser, base, reference, secret) == "Passed to the competent body"

    # The case: recorded from the referral, registered late, reclassified, to a conviction.
    page.goto(f"{base}/appeals/cases/new/?referral={referral_id}")
    page.select_option("#id_part", "2")
    page.fill("#id_info_book_entry_on", "2026-11-10")
    page.click("#case-form button[type=submit]")
    page.wait_for_url(f"{base}/appeals/cases/*/")
    case_url = page.url
    assert _funnel(page, base, "cases", "reported") == "1"
    assert _funnel(page, base, "cases", "registered") == "0"

    page.goto(case_url)
    _move(page, "Registered", register_number="261100031000123")
    assert page.get_by_test_id("case-status").inner_text().strip().startswith("Registered")
    expect(page.get_by_test_id("registration-delay")).to_be_visible()
    page.click("summary:has-text('Reclassify')")
    page.select_option("#id_part", "1")
    page.click("button:has-text('Record the reclassification')")
    page.wait_for_load_state()
    assert page.get_by_test_id("classifications").locator("tbody tr").count() == 2
    assert _funnel(page, base, "cases", "registered") == "1"
    assert _funnel(page, base, "allegations", "registered") == "1"

    page.goto(case_url)
    for label in ("Investigation opened", "Charged", "Sent to court"):
        _move(page, label)
    assert _funnel(page, base, "cases", "in_court") == "1"
    page.goto(case_url)
    _move(page, "Convicted")
    assert axe_violations(page) == []
    assert _funnel(page, base, "cases", "convicted") == "1"
    assert _funnel(page, base, "allegations", "convicted") == "1"
    assert page.get_by_test_id("court-share").inner_text().startswith("1 → 1 (100")
    assert axe_violations(page) == []
    staff.close()
