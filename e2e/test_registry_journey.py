"""A coordinator logs in, switches language, filters and searches the registry, opens an institution."""

import re

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from e2e.browser import axe_violations


@pytest.fixture
def registry(ref, users, make_institution):
    make_institution(
        name_ru="Учреждение ЕЦ-166/12",
        name_kk="ЕЦ-166/12 мекемесі",
        name_en="Institution EC-166/12",
        external_code="KZ71-COL-0012",
        address="ул. Степная, 12",
    )
    make_institution(
        name_ru="Областная психиатрическая больница",
        name_kk="Облыстық психиатриялық аурухана",
        name_en="Regional psychiatric hospital",
        type=ref["psych"],
        agency=ref["moh"],
        region=ref["karaganda"],
    )
    for n in range(5):
        make_institution(
            name_ru=f"ИВС № {n}",
            name_kk=f"№ {n} УҰИ",
            name_en=f"TDF No. {n}",
            type=ref["ivs"],
            agency=ref["police"],
        )
    return users


@pytest.mark.django_db(transaction=True)
def test_coordinator_journey(page, live_server, registry):
    base = live_server.url
    page.goto(f"{base}/")
    assert "/accounts/login/" in page.url
    assert axe_violations(page) == []

    page.fill("#id_username", "coordinator@test.vigil")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].btn-primary")
    page.wait_for_url(f"{base}/")

    # Switch to Kazakh, then English: the page comes back in that language.
    page.click("[data-testid=lang-kk]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "kk"
    expect(page.get_by_role("link", name="Мекемелер")).to_be_visible()
    page.click("[data-testid=lang-ru]")
    page.wait_for_load_state()
    expect(page.get_by_role("link", name="Учреждения")).to_be_visible()
    page.click("[data-testid=lang-en]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"

    page.click("nav >> text=Institutions")
    page.wait_for_url(re.compile(r".*/registry/institutions/"))
    assert page.get_by_test_id("result-count").inner_text().startswith("7 ")
    assert axe_violations(page) == []

    # Filter by category: the table is replaced in place and the URL keeps the filter.
    page.select_option("#id_category", "medical")
    page.wait_for_url(re.compile(r".*category=medical.*"))
    page.get_by_text("1 institution", exact=True).wait_for()
    expect(page.get_by_role("link", name="Regional psychiatric hospital")).to_be_visible()

    # Search in Kazakh typed on a Russian keyboard, with the category filter reset.
    page.goto(f"{base}/registry/institutions/")
    page.fill("#id_search", "мекемеси")
    page.click("form[role=search] button[type=submit]")
    page.get_by_text("1 institution", exact=True).wait_for()
    page.get_by_role("link", name="Institution EC-166/12").click()

    page.wait_for_url(re.compile(r".*/registry/institutions/[0-9a-f-]{36}/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Institution EC-166/12"
    expect(page.get_by_text("KZ71-COL-0012")).to_be_visible()
    expect(page.get_by_text("ЕЦ-166/12 мекемесі")).to_be_visible()
    assert axe_violations(page) == []
