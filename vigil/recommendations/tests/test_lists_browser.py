"""In Chromium: the recommendations app's lists as a coordinator and a liaison work them — the
escalation queue filtered and sorted, systemic issues with their chart, the tallies, the
liaison's home figures and the list behind one — pass axe-core and break no
Content-Security-Policy rule."""

import datetime
import os
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from conftest import PASSWORD
from e2e.browser import axe_violations
from vigil.recommendations.enums import State
from vigil.recommendations.models import Recommendation

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.e2e


@pytest.fixture
def tab(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _login(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].btn-primary")
    page.wait_for_url(f"{base}/")


@pytest.mark.django_db(transaction=True)
def test_coordinator_and_liaison_work_their_lists(
    tab: Any,
    live_server: Any,
    make_recommendation: Callable[..., Recommendation],
    make_institution: Callable[..., Any],
) -> None:
    today = timezone.localdate()
    for days, state in ((400, State.AWAITING_RESPONSE), (90, State.IN_IMPLEMENTATION)):
        deadline = today - datetime.timedelta(days=days)
        make_recommendation(
            institution=make_institution(),
            state=state,
            issued_on=deadline - datetime.timedelta(days=30),
            deadline=deadline,
        )
    make_recommendation(institution=make_institution(), state=State.IMPLEMENTED_CLAIMED)
    base = live_server.url
    page = tab
    _login(page, base, "coordinator@test.vigil")
    for path in (
        "/recommendations/escalations/?overdue_days=30&ordering=-deadline",
        "/recommendations/systemic/?min=2",
        "/recommendations/tallies/",
        "/recommendations/?ordering=deadline",
        "/recommendations/issue/",
    ):
        page.goto(f"{base}{path}")
        assert axe_violations(page) == [], path
    page.goto(f"{base}/recommendations/systemic/?min=2")
    assert page.locator('[data-testid="systemic-chart"] svg rect').count() >= 3
    page.context.clear_cookies()

    _login(page, base, "liaison@test.vigil")
    assert axe_violations(page) == []
    figure = page.locator('[data-figure="awaiting"]')
    shown = int(figure.inner_text())
    figure.click()
    page.wait_for_url("**/portal/?awaiting=true")
    assert axe_violations(page) == []
    assert page.locator("tbody tr[data-reference]").count() == shown
