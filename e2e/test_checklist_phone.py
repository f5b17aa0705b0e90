"""A monitor fills a checklist on a phone-sized screen (360×740): one theme at a time, each
answer saved as it changes, kept through a reload, and not lost when the connection drops."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD
from e2e.browser import axe_violations
from vigil.accounts.enums import Role
from vigil.accounts.models import User
from vigil.people.enums import Profession
from vigil.people.models import Participant
from vigil.visits.enums import VisitState, VisitType
from vigil.visits.models import AnnualPlan, ChecklistAnswer, TeamMember, Visit
from vigil.visits.services.checklist_templates import checklist_templates_load

YES_NO = "PEN-T1-01"  # "Did interviewed prisoners report ill-treatment …?"
TEXT = "PEN-T8-01"  # systemic issues and other remarks
FIRST = "Тамақ сапасы нашар; журналдар толық емес."
MORE = " Бейнебақылау жоқ: үш «соқыр аймақ»."


@pytest.fixture
def phone(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(
        locale="en-US", viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def visit(users, make_institution):  # type: ignore[no-untyped-def]
    checklist_templates_load()
    institution = make_institution()  # a medium-security colony: the penal checklist
    visit = Visit.objects.create(
        reference="E2E-2026-0001",
        plan=AnnualPlan.objects.create(year=2026),
        type=VisitType.PLANNED,
        state=VisitState.ON_SITE,
        title="Phone visit",
        region=institution.region,
        planned_start=datetime.date(2026, 12, 1),
        started_at=timezone.now(),
        created_by=users["coordinator"],
    )
    visit.institutions.add(institution)
    team = [users["monitor"]]
    for key in ("lead", "doctor"):
        team.append(
            User.objects.create_user(
                email=f"{key}@test.vigil", password=PASSWORD, full_name=key, role=Role.MONITOR
            )
        )
    for index, (user, profession) in enumerate(
        zip(team, (Profession.LAWYER, Profession.NGO_MEMBER, Profession.DOCTOR), strict=True)
    ):
        participant = Participant.objects.create(
            user=user, profession=profession, accredited_from=datetime.date(2020, 1, 1)
        )
        TeamMember.objects.create(visit=visit, participant=participant, is_lead=index == 1)
    return visit


def monitor_signs_in(page, base: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "monitor@test.vigil")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].btn-primary")
    page.wait_for_url(f"{base}/**")


def monitor_starts_the_checklist(page, base: str, visit) -> str:  # type: ignore[no-untyped-def]
    """Signed in as the team's monitor, the checklist started; its page's address, once the
    page has asked for its offline copies."""
    monitor_signs_in(page, base)
    page.goto(f"{base}/visits/{visit.public_id}/checklists/")
    page.get_by_role("button", name=re.compile("Start the checklist")).click()
    page.wait_for_url(re.compile(r".*/checklists/[0-9a-f-]{36}/$"))
    page.wait_for_selector("html[data-offline-copy=ready]", state="attached")
    return str(page.url)


def no_horizontal_overflow(page) -> bool:  # type: ignore[no-untyped-def]
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def saved(page, code: str) -> None:  # type: ignore[no-untyped-def]
    status = page.get_by_test_id(f"status-{code}")
    status.get_by_text(re.compile(r"Saved at \d\d:\d\d")).wait_for()


def type_at_end(page, code: str, text: str) -> None:  # type: ignore[no-untyped-def]
    field = page.locator(f"#id_value-{code}")
    field.click()
    page.keyboard.press("Control+End")
    field.press_sequentially(text, delay=5)


def stored(code: str) -> object:
    answer = ChecklistAnswer.objects.filter(question__code=code).first()
    return answer.value if answer else None


@pytest.mark.django_db(transaction=True)
def test_monitor_fills_a_checklist_on_a_phone(phone, live_server, visit):
    page = phone
    base = live_server.url
    monitor_signs_in(page, base)

    page.goto(f"{base}/visits/{visit.public_id}/checklists/")
    assert no_horizontal_overflow(page)
    page.get_by_role("button", name=re.compile("Start the checklist")).click()
    page.wait_for_url(re.compile(r".*/checklists/[0-9a-f-]{36}/$"))
    fill_url = page.url
    assert page.locator("h3").first.inner_text().startswith("T1 Treatment")
    assert no_horizontal_overflow(page)
    assert axe_violations(page) == []

    # A yes/no question: one tap saves it.
    page.click(f"label[for='id_value-{YES_NO}_1']")  # "No"
    saved(page, YES_NO)
    assert stored(YES_NO) == "no"

    # Another theme through the theme menu; a text question saves after a pause in typing.
    page.select_option("#theme-select", "T8")
    page.wait_for_url(re.compile(r".*\?theme=T8$"))
    type_at_end(page, TEXT, FIRST)
    saved(page, TEXT)
    assert stored(TEXT) == FIRST
    assert no_horizontal_overflow(page)

    # A reload shows both answers.
    page.reload()
    assert page.locator(f"#id_value-{TEXT}").input_value() == FIRST
    page.goto(f"{fill_url}?theme=T1")
    assert page.locator(f"#id_value-{YES_NO}_1").is_checked()
    expect(page.get_by_text(re.compile(r"^2 of \d+ answered$")).first).to_be_visible()

    # The connection drops while typing: the text is kept on the phone, then sent.
    page.goto(f"{fill_url}?theme=T8")
    page.context.set_offline(True)
    type_at_end(page, TEXT, MORE)
    page.get_by_test_id(f"status-{TEXT}").get_by_text("Not sent: no connection").wait_for()
    assert stored(TEXT) == FIRST
    page.context.set_offline(False)
    saved(page, TEXT)
    assert stored(TEXT) == FIRST + MORE

    # Offline again, and the page is closed: the next visit to the page restores and sends it.
    page.context.set_offline(True)
    type_at_end(page, TEXT, " Қосымша.")
    page.get_by_test_id(f"status-{TEXT}").get_by_text("Not sent: no connection").wait_for()
    context = page.context
    page.close()
    context.set_offline(False)
    page = context.new_page()
    page.goto(f"{fill_url}?theme=T8")
    # Sent by the new page (or, with the service worker, by the request still in flight in
    # the worker when the page closed): saved either way, once, and nothing left queued.
    # (predicates as functions: a bare expression is evaluated as a string, which the CSP
    # forbids when the page navigates meanwhile)
    page.wait_for_function("() => document.documentElement.dataset.restored === 'yes'")
    page.wait_for_function(
        "() => !Object.keys(localStorage).some((k) => k.startsWith('vigil:sealed:'))"
    )
    assert page.locator(f"#id_value-{TEXT}").input_value() == FIRST + MORE + " Қосымша."
    assert stored(TEXT) == FIRST + MORE + " Қосымша."
    assert (
        page.evaluate(
            'Object.keys(localStorage).filter((k) => k.startsWith("vigil:sealed:")).length'
        )
        == 0
    )
