"""The plan proposal's page: who sees it, who acts, and the whole journey through it."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import ALL_ACTORS
from vigil.people.models import Participant
from vigil.planning.enums import ProposalState
from vigil.planning.models import PlanProposal, ProposalPin
from vigil.registry.models import Institution
from vigil.visits.enums import VisitState
from vigil.visits.models import Visit

pytestmark = pytest.mark.django_db

YEAR = 2027
READERS = {"admin", "coordinator", "regional", "auditor"}
MANAGERS = {"admin", "coordinator"}
URL = reverse("planning:proposal", kwargs={"year": YEAR})
SOLVE = {
    "action": "solve",
    "budget": 2,
    "team_size": 3,
    "reserved_percent": 20,
    "capacity": 12,
    "monthly_limit": "",
    "coverage": "priority",
}


@pytest.fixture
def places(make_institution: Callable[..., Institution], ref: dict[str, Any]) -> dict[str, Any]:
    """The colony (Astana) is required; the others were visited last year."""
    last = datetime.date(YEAR - 1, 6, 1)
    return {
        "colony": make_institution(name_en="Colony Astana"),
        "ivs": make_institution(
            name_en="Police Astana", type=ref["ivs"], agency=ref["police"], last_visited_on=last
        ),
        "almaty": make_institution(
            name_en="Colony Almaty", region=ref["almaty"], last_visited_on=last
        ),
    }


@pytest.fixture
def solved(
    client_for: Callable[[str], Client],
    places: dict[str, Any],
    participants: dict[str, Participant],
) -> PlanProposal:
    response = client_for("coordinator").post(URL, SOLVE)
    assert response.status_code == 302
    return PlanProposal.objects.get(year=YEAR)


@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_page_by_role(
    client_for: Callable[[str], Client], solved: PlanProposal, actor: str
) -> None:
    response = client_for(actor).get(URL)
    if actor == "anonymous":
        assert response.status_code == 302
        return
    if actor not in READERS:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    content = response.content.decode()
    assert "Colony Astana" in content
    assert ('data-testid="solve-form"' in content) == (actor in MANAGERS)
    assert ('data-move="proposed"' in content) == (actor in MANAGERS)


@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_only_managers_post(
    client_for: Callable[[str], Client],
    solved: PlanProposal,
    places: dict[str, Any],
    actor: str,
) -> None:
    before = solved.solved_at
    response = client_for(actor).post(URL, SOLVE)
    pin = {
        "action": "pin",
        "institution": places["ivs"].public_id,
        "kind": "excluded",
        "reason": "x",
    }
    response_pin = client_for(actor).post(URL, pin)
    response_move = client_for(actor).post(URL, {"action": "move", "to_state": "proposed"})
    solved.refresh_from_db()
    if actor in MANAGERS:
        assert response.status_code == response_pin.status_code == 302
        assert solved.solved_at != before
        assert solved.state == ProposalState.PROPOSED
    else:
        expected = 302 if actor == "anonymous" else 403 if actor in READERS else 404
        assert {response.status_code, response_pin.status_code, response_move.status_code} == {
            expected
        }
        assert solved.solved_at == before
        assert solved.state == ProposalState.DRAFT
        assert not ProposalPin.objects.exists()


def test_regional_reads_only_their_region(
    client_for: Callable[[str], Client],
    places: dict[str, Any],
    participants: dict[str, Participant],
) -> None:
    client_for("coordinator").post(
        URL,
        {
            "action": "pin",
            "institution": places["almaty"].public_id,
            "kind": "pinned",
            "month": 4,
            "reason": "Hunger strike reported",
        },
    )  # no proposal yet: nothing happens but the page
    client_for("coordinator").post(URL, SOLVE)
    proposal = PlanProposal.objects.get(year=YEAR)
    response = client_for("coordinator").post(
        URL,
        {
            "action": "pin",
            "institution": places["almaty"].public_id,
            "kind": "pinned",
            "month": 4,
            "reason": "Hunger strike reported",
        },
    )
    assert response.status_code == 302
    client_for("coordinator").post(URL, SOLVE)
    assert proposal.visits.filter(institution=places["almaty"], month=4).exists()
    coordinator = client_for("coordinator").get(URL).content.decode()
    regional = client_for("regional").get(URL).content.decode()
    assert "Colony Almaty" in coordinator
    assert "Hunger strike reported" in coordinator
    assert "Colony Almaty" not in regional
    assert "Colony Astana" in regional


def test_pin_form_errors_shown(client_for: Callable[[str], Client], solved: PlanProposal) -> None:
    response = client_for("coordinator").post(URL, {"action": "pin", "kind": "excluded"})
    assert response.status_code == 200
    assert b"Please correct the errors below." in response.content


def test_infeasibility_explained(
    client_for: Callable[[str], Client],
    places: dict[str, Any],
    participants: dict[str, Participant],
) -> None:
    client_for("coordinator").post(URL, {**SOLVE, "budget": 0, "coverage": "strict"})
    response = client_for("coordinator").get(URL)
    content = response.content.decode()
    assert "More institutions must be visited than the visits the budget allows." in content
    assert "Colony Astana" in content
    assert 'data-move="proposed"' not in content


@pytest.mark.parametrize("debug", [False, True])
def test_due_institutions_left_out_by_priority_are_counted(
    client_for: Callable[[str], Client],
    places: dict[str, Any],
    participants: dict[str, Participant],
    settings: Any,
    debug: bool,
) -> None:
    settings.DEBUG = debug
    client_for("coordinator").post(URL, {**SOLVE, "budget": 0})
    proposal = PlanProposal.objects.get(year=YEAR)
    assert proposal.status == "optimal"
    assert proposal.left_out == sorted([places["colony"].pk, places["almaty"].pk])
    content = client_for("coordinator").get(URL).content.decode()
    assert "2 due institutions left out" in content
    assert "not met" in content
    assert 'data-move="proposed"' in content  # a plan, which the coordinator may propose
    regional = client_for("regional").get(URL).content.decode()
    assert "1 due institution left out" in regional  # only Astana's colony is in their region


def test_journey_approve_and_create_visits_once(
    client_for: Callable[[str], Client], solved: PlanProposal
) -> None:
    client = client_for("coordinator")
    client.post(URL, {"action": "move", "to_state": "proposed"})
    client.post(URL, {"action": "move", "to_state": "draft"})
    client.post(URL, {"action": "move", "to_state": "proposed"})
    client.post(URL, {"action": "move", "to_state": "approved"})
    solved.refresh_from_db()
    assert solved.state == ProposalState.APPROVED
    assert b'data-testid="create-visits"' in client.get(URL).content
    response = client.post(URL, {"action": "create_visits"})
    assert response.status_code == 302
    count = Visit.objects.filter(plan__year=YEAR, state=VisitState.PLANNED).count()
    assert count == solved.visits.count() > 0
    page = client.get(URL).content
    assert b'data-testid="create-visits"' not in page
    client.post(URL, {"action": "create_visits"})
    assert Visit.objects.count() == count
    assert client_for("liaison").get(reverse("visits:plan_detail", args=[YEAR])).status_code in (
        403,
        404,
    )


def test_an_excluded_required_institution_shows_the_rule_not_met(
    client_for: Callable[[str], Client], solved: PlanProposal, places: dict[str, Any]
) -> None:
    client = client_for("coordinator")
    page = client.get(URL).content.decode()
    assert "not met" not in page
    client.post(
        URL,
        {
            "action": "pin",
            "institution": places["colony"].public_id,
            "kind": "excluded",
            "reason": "Closed for renovation",
        },
    )
    client.post(URL, SOLVE)
    page = client.get(URL).content.decode()
    checks = page.split('data-testid="coverage-checks"')[1].split("</ul>")[0]
    assert "not met" in checks
    assert "Colony Astana" in checks
    assert "Colony Almaty" not in checks
