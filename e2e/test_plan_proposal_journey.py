"""The annual plan proposal end to end, in the browser (issue 11, point 5).

A coordinator opens the 2027 proposal page, computes the proposal (the colony is required by
the coverage rules), pins the Almaty police station in for April with a reason, re-solves (the
pin is kept: the station is in April's visits, its reason shown), proposes and approves the
proposal, and creates the planned visits once. A liaison gets "not found". The pages pass
axe-core (serious and critical).
"""

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from e2e.browser import axe_violations
from vigil.accounts.models import User
from vigil.people.models import Participant
from vigil.planning.models import PlanProposal
from vigil.registry.models import Institution
from vigil.visits.enums import VisitState
from vigil.visits.models import Visit

YEAR = 2027
REASON = "Hunger strike reported by the press"


@pytest.fixture
def places(
    make_institution: Callable[..., Institution],
    ref: dict[str, Any],
    participants: dict[str, Participant],
) -> dict[str, Institution]:
    last = datetime.date(YEAR - 1, 6, 1)
    return {
        "colony": make_institution(name_en="Colony Astana"),
        "station": make_institution(
            name_en="Police station Almaty",
            type=ref["ivs"],
            agency=ref["police"],
            region=ref["almaty"],
            last_visited_on=last,
        ),
    }


def test_plan_proposal_journey(  # type: ignore[no-untyped-def]
    places, users: dict[str, User], login, live_server
) -> None:
    url = f"{live_server.url}/planning/{YEAR}/proposal/"
    page = login(users["coordinator"].email)
    page.goto(url)
    page.get_by_test_id("no-proposal").wait_for()
    assert axe_violations(page) == []
    page.fill("#id_budget", "2")
    with page.expect_navigation():
        page.get_by_test_id("solve").click()
    assert "Colony Astana" in page.get_by_test_id("proposal-visits").first.inner_text()
    assert "Proven optimal" in page.get_by_test_id("solver-status").inner_text()

    page.select_option("#id_institution", str(places["station"].public_id))
    page.select_option("#id_kind", "pinned")
    page.select_option("#id_month", "4")
    page.fill("#id_reason", REASON)
    with page.expect_navigation():
        page.get_by_role("button", name="Save the pin").click()
    assert REASON in page.get_by_test_id("pins").inner_text()
    with page.expect_navigation():
        page.get_by_test_id("solve").click()
    april = page.locator("h3", has_text="April")
    april.wait_for()
    visits = page.locator("[data-testid=proposal-visits]").all_inner_texts()
    assert any("Police station Almaty" in t and REASON in t for t in visits)
    assert axe_violations(page) == []

    for target in ("proposed", "approved"):
        with page.expect_navigation():
            page.locator(f"button[data-move={target}]").click()
    assert page.get_by_test_id("proposal-state").inner_text() == "Approved"
    with page.expect_navigation():
        page.get_by_test_id("create-visits").click()
    proposal = PlanProposal.objects.get(year=YEAR)
    assert proposal.visits_created_at is not None
    assert Visit.objects.filter(plan__year=YEAR, state=VisitState.PLANNED).count() == 2
    assert page.get_by_test_id("create-visits").count() == 0

    liaison = login(users["liaison"].email)
    response = liaison.goto(url)
    assert response.status == 404
