"""Dates survive editing in Kazakh and Russian (issue 7, item 1): a coordinator opens the edit
form of a visit, an interview, a participant and an institution, saves without touching
anything, and every date in the database is what it was. Date pickers take ISO values only;
a localised value (20.01.2027) would come up empty and be wiped on save."""

import datetime
from typing import Any

import pytest

from conftest import PASSWORD
from vigil.people.models import Participant
from vigil.registry.models import Institution
from vigil.visits.enums import ConsentScope, VisitState
from vigil.visits.models import Interview, Visit
from vigil.visits.services.interviews import interview_create

D = datetime.date


def _dates() -> dict[str, Any]:
    return {
        "visits": list(Visit.objects.order_by("pk").values_list("planned_start", "planned_end")),
        "interviews": list(
            Interview.objects.order_by("pk").values_list(
                "conducted_on", "follow_up_on", "consent_withdrawn_on"
            )
        ),
        "participants": list(
            Participant.objects.order_by("pk").values_list("accredited_from", "accredited_to")
        ),
        "institutions": list(
            Institution.objects.order_by("pk").values_list("population_date", "last_visited_on")
        ),
    }


@pytest.mark.parametrize("language", ["kk", "ru"])
@pytest.mark.django_db(transaction=True)
def test_saving_an_edit_form_keeps_every_date(  # type: ignore[no-untyped-def]
    browser, live_server, users, participants, make_institution, make_visit, language
):
    institution = make_institution(population_date=D(2026, 1, 20))
    planned = make_visit(
        institution=institution, planned_start=D(2027, 1, 20), planned_end=D(2027, 1, 24)
    )
    on_site = make_visit(state=VisitState.ON_SITE, institution=institution)
    interview = interview_create(
        actor=users["monitor"],
        visit=on_site,
        institution=None,
        data={
            "pseudonym": "Witness D",
            "conducted_on": D(2026, 12, 2),
            "consent_scopes": [ConsentScope.CONTACT_BACK],
            "follow_up_on": D(2027, 2, 13),
        },
        content="Айтылғаны",
    )
    participant = participants["outsider"]
    participant.accredited_from = D(2024, 1, 20)
    participant.accredited_to = D(2028, 1, 19)
    participant.save()
    before = _dates()

    context = browser.new_context(
        locale={"kk": "kk-KZ", "ru": "ru-RU"}[language], viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "coordinator@test.vigil")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].btn-primary")
    page.wait_for_url(f"{base}/")
    assert page.locator("html").get_attribute("lang") == language

    forms = [
        (
            f"/visits/{planned.public_id}/edit/",
            {"planned_start": "2027-01-20", "planned_end": "2027-01-24"},
        ),
        (
            f"/visits/interviews/{interview.public_id}/edit/",
            {"conducted_on": "2026-12-02", "follow_up_on": "2027-02-13"},
        ),
        (
            f"/people/{participant.public_id}/edit/",
            {"accredited_from": "2024-01-20", "accredited_to": "2028-01-19"},
        ),
        (
            f"/registry/institutions/{institution.public_id}/edit/",
            {"population_date": "2026-01-20"},
        ),
    ]
    for path, shown in forms:
        page.goto(base + path)
        for name, value in shown.items():
            assert page.locator(f"#id_{name}").input_value() == value, (path, name)
        page.locator("main form[method=post] [type=submit]").first.click()
        page.wait_for_url(lambda url: "/edit/" not in url)
    context.close()
    assert _dates() == before
