"""A coordinator sees a flagged institution, opens the prefilled special visit in one click,
records a follow-up contact's reported reprisal as an incident, and reads the funnel."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from e2e.browser import axe_violations
from vigil.appeals.models import FollowUpContact


@pytest.mark.django_db(transaction=True)
def test_flag_special_visit_follow_up_and_funnel(
    page, live_server, users, make_institution, make_incident, make_appeal
):
    base = live_server.url
    place = make_institution(name_en="Colony EC-166/7")
    incident = make_incident(kind="self_harm", institution=place)
    appeal = make_appeal(reprisal_risk="high")
    contact = FollowUpContact.objects.create(appeal=appeal, due_on=datetime.date(2026, 12, 1))

    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "coordinator@test.vigil")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].btn-primary")
    page.wait_for_url(f"{base}/")
    page.click("[data-testid=lang-en]")
    page.wait_for_load_state()
    expect(page.get_by_test_id("follow-ups-home")).to_be_visible()

    page.goto(f"{base}/registry/institutions/{place.public_id}/")
    expect(page.get_by_test_id("institution-alert")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_test_id("special-visit").first.click()
    page.wait_for_url(re.compile(r".*/visits/new/\?.*type=special.*"))
    assert page.locator("#id_trigger_reference").input_value() == incident.reference
    assert page.locator("#id_type").input_value() == "special"

    page.goto(f"{base}/appeals/follow-ups/")
    assert axe_violations(page) == []
    page.goto(f"{base}/appeals/follow-ups/{contact.public_id}/record/")
    page.check("input[value=reprisal_reported]")
    page.fill("#id_incident_summary", "Moved to a punishment cell after the appeal")
    page.click("main form button.btn-primary[type=submit]")
    page.wait_for_url(re.compile(r".*/appeals/incidents/[0-9a-f-]+/$"))
    assert page.get_by_test_id("incident-kind").inner_text() == "Reprisal"
    assert axe_violations(page) == []

    page.goto(f"{base}/appeals/incidents/")
    assert page.get_by_test_id("result-count").inner_text().startswith("2 ")
    assert axe_violations(page) == []
    page.goto(f"{base}/appeals/funnel/?year=2026")
    expect(page.get_by_test_id("court-share")).to_be_visible()
    assert axe_violations(page) == []
