"""The lists of visits (every visit, my visits, a year's plan): who may export them, what the
export holds for whom, the filters a coordinator needs and the sort of the columns."""

import csv
import datetime
import io

import pytest

from conftest import ALL_ACTORS
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.visits.enums import VisitState, VisitType
from vigil.visits.models import AnnualPlan

ACTORS = [*ALL_ACTORS, "monitor_outsider", "other_liaison"]


@pytest.fixture(autouse=True)
def _accounts(participants):
    """The participants fixture adds the monitor_* accounts."""


@pytest.fixture
def trio(make_visit, make_institution, ref):
    """Astana planned, Astana on site, Almaty (another agency) closed; the same team on each."""
    almaty = make_institution(
        region=ref["almaty"], agency=ref["moh"], name_en="Almaty clinic", name_ru="Клиника"
    )
    return {
        "planned": make_visit(
            state=VisitState.PLANNED,
            title="Secret target",
            planned_start=datetime.date(2026, 12, 9),
        ),
        "on_site": make_visit(
            state=VisitState.ON_SITE, title="Ongoing", planned_start=datetime.date(2026, 11, 3)
        ),
        "almaty": make_visit(
            state=VisitState.CLOSED,
            institution=almaty,
            title="Far away",
            type=VisitType.SPECIAL,
            planned_start=datetime.date(2026, 3, 2),
        ),
    }


def rows_of(response):
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def exports():
    return AuditEvent.objects.filter(action=AuditAction.LIST_EXPORTED)


VISITS_EXPORTED = {
    "admin": {"planned", "on_site", "almaty"},
    "coordinator": {"planned", "on_site", "almaty"},
    "auditor": {"planned", "on_site", "almaty"},
    "regional": {"planned", "on_site"},
    "monitor": {"planned", "on_site", "almaty"},
    "monitor_outsider": set(),
}


@pytest.mark.parametrize("actor", ACTORS)
def test_who_exports_the_visits_list(client_for, users, trio, actor):
    response = client_for(actor).get("/visits/?export=csv")
    if actor == "anonymous":
        assert response.status_code == 302
        return
    if actor in ("liaison", "other_liaison"):
        # A file of visits to its institutions would chart the NPM's coverage: none at all.
        assert response.status_code == 403
        assert not exports().exists()
        page = client_for(actor).get("/visits/").content.decode()
        assert "export=" not in page
        return
    assert response.status_code == 200
    references = {row["reference"] for row in rows_of(response)}
    assert references == {trio[key].reference for key in VISITS_EXPORTED[actor]}
    event = exports().get()
    assert event.actor == users[actor]
    assert event.data["list"] == "visits"
    assert event.data["rows"] == len(VISITS_EXPORTED[actor])


def test_the_export_holds_the_planning_details_for_the_npm(client_for, trio):
    rows = {
        row["reference"]: row for row in rows_of(client_for("auditor").get("/visits/?export=csv"))
    }
    planned = rows[trio["planned"].reference]
    assert planned["title"] == "Secret target"
    assert planned["planned_start"] == "2026-12-09"
    assert planned["state"] == "planned"
    assert planned["region"] == "KZ-71"
    assert planned["plan_year"] == "2026"
    assert planned["team_lead"] == "Team Lead"
    assert planned["started_on"] == ""
    assert rows[trio["almaty"].reference]["institutions"] == "Almaty clinic"
    assert "objectives" not in planned


def test_the_visits_list_filters_a_coordinator_needs(client_for, trio, ref):
    client = client_for("coordinator")

    def shown(query):
        page = client.get(f"/visits/?{query}")
        return {v.reference for v in page.context["page"].object_list}

    assert shown("agency=MOH") == {trio["almaty"].reference}
    assert shown("agency=MVD") == {trio["planned"].reference, trio["on_site"].reference}
    assert shown("region=KZ-75") == {trio["almaty"].reference}
    assert shown("type=special") == {trio["almaty"].reference}
    assert shown("state=on_site&year=2026") == {trio["on_site"].reference}
    assert shown("year=2025") == set()
    exported = client.get("/visits/?agency=MOH&export=xlsx")
    assert exported.status_code == 200
    assert exports().get().data["filters"] == {"agency": "MOH"}


def test_the_visits_list_sorts_by_its_columns(client_for, trio):
    client = client_for("coordinator")

    def order(ordering):
        page = client.get(f"/visits/?ordering={ordering}")
        listed = [v.reference for v in page.context["page"].object_list]
        exported = [
            row["reference"]
            for row in rows_of(client.get(f"/visits/?ordering={ordering}&export=csv"))
        ]
        assert listed == exported, ordering
        return [key for reference in listed for key, v in trio.items() if v.reference == reference]

    assert order("") == ["planned", "on_site", "almaty"]  # the newest first
    assert order("date") == ["almaty", "on_site", "planned"]
    assert order("state") == ["planned", "on_site", "almaty"]  # the life cycle's order
    assert order("-state") == ["almaty", "on_site", "planned"]
    assert order("region") == ["planned", "on_site", "almaty"]  # KZ-71, then KZ-75
    assert order("-region") == ["almaty", "on_site", "planned"]
    # The first institution's name: "Almaty clinic" (Клиника) before the numbered ones.
    assert order("institution") == ["almaty", "planned", "on_site"]
    body = client.get("/visits/?ordering=state").content.decode()
    assert 'aria-sort="ascending"' in body


def test_a_liaison_sorts_by_the_day_a_visit_took_place(
    client_for, make_visit, make_institution, ref
):
    place = make_institution(agency=ref["kuis"])
    early = make_visit(
        state=VisitState.CLOSED, institution=place, planned_start=datetime.date(2026, 1, 5)
    )
    late = make_visit(
        state=VisitState.CLOSED, institution=place, planned_start=datetime.date(2026, 6, 5)
    )
    early.started_at = datetime.datetime(2026, 9, 1, 9, tzinfo=datetime.UTC)
    late.started_at = datetime.datetime(2026, 2, 1, 9, tzinfo=datetime.UTC)
    for visit in (early, late):
        visit.save(update_fields=["started_at"])
    page = client_for("liaison").get("/visits/?ordering=date")
    assert [v.reference for v in page.context["page"].object_list] == [
        late.reference,
        early.reference,
    ]
    page = client_for("liaison").get("/visits/")
    assert [v.reference for v in page.context["page"].object_list] == [
        early.reference,
        late.reference,
    ]


MINE_STATUS = {
    "anonymous": 302,
    "admin": 404,
    "coordinator": 200,
    "regional": 200,
    "monitor": 200,
    "monitor_outsider": 200,
    "liaison": 404,
    "other_liaison": 404,
    "auditor": 404,
}


@pytest.mark.parametrize("actor", ACTORS)
def test_who_exports_my_visits(client_for, trio, actor):
    response = client_for(actor).get("/visits/mine/?export=csv")
    assert response.status_code == MINE_STATUS[actor]
    if response.status_code != 200:
        assert not exports().exists()
        return
    references = {row["reference"] for row in rows_of(response)}
    # Only the visits whose team one is on: the coordinator and the regional representative
    # have no participant record here, the outsider is on no team.
    on_team = actor == "monitor"
    assert references == ({v.reference for v in trio.values()} if on_team else set())
    assert exports().get().data["list"] == "my_visits"


PLAN_STATUS = {
    "anonymous": 302,
    "admin": 200,
    "coordinator": 200,
    "regional": 200,
    "auditor": 200,
    "monitor": 404,
    "monitor_outsider": 404,
    "liaison": 404,
    "other_liaison": 404,
}


@pytest.mark.parametrize("actor", ACTORS)
def test_who_exports_the_plan(client_for, trio, make_visit, actor):
    make_visit(plan=AnnualPlan.objects.create(year=2027), planned_start=datetime.date(2027, 2, 1))
    response = client_for(actor).get("/visits/plan/2026/?export=csv")
    assert response.status_code == PLAN_STATUS[actor]
    if response.status_code != 200:
        assert not exports().exists()
        return
    references = {row["reference"] for row in rows_of(response)}
    expected = VISITS_EXPORTED[actor]
    assert references == {trio[key].reference for key in expected}  # 2026 only
    assert exports().get().data["list"] == "plan_visits"


def test_the_plan_page_lists_its_visits(client_for, trio):
    client = client_for("coordinator")
    body = client.get("/visits/plan/2026/?region=KZ-75").content.decode()
    assert 'id="plan-visits"' in body
    assert trio["almaty"].reference in body
    assert trio["on_site"].reference not in body
    assert "1 visit" in body
    partial = client.get("/visits/plan/2026/?ordering=state", headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert "<html" not in partial.content.decode()
    assert "3 visits" in partial.content.decode()


def test_the_api_filters_and_sorts_like_the_page(client_for, trio):
    client = client_for("coordinator")
    rows = client.get("/api/v1/visits/", {"ordering": "-state"}).json()["results"]
    assert [row["reference"] for row in rows] == [
        trio[key].reference for key in ("almaty", "on_site", "planned")
    ]
    rows = client.get("/api/v1/visits/", {"agency": "MOH"}).json()["results"]
    assert [row["reference"] for row in rows] == [trio["almaty"].reference]
