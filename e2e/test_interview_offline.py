"""An interview typed on a phone (360 px wide) survives the connection dropping at Save
(issue 7, item 3): the text stays on the phone with a message, is sent once the phone is
back online, and the interview is saved exactly once; when the server saved it but its
answer was lost on the way, sending it again does not record it twice. Nothing stays on
the phone once saved, and no Content-Security-Policy rule is broken."""

import re

import pytest

from conftest import PASSWORD
from e2e.browser import axe_violations
from vigil.visits.enums import VisitState
from vigil.visits.models import Interview
from vigil.visits.services.interviews import interview_read_content

CONTENT = "Түнде камерада суық; көрпе жоқ. Күзетші «шағымданба» деді."
LOST = "Екінші әңгіме: хаттар жеткізілмейді."
UUID = r"[0-9a-f-]{36}"


@pytest.fixture
def phone(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(
        locale="en-GB", viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _fill(page, pseudonym: str, content: str) -> None:  # type: ignore[no-untyped-def]
    page.fill("#id_pseudonym", pseudonym)
    page.check("input[name=consent_scopes][value=anonymous_use]")
    page.fill("#id_content", content)


@pytest.mark.django_db(transaction=True)
def test_an_interview_saved_while_the_connection_drops(phone, live_server, make_visit, users):  # type: ignore[no-untyped-def]
    page = phone
    visit = make_visit(state=VisitState.ON_SITE)
    base = live_server.url
    new = f"{base}/visits/{visit.public_id}/interviews/new/"
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "monitor@test.vigil")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].btn-primary")
    page.wait_for_url(f"{base}/")

    # The connection drops just as Save is pressed.
    page.goto(new)
    _fill(page, "Witness N", CONTENT)
    page.context.set_offline(True)
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Not saved: no connection.").wait_for()
    assert not Interview.objects.exists()
    kept = page.evaluate("JSON.stringify(localStorage)")
    assert "vigil:sealed:form:" in kept
    assert CONTENT not in kept  # sealed (AES-GCM), never readable on the phone
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    # Back online: sent by itself, saved once, and forgotten by the phone.
    page.context.set_offline(False)
    page.wait_for_url(re.compile(rf".*/visits/interviews/{UUID}/$"))
    page.get_by_text("Interview recorded.").wait_for()
    interview = Interview.objects.get()
    assert interview.pseudonym == "Witness N"
    assert interview_read_content(actor=users["monitor"], interview=interview) == CONTENT
    assert (
        page.evaluate(
            'Object.keys(localStorage).filter((k) => k.startsWith("vigil:sealed:")).length'
        )
        == 0
    )

    # The server saves the next one, but its answer is lost on the way back.
    page.goto(new)
    _fill(page, "Witness L", LOST)

    def answer_lost(route):  # type: ignore[no-untyped-def]
        route.fetch()
        route.abort("internetdisconnected")

    page.route(re.compile(r".*/interviews/new/$"), answer_lost)
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Not saved: no connection.").wait_for()
    assert Interview.objects.filter(pseudonym="Witness L").count() == 1
    page.unroute(re.compile(r".*/interviews/new/$"))
    page.context.set_offline(True)
    page.context.set_offline(False)
    page.wait_for_url(re.compile(rf".*/visits/interviews/{UUID}/$"))
    page.get_by_text("it was not saved a second time").wait_for()
    assert Interview.objects.filter(pseudonym="Witness L").count() == 1
    assert Interview.objects.count() == 2
    assert (
        page.evaluate(
            'Object.keys(localStorage).filter((k) => k.startsWith("vigil:sealed:")).length'
        )
        == 0
    )
