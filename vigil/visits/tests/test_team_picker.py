"""The team picker: candidates in alphabet order (Kazakh letters in their place) after the
current team, each with what the filter matches (name, profession, region, folded) and its
region; a search box and a region filter that narrow the list in the browser, ticked
participants staying listed, with no inline script or style (CSP)."""

import datetime
import os

import pytest

from conftest import PASSWORD
from vigil.accounts.enums import Role
from vigil.accounts.models import User
from vigil.people.enums import Profession
from vigil.people.models import Participant
from vigil.visits.enums import VisitState

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

NAMES = ["Асқар Бек", "Әлия Нұрова", "Қанат Ермек", "Яков Ли"]
REGIONS = {
    "Асқар Бек": "almaty",
    "Әлия Нұрова": "astana",
    "Қанат Ермек": "almaty",
    "Яков Ли": "astana",
}


@pytest.fixture
def candidates(ref):
    made: dict[str, Participant] = {}
    for name in reversed(NAMES):  # created out of order
        user = User.objects.create_user(
            email=f"{len(made)}@cand.test", password=PASSWORD, full_name=name, role=Role.MONITOR
        )
        made[name] = Participant.objects.create(
            user=user,
            profession=Profession.DOCTOR,
            region=ref[REGIONS[name]],
            accredited_from=datetime.date(2020, 1, 1),
        )
    return made


@pytest.mark.django_db
def test_candidates_come_in_alphabet_order_with_filter_data(
    client_for, make_visit, candidates, ref
):
    visit = make_visit(state=VisitState.PLANNED)
    body = client_for("coordinator").get(f"/visits/{visit.public_id}/team/").content.decode()
    listed = body[body.index("data-team-list") :]
    assert sorted(NAMES, key=listed.index) == NAMES
    assert "data-team-filter hidden" in body
    at = listed.index(str(candidates["Әлия Нұрова"].public_id))
    row = listed[listed.rindex("data-search=", 0, at) : at]
    assert row.startswith('data-search="алия нурова')  # folded as the server's search folds
    assert f'data-region="{ref["astana"].code}"' in row
    options = body[body.index('id="team-region"') :]
    assert ref["almaty"].name in options
    assert ref["astana"].name in options
    assert "<script>" not in body
    assert " style=" not in body


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_search_and_region_narrow_the_list_in_the_browser(
    browser, live_server, make_visit, candidates, ref
):
    visit = make_visit(state=VisitState.PLANNED)
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "coordinator@test.vigil")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].btn-primary")
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/visits/{visit.public_id}/team/")
    rows = page.locator("[data-team-list] [data-search]")
    total = rows.count()
    assert page.locator("[data-team-filter]").is_visible()

    def visible_names() -> list[str]:
        return [rows.nth(i).inner_text() for i in range(total) if rows.nth(i).is_visible()]

    page.fill("#team-search", "алия")  # typed on a Russian keyboard: finds Әлия
    shown = visible_names()
    assert any("Әлия Нұрова" in text for text in shown)
    assert not any("Яков Ли" in text for text in shown)
    # the current team (ticked) stays listed
    assert any("Team Lead" in text for text in shown)
    page.press("#team-search", "Enter")  # does not submit the form
    assert page.url.endswith("/team/")
    page.fill("#team-search", "")
    page.select_option("#team-region", ref["almaty"].code)
    shown = visible_names()
    assert any("Асқар Бек" in text for text in shown)
    assert any("Қанат Ермек" in text for text in shown)
    assert not any("Әлия Нұрова" in text for text in shown)
    assert page.locator("[data-team-count]").inner_text() == str(len(shown))
    context.close()
