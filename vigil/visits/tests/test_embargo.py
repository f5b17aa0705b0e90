"""The embargo: an agency liaison never sees a visit that has not started, nor its date or
target — in any page, API response, count or search result."""

import pytest
from django.utils import timezone

from vigil.visits.enums import VisitState

HIDDEN_STATES = [VisitState.DRAFT, VisitState.PLANNED, VisitState.PREPARED, VisitState.POSTPONED]
LIAISONS = ["liaison", "other_liaison"]


@pytest.fixture
def hidden(make_visit):
    """One not-started visit per embargoed state, to the liaison's own agency."""
    return {
        state: make_visit(state=state, title=f"Embargoed {state}", objectives="Unannounced check")
        for state in HIDDEN_STATES
    }


@pytest.fixture
def started(make_visit):
    return make_visit(state=VisitState.ON_SITE, title="Started visit")


@pytest.mark.parametrize("liaison", LIAISONS)
@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_pages_answer_404(client_for, hidden, liaison, state):
    client = client_for(liaison)
    visit = hidden[state]
    for suffix in ("", "edit/", "team/"):
        assert client.get(f"/visits/{visit.public_id}/{suffix}").status_code == 404, suffix
    for suffix in ("transition/", "access-incidents/"):
        assert client.post(f"/visits/{visit.public_id}/{suffix}", {}).status_code == 404
    for section in ("checklists", "findings", "notes", "interviews", "attachments", "report"):
        assert client.get(f"/visits/{visit.public_id}/{section}/").status_code == 404, section


@pytest.mark.parametrize("liaison", LIAISONS)
@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_api_answers_404(client_for, hidden, liaison, state):
    client = client_for(liaison)
    base = f"/api/v1/visits/{hidden[state].public_id}/"
    assert client.get(base).status_code == 404
    assert client.patch(base, {}, content_type="application/json").status_code == 404
    assert client.get(f"{base}transitions/").status_code == 404
    assert (
        client.post(f"{base}transitions/", {}, content_type="application/json").status_code == 404
    )
    assert client.put(f"{base}team/", {}, content_type="application/json").status_code == 404
    assert client.get(f"{base}access-incidents/").status_code == 404


def test_not_in_lists_counts_or_searches(client_for, hidden, started):
    client = client_for("liaison")
    references = [v.reference for v in hidden.values()]
    page = client.get("/visits/").content.decode()
    assert started.reference in page
    assert "1 visit" in page
    for reference in references:
        assert reference not in page
        # The results (the part htmx swaps in; its sort and export links, like the full
        # page's form, echo the query): no row names the visit.
        searched = client.get(
            "/visits/", {"q": reference}, headers={"HX-Request": "true"}
        ).content.decode()
        assert "0 visits" in searched
        assert f">{reference}<" not in searched
        assert reference not in searched.replace(f"q={reference}", "")
        assert client.get("/api/v1/visits/", {"q": reference}).json()["count"] == 0
    institution = started.institutions.get()
    by_name = client.get("/visits/", {"q": institution.name_ru}).content.decode()
    assert "1 visit" in by_name
    assert client.get("/api/v1/visits/").json()["count"] == 1
    for state in HIDDEN_STATES:
        assert client.get("/api/v1/visits/", {"state": state}).json()["count"] == 0
        assert "0 visits" in client.get("/visits/", {"state": state}).content.decode()
    month = client.get("/api/v1/visits/", {"year": 2026, "month": 12}).json()
    assert [row["reference"] for row in month["results"]] == [started.reference]
    assert "Embargoed" not in page
    assert "Unannounced check" not in page


def test_no_future_date_or_target_in_started_visit(client_for, started):
    """The started visit itself shows no planning details (title, planned dates, team)."""
    client = client_for("liaison")
    page = client.get(f"/visits/{started.public_id}/").content.decode()
    assert "Started visit" not in page
    assert "Planned dates" not in page
    data = client.get(f"/api/v1/visits/{started.public_id}/").json()
    assert data["details"] is None
    assert "planned_start" not in str(data)


def test_started_state_without_start_time_stays_hidden(client_for, make_visit):
    visit = make_visit(state=VisitState.ON_SITE, started_at=None)
    assert client_for("liaison").get(f"/visits/{visit.public_id}/").status_code == 404


def test_cancelled_visit_that_never_started_stays_hidden(client_for, make_visit):
    visit = make_visit(state=VisitState.CANCELLED)
    assert visit.started_at is None
    client = client_for("liaison")
    assert client.get(f"/visits/{visit.public_id}/").status_code == 404
    assert client.get("/api/v1/visits/").json()["count"] == 0


def test_home_page_of_a_liaison_shows_no_visit(client_for, hidden, started):
    body = client_for("liaison").get("/").content.decode()
    assert "Visits awaiting action" not in body
    assert "My visits" not in body
    for visit in hidden.values():
        assert visit.reference not in body
    assert 'href="/visits/plan/' not in body


def test_plan_page_and_participants_are_closed_to_liaisons(client_for, hidden):
    client = client_for("liaison")
    assert client.get("/visits/plan/2026/").status_code == 404
    assert client.get("/visits/plan/").status_code == 404
    assert client.get("/people/").status_code == 403
    assert client.get("/api/v1/participants/").status_code == 403


def test_institution_page_does_not_reveal_a_planned_visit(client_for, hidden):
    institution = hidden[VisitState.PLANNED].institutions.get()
    body = client_for("liaison").get(f"/registry/institutions/{institution.public_id}/")
    text = body.content.decode()
    assert body.status_code == 200
    for visit in hidden.values():
        assert visit.reference not in text
        assert visit.planned_start.strftime("%d.%m.%Y") not in text
        assert visit.planned_start.isoformat() not in text


def test_visible_once_started(client_for, users, hidden):
    from vigil.visits.services.visits import visit_transition

    visit = hidden[VisitState.PREPARED]
    client = client_for("liaison")
    assert client.get(f"/visits/{visit.public_id}/").status_code == 404
    visit_transition(actor=users["coordinator"], visit=visit, to_state=VisitState.ON_SITE)
    assert client.get(f"/visits/{visit.public_id}/").status_code == 200
    visit.refresh_from_db()
    assert visit.started_at <= timezone.now()


def test_a_liaisons_date_filters_use_the_actual_start_not_the_plan(client_for, make_visit):
    """A visit planned for June that started in December: the liaison finds it by December and
    by the year it started, never by the embargoed planned month or the plan's year; the NPM
    still filters by the plan."""
    import datetime

    from vigil.visits.models import AnnualPlan

    plan, _ = AnnualPlan.objects.get_or_create(year=2025)
    started = make_visit(
        state=VisitState.ON_SITE,
        plan=plan,
        planned_start=datetime.date(2025, 6, 2),
        started_at=datetime.datetime(2026, 12, 3, 9, tzinfo=datetime.UTC),
    )
    liaison = client_for("liaison")

    def found(client, **params):
        return [r["reference"] for r in client.get("/api/v1/visits/", params).json()["results"]]

    assert found(liaison, month=6) == []
    assert found(liaison, year=2025) == []
    assert found(liaison, year=2025, month=6) == []
    assert found(liaison, month=12) == [started.reference]
    assert found(liaison, year=2026) == [started.reference]
    assert "0 visits" in liaison.get("/visits/", {"month": 6}).content.decode()
    coordinator = client_for("coordinator")
    assert found(coordinator, year=2025, month=6) == [started.reference]
