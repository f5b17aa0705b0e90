"""A person on a phone, with JavaScript switched off, sends an appeal one question at a time,
writes down the reference number and the secret, and checks the status; axe finds no
serious violation on any step."""

import re

import pytest
from playwright.sync_api import expect

from e2e.browser import axe_violations


def _axe_clean(browser, page) -> None:  # type: ignore[no-untyped-def]
    """axe on the page as the person sees it (it needs scripts: a copy in a second context)."""
    html = page.content()
    checker = browser.new_context(viewport={"width": 360, "height": 740})
    try:
        copy = checker.new_page()
        copy.route(
            "**/*",
            lambda route: (
                route.fulfill(body=html, content_type="text/html")
                if route.request.resource_type == "document"
                else route.continue_()
            ),
        )
        copy.goto(page.url)
        assert axe_violations(copy) == [], page.url
    finally:
        checker.close()


@pytest.mark.django_db(transaction=True)
def test_appeal_without_javascript(browser, live_server, ref, appeal_reference) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(
        java_script_enabled=False, locale="en-GB", viewport={"width": 360, "height": 740}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    base = live_server.url
    try:
        page.goto(f"{base}/appeal/")
        expect(page.get_by_text("Step 1 of 5")).to_be_visible()
        expect(page.get_by_text("never send it to the institution")).to_be_visible()
        _axe_clean(browser, page)

        # An empty answer: the error names the field, the step stays.
        page.get_by_role("button", name="Next").click()
        expect(page.get_by_role("alert").get_by_role("link", name="What happened?")).to_be_visible()
        _axe_clean(browser, page)
        page.get_by_label("What happened?").fill("The investigator hit me in the TDF.")
        page.get_by_role("button", name="Next").click()

        expect(page.get_by_text("Step 2 of 5")).to_be_visible()
        page.get_by_label("Where did it happen?").fill("TDF No. 1, Astana")
        page.get_by_label("Region (if you know it)").select_option("KZ-71")
        _axe_clean(browser, page)
        page.get_by_role("button", name="Next").click()

        page.get_by_label("No, I stay anonymous").check()
        _axe_clean(browser, page)
        page.get_by_role("button", name="Next").click()

        page.get_by_label("What happened (without my name)").check()
        _axe_clean(browser, page)
        page.get_by_role("button", name="Next").click()

        expect(page.get_by_text("Step 5 of 5")).to_be_visible()
        expect(page.get_by_text("TDF No. 1, Astana")).to_be_visible()
        _axe_clean(browser, page)
        page.get_by_role("button", name="Send the appeal").click()

        reference = page.get_by_test_id("reference").inner_text().strip()
        secret = page.get_by_test_id("secret").inner_text().strip()
        assert re.fullmatch(r"A-\d{4}-\d{5}", reference)
        assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", secret)
        _axe_clean(browser, page)

        page.get_by_role("link", name="Check the status of an appeal").first.click()
        page.get_by_label("Reference number").fill(reference)
        page.get_by_label("Secret").fill(secret)
        page.get_by_role("button", name="Check the status").click()
        assert page.get_by_test_id("status-label").inner_text() == (
            "Received: waiting to be registered"
        )
        _axe_clean(browser, page)
    finally:
        context.close()
