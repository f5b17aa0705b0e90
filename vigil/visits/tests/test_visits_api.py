"""API v1 for visits: role matrices for every endpoint and method, the embargo, the same
services (and refusals) as the pages."""

import datetime
from typing import Any

import pytest

from conftest import ALL_ACTORS
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.people.enums import ConflictKind
from vigil.people.models import ConflictDeclaration
from vigil.visits.enums import VisitState, VisitType
from vigil.visits.models import AccessIncident, Visit

API = "/api/v1/visits/"
ACTORS = [*ALL_ACTORS, "monitor_outsider", "other_liaison"]
PLANNERS = {"admin", "coordinator", "regional"}


@pytest.fixture(autouse=True)
def _accounts(participants):
    """The participants fixture adds the monitor_* accounts."""


def audit_rows() -> list[int]:
    return list(
        AuditEvent.objects.exclude(action=AuditAction.USER_LOGGED_IN).values_list("pk", flat=True)
    )


def assert_denied(response: Any, actor: str, status: int) -> None:
    if actor == "anonymous":
        assert response.status_code in (401, 403)
    else:
        assert response.status_code == status, (actor, response.content)
        assert response.json()["detail"]


@pytest.fixture
def trio(make_visit, make_institution, ref):
    almaty = make_institution(region=ref["almaty"], agency=ref["kuis"])
    return {
        "planned": make_visit(state=VisitState.PLANNED, title="Secret target"),
        "on_site": make_visit(state=VisitState.ON_SITE, title="Ongoing"),
        "almaty": make_visit(state=VisitState.ON_SITE, institution=almaty, title="Far away"),
    }


VISIBLE = {
    "admin": {"planned", "on_site", "almaty"},
    "coordinator": {"planned", "on_site", "almaty"},
    "auditor": {"planned", "on_site", "almaty"},
    "regional": {"planned", "on_site"},
    "monitor": {"planned", "on_site", "almaty"},
    "monitor_outsider": set(),
    "liaison": {"on_site", "almaty"},
    "other_liaison": set(),
}


@pytest.mark.parametrize("actor", ACTORS)
def test_list_and_detail_matrix(client_for, trio, actor):
    client = client_for(actor)
    response = client.get(API)
    if actor == "anonymous":
        assert response.status_code in (401, 403)
        return
    assert response.status_code == 200
    body = response.json()
    ids = {row["id"] for row in body["results"]}
    expected = {str(trio[k].public_id) for k in VISIBLE[actor]}
    assert ids == expected
    assert body["count"] == len(expected)
    for key, visit in trio.items():
        detail = client.get(f"{API}{visit.public_id}/")
        assert detail.status_code == (200 if key in VISIBLE[actor] else 404), key
        if detail.status_code == 200:
            data = detail.json()
            if actor in ("liaison", "other_liaison"):
                assert data["details"] is None
                assert "Ongoing" not in detail.content.decode()
            else:
                assert data["details"]["title"] == visit.title
                assert len(data["details"]["team"]) == 3


def test_bad_id_is_404(client_for):
    assert client_for("coordinator").get(f"{API}not-a-uuid/").status_code == 404


def _payload(institution, **extra):
    data = {
        "type": VisitType.PLANNED,
        "institutions": [str(institution.public_id)],
        "planned_start": "2026-12-15",
        "title": "API visit",
    }
    data.update(extra)
    return data


@pytest.mark.parametrize("actor", ACTORS)
def test_create_matrix(client_for, make_institution, actor):
    colony = make_institution()
    before = audit_rows()
    response = client_for(actor).post(API, _payload(colony), content_type="application/json")
    created = Visit.objects.filter(title="API visit").first()
    if actor in PLANNERS:
        assert response.status_code == 201, response.content
        assert created is not None
        data = response.json()
        assert data["reference"].startswith("2026-")
        assert len(data["reference"]) == 11
        assert data["state"] == "draft"
        assert data["region"] == "KZ-71"
        assert [i["id"] for i in data["institutions"]] == [str(colony.public_id)]
        assert {t["to_state"] for t in data["allowed_transitions"]} == {"planned", "cancelled"}
    else:
        assert_denied(response, actor, 403)
        assert created is None
        assert audit_rows() == before


def test_create_validation_errors(client_for, make_institution, ref):
    client = client_for("regional")
    almaty = make_institution(region=ref["almaty"])
    response = client.post(API, _payload(almaty), content_type="application/json")
    assert response.status_code == 400
    assert "institutions" in response.json()["errors"]
    response = client.post(
        API, {"type": "planned", "institutions": []}, content_type="application/json"
    )
    assert response.status_code == 400
    assert {"institutions", "planned_start"} <= response.json()["errors"].keys()


@pytest.mark.parametrize("actor", ACTORS)
def test_update_matrix(client_for, make_visit, actor):
    visit = make_visit(state=VisitState.PLANNED)
    before = audit_rows()
    response = client_for(actor).patch(
        f"{API}{visit.public_id}/", {"title": "Changed"}, content_type="application/json"
    )
    visit.refresh_from_db()
    if actor in PLANNERS:
        assert response.status_code == 200, response.content
        assert visit.title == "Changed"
        assert response.json()["details"]["title"] == "Changed"
    else:
        status = 403 if actor in ("monitor", "auditor") else 404
        assert_denied(response, actor, status)
        assert visit.title == "Visit 1"
        assert audit_rows() == before


def test_update_after_start_is_refused(client_for, make_visit):
    visit = make_visit(state=VisitState.ON_SITE)
    response = client_for("coordinator").patch(
        f"{API}{visit.public_id}/", {"title": "Changed"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "only before it starts" in response.json()["errors"]["state"][0]


@pytest.mark.parametrize("actor", ACTORS)
def test_transition_matrix(client_for, make_visit, actor):
    visit = make_visit(state=VisitState.DRAFT)
    before = audit_rows()
    response = client_for(actor).post(
        f"{API}{visit.public_id}/transitions/",
        {"to_state": "planned"},
        content_type="application/json",
    )
    visit.refresh_from_db()
    if actor in PLANNERS:
        assert response.status_code == 200, response.content
        assert response.json()["state"] == "planned"
        assert visit.state == VisitState.PLANNED
    else:
        status = 403 if actor in ("monitor", "auditor") else 404
        assert_denied(response, actor, status)
        assert visit.state == VisitState.DRAFT
        assert audit_rows() == before


def test_transition_refusals_are_400_with_the_reason(client_for, make_visit, participants):
    client = client_for("coordinator")
    special = make_visit(state=VisitState.DRAFT, type=VisitType.SPECIAL)
    response = client.post(
        f"{API}{special.public_id}/transitions/",
        {"to_state": "planned"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"]["trigger_kind"] == [
        "A special visit must name its trigger: an appeal, an incident or a media report."
    ]
    small = make_visit(state=VisitState.DRAFT)
    small.team.filter(participant=participants["doctor"]).delete()
    response = client.post(
        f"{API}{small.public_id}/transitions/",
        {"to_state": "planned"},
        content_type="application/json",
    )
    assert response.json()["errors"]["team"] == [
        "A visiting team needs at least 3 members; it has 2."
    ]
    response = client.post(
        f"{API}{small.public_id}/transitions/",
        {"to_state": "closed"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "cannot go from" in response.json()["errors"]["state"][0]


@pytest.mark.parametrize("actor", ACTORS)
def test_history_matrix(client_for, make_visit, actor):
    visit = make_visit(state=VisitState.ON_SITE)
    response = client_for(actor).get(f"{API}{visit.public_id}/transitions/")
    if actor in ("admin", "coordinator", "regional", "monitor", "auditor"):
        assert response.status_code == 200
        assert response.json() == []
    else:
        status = 403 if actor == "liaison" else 404
        assert_denied(response, actor, status)


@pytest.mark.parametrize("actor", ACTORS)
def test_team_matrix(client_for, make_visit, participants, actor):
    visit = make_visit(state=VisitState.DRAFT)
    before = audit_rows()
    payload = {
        "members": [str(participants[k].public_id) for k in ("lead", "doctor", "outsider")],
        "lead": str(participants["outsider"].public_id),
    }
    response = client_for(actor).put(
        f"{API}{visit.public_id}/team/", payload, content_type="application/json"
    )
    if actor in PLANNERS:
        assert response.status_code == 200, response.content
        team = response.json()["details"]["team"]
        assert {m["name"] for m in team} == {"Team Lead", "Team Doctor", "Outsider"}
        assert [m["name"] for m in team if m["is_lead"]] == ["Outsider"]
    else:
        status = 403 if actor in ("monitor", "auditor") else 404
        assert_denied(response, actor, status)
        assert visit.team.get(is_lead=True).participant == participants["lead"]
        assert audit_rows() == before


def test_team_refuses_a_conflicted_participant_with_the_reason(
    client_for, make_visit, participants
):
    visit = make_visit(state=VisitState.DRAFT)
    ConflictDeclaration.objects.create(
        participant=participants["outsider"],
        kind=ConflictKind.RELATIVE_AT_INSTITUTION,
        institution=visit.institutions.get(),
        description="Brother is a guard there",
        declared_on=datetime.date(2020, 1, 1),
    )
    response = client_for("coordinator").put(
        f"{API}{visit.public_id}/team/",
        {
            "members": [str(participants[k].public_id) for k in ("lead", "doctor", "outsider")],
            "lead": str(participants["lead"].public_id),
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    message = response.json()["errors"]["members"][0]
    assert "Outsider has declared a conflict of interest" in message
    assert "Brother is a guard there" in message


INCIDENT_WRITE = {"coordinator", "regional", "monitor"}
INCIDENT_READ = INCIDENT_WRITE | {"auditor"}


@pytest.mark.parametrize("actor", ACTORS)
def test_access_incident_matrix(client_for, make_visit, actor):
    visit = make_visit(state=VisitState.ON_SITE)
    client = client_for(actor)
    before = audit_rows()
    response = client.post(
        f"{API}{visit.public_id}/access-incidents/",
        {
            "kind": "delay",
            "occurred_at": "2026-11-01T09:00:00Z",
            "duration_minutes": 40,
            "details": "Kept waiting at the gate",
        },
        content_type="application/json",
    )
    if actor in INCIDENT_WRITE:
        assert response.status_code == 201, response.content
        assert response.json()["kind"] == "delay"
    else:
        status = 403 if actor in ("admin", "auditor", "liaison") else 404
        assert_denied(response, actor, status)
        assert not AccessIncident.objects.exists()
        assert audit_rows() == before
    listing = client.get(f"{API}{visit.public_id}/access-incidents/")
    if actor in INCIDENT_READ:
        assert listing.status_code == 200
        assert len(listing.json()) == (1 if actor in INCIDENT_WRITE else 0)
    else:
        status = 403 if actor in ("admin", "liaison") else 404
        assert_denied(listing, actor, status)


def test_an_access_incident_at_an_ancient_time_is_refused(client_for, make_visit):
    visit = make_visit(state=VisitState.ON_SITE)
    response = client_for("coordinator").post(
        f"{API}{visit.public_id}/access-incidents/",
        {"kind": "delay", "occurred_at": "0613-05-01T00:00:00Z", "details": "At the gate"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["occurred_at"]
    assert not AccessIncident.objects.exists()


def test_filters(client_for, trio):
    client = client_for("coordinator")
    assert client.get(API, {"state": "planned"}).json()["count"] == 1
    assert client.get(API, {"region": "KZ-75"}).json()["count"] == 1
    assert client.get(API, {"year": 2026}).json()["count"] == 3
    assert client.get(API, {"year": 2025}).json()["count"] == 0
    assert client.get(API, {"q": trio["planned"].reference}).json()["count"] == 1
    assert client.get(API, {"state": "bogus"}).status_code == 400


@pytest.mark.parametrize("actor", ["coordinator", "liaison"])
@pytest.mark.parametrize(
    ("parameter", "value"), [("year", 99999), ("made_in", 99999), ("month", 13), ("month", 0)]
)
def test_a_year_or_month_out_of_range_is_refused(client_for, trio, actor, parameter, value):
    # A liaison's year and month filter by the actual start: a year past 9999 was a 500.
    response = client_for(actor).get(API, {parameter: value})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [parameter]


@pytest.mark.parametrize("actor", ["coordinator", "regional", "monitor", "liaison"])
def test_list_queries_do_not_grow_with_visits(client_for, make_visit, actor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(actor)
    make_visit(state=VisitState.ON_SITE)
    with CaptureQueriesContext(connection) as few:
        assert client.get(API).status_code == 200
    for _ in range(4):
        make_visit(state=VisitState.ON_SITE)
    with CaptureQueriesContext(connection) as many:
        body = client.get(API).json()
    assert body["count"] == 5
    assert body["results"][0]["allowed_transitions"] is None
    assert len(many) == len(few)
