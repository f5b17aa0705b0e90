"""The browser fixture's CSP watch works: an inline style on one of our pages is reported
(every browser test then fails on such a report, see `e2e.browser._no_csp_violation`)."""

import pytest


@pytest.mark.django_db(transaction=True)
def test_an_inline_style_is_reported(browser, live_server):
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.evaluate(
        "() => { const s = document.createElement('style');"
        " s.textContent = 'body { color: red }'; document.head.appendChild(s); }"
    )
    page.wait_for_timeout(300)
    context.close()
    assert any("Content Security Policy" in v for v in browser.violations)
    browser.violations.clear()  # reported as expected: this test itself passes
