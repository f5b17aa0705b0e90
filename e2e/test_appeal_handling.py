"""Appeal handling in the browser: a coordinator registers an appeal received by letter, opens
what the appellant wrote (a logged read), unseals the appellant with a reason, triages and
assigns it; every page passes axe-core (serious and critical) and breaks no CSP rule."""

import pytest

from conftest import PASSWORD
from e2e.browser import axe_violations
from vigil.appeals.models import Appeal
from vigil.audit.enums import AccessKind
from vigil.audit.models import AccessEvent

CONTENT = "Тергеу изоляторында мені ұрды, дәрігер қарамады."
NAME = "Нұрлан Әбенов"


@pytest.mark.django_db(transaction=True)
def test_register_read_unseal_and_triage(  # type: ignore[no-untyped-def]
    browser, live_server, users, appeal_reference
) -> None:
    base = live_server.url
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/accounts/login/", timeout=60_000)
    page.fill("#id_username", users["coordinator"].email)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].btn-primary")
    page.wait_for_url(f"{base}/")

    page.goto(f"{base}/appeals/new/")
    assert axe_violations(page) == []
    page.select_option("#id_channel", "letter")
    page.fill("#id_name", NAME)
    page.fill("#id_content", CONTENT)
    page.fill("#id_institution_text", "SIZO of Astana")
    page.fill("#id_summary", "Beaten in pre-trial detention")
    page.click("#appeal-form button[type=submit]")
    page.wait_for_url(f"{base}/appeals/*/")
    appeal = Appeal.objects.get()
    assert CONTENT not in page.content()
    assert NAME not in page.content()
    assert axe_violations(page) == []

    page.click("text=Show what the appellant wrote")
    page.wait_for_selector("[data-testid=appeal-content]")
    assert CONTENT in page.inner_text("[data-testid=appeal-content]")
    assert AccessEvent.objects.filter(kind=AccessKind.APPEAL_READ).count() == 1

    page.fill("#appeal-appellant #id_reason", "Check the identity before calling back")
    page.click("#appeal-appellant button[type=submit]")
    page.wait_for_selector("[data-testid=appellant-identity]")
    assert NAME in page.inner_text("[data-testid=appellant-identity]")
    assert axe_violations(page) == []

    page.goto(f"{base}/appeals/{appeal.public_id}/")
    page.click("#handling-heading ~ details summary:text-is('Assign')")
    page.select_option("#id_assignee", str(users["monitor"].public_id))
    page.click("text=Save assignment")
    page.wait_for_selector("[data-testid=assigned-to]")
    assert users["monitor"].full_name in page.inner_text("[data-testid=assigned-to]")
    page.click("#handling-heading ~ details summary:text-is('Triage')")
    page.select_option("#id_subject", "torture")
    page.click("text=Save triage")
    page.wait_for_selector("[data-testid=appeal-moves]")
    page.click("[data-testid=appeal-moves] button:has-text('Triage')")
    page.wait_for_selector("[data-appeal-state=triaged]")

    page.goto(f"{base}/appeals/?status=triaged")
    assert appeal.reference in page.inner_text("#appeal-results")
    assert axe_violations(page) == []
    context.close()
