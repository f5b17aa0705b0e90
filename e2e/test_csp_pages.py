"""No page breaks the Content Security Policy: each role signs in, opens its home page, every
entry of its menu and the account menu, and the browser reports no CSP violation (console
messages and `securitypolicyviolation` events, which also catch a style set by a script).
"""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from conftest import PASSWORD, ROLES
from vigil.recommendations.enums import State

# Records every violation the page sees, from the first script on.
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`
  );
});
"""


@pytest.fixture
def world(
    make_institution: Callable[..., Any],
    make_recommendation: Callable[..., Any],
    make_visit: Callable[..., Any],
) -> None:
    colony = make_institution(external_code="KZ71-COL-0007", name_en="Colony No. 7")
    make_visit(institution=colony)
    make_recommendation(
        institution=colony,
        theme="T3",
        text="Repair the ventilation of the cells of block 2.",
        issued_on=timezone.localdate() - datetime.timedelta(days=120),
        deadline=timezone.localdate() - datetime.timedelta(days=30),
        state=State.AWAITING_RESPONSE,
    )


def _violations(page: Any, console: list[str]) -> list[str]:
    return console + page.evaluate("() => window.__cspViolations")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ROLES)
def test_main_pages_break_no_csp_rule(browser, live_server, users, world, role) -> None:  # type: ignore[no-untyped-def]
    base = live_server.url
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
    context.add_init_script(LISTEN)
    page = context.new_page()
    page.set_default_timeout(15_000)
    console: list[str] = []
    page.on(
        "console",
        lambda msg: console.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    found: dict[str, list[str]] = {}
    # The server's first request imports every view (a while on a busy machine).
    page.goto(f"{base}/accounts/login/", timeout=60_000)
    found["/accounts/login/"] = _violations(page, console)
    page.fill("#id_username", users[role].email)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].btn-primary")
    page.wait_for_url(f"{base}/")
    menu = page.eval_on_selector_all(
        "#main-nav a.nav-link", "links => links.map((a) => a.getAttribute('href'))"
    )
    assert menu, "every role has a menu"
    for path in ["/", *menu]:
        console.clear()
        page.goto(f"{base}{path}")
        page.wait_for_load_state("networkidle")
        page.click("#account-menu")  # Bootstrap's dropdown positions itself with styles
        found[path] = _violations(page, console)
    context.close()
    assert {path: v for path, v in found.items() if v} == {}
