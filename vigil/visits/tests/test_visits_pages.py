"""Visit pages: role matrices for every page and action, forms, the visit page's buttons."""

import datetime

import pytest

from conftest import ALL_ACTORS
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.people.enums import ConflictKind
from vigil.people.models import ConflictDeclaration
from vigil.visits.enums import VisitState, VisitType
from vigil.visits.models import AccessIncident, AnnualPlan, Visit, VisitTransition

ACTORS = [*ALL_ACTORS, "monitor_outsider", "other_liaison"]
PLANNERS = {"admin", "coordinator", "regional"}


@pytest.fixture(autouse=True)
def _accounts(participants):
    """The participants fixture adds the monitor_* accounts the matrices use."""


def audit_rows():
    return list(
        AuditEvent.objects.exclude(action=AuditAction.USER_LOGGED_IN).values_list("pk", flat=True)
    )


@pytest.fixture
def trio(make_visit, make_institution, ref):
    """Astana planned, Astana on site, Almaty (KUIS) on site; same team on each."""
    almaty = make_institution(
        region=ref["almaty"], agency=ref["kuis"], name_ru="Алматинская женская колония"
    )
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
def test_list_role_matrix(client_for, trio, actor):
    response = client_for(actor).get("/visits/")
    if actor == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
        return
    assert response.status_code == 200
    body = response.content.decode()
    shown = {key for key, visit in trio.items() if visit.reference in body}
    assert shown == VISIBLE[actor]
    assert f"{len(VISIBLE[actor])} visit" in body


@pytest.mark.parametrize("actor", ACTORS)
def test_detail_role_matrix(client_for, trio, actor):
    client = client_for(actor)
    for key, visit in trio.items():
        response = client.get(f"/visits/{visit.public_id}/")
        if actor == "anonymous":
            assert response.status_code == 302
            continue
        assert response.status_code == (200 if key in VISIBLE[actor] else 404), key


def test_detail_shows_header_buttons_and_history(client_for, make_visit):
    visit = make_visit(state=VisitState.DRAFT)
    VisitTransition.objects.create(
        visit=visit, from_state="draft", to_state="draft", note="Created for the test"
    )
    body = client_for("coordinator").get(f"/visits/{visit.public_id}/").content.decode()
    assert visit.reference in body
    assert "Team Lead" in body
    assert "lead" in body
    assert "Put in the plan" in body
    assert "Cancel" in body
    assert "Mark prepared" not in body
    assert "Created for the test" in body
    # A team member who does not lead sees no button.
    body = client_for("monitor").get(f"/visits/{visit.public_id}/").content.decode()
    assert "Put in the plan" not in body
    assert "/transition/" not in body


def test_liaison_sees_no_details_of_a_started_visit(client_for, trio):
    body = client_for("liaison").get(f"/visits/{trio['on_site'].public_id}/").content.decode()
    assert trio["on_site"].reference in body
    for hidden in ("Ongoing", "Team Lead", "Team Doctor", "Planned dates", "History"):
        assert hidden not in body
    listing = client_for("liaison").get("/visits/").content.decode()
    assert "Ongoing" not in listing
    assert "Far away" not in listing


def _form(institution, **extra):
    data = {
        "type": VisitType.PLANNED,
        "title": "New visit",
        "institutions": [str(institution.public_id)],
        "planned_start": "2026-12-10",
        "planned_end": "2026-12-11",
        "mode": "in_person",
        "theme": "",
        "objectives": "",
        "trigger_kind": "",
        "trigger_reference": "",
        "trigger_details": "",
        "follow_up_reference": "",
    }
    data.update(extra)
    return data


CREATE_STATUS = {
    "anonymous": 302,
    "admin": 200,
    "coordinator": 200,
    "regional": 200,
    "monitor": 403,
    "monitor_outsider": 403,
    "liaison": 403,
    "other_liaison": 403,
    "auditor": 403,
}


@pytest.mark.parametrize("actor", ACTORS)
def test_create_role_matrix(client_for, participants, make_institution, actor):
    colony = make_institution()
    client = client_for(actor)
    assert client.get("/visits/new/").status_code == CREATE_STATUS[actor]
    before = audit_rows()
    response = client.post("/visits/new/", _form(colony))
    created = Visit.objects.filter(title="New visit").first()
    if CREATE_STATUS[actor] == 200:
        assert response.status_code == 302
        assert created is not None
        assert response["Location"] == f"/visits/{created.public_id}/team/"
        assert created.reference.startswith("2026-")
        assert len(created.reference) == 11
        assert list(created.institutions.all()) == [colony]
    else:
        assert response.status_code in (302, 403)
        assert created is None
        assert audit_rows() == before
        assert not AnnualPlan.objects.exists()


def test_regional_cannot_create_in_another_region(client_for, make_institution, ref):
    almaty = make_institution(region=ref["almaty"])
    response = client_for("regional").post("/visits/new/", _form(almaty))
    # The regional representative cannot even find the institution: not in its registry.
    assert response.status_code == 200
    assert not Visit.objects.exists()


def test_create_form_keeps_input_and_shows_errors(client_for, make_institution):
    colony = make_institution()
    response = client_for("coordinator").post(
        "/visits/new/", _form(colony, planned_start="", title="Kept title")
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Please correct the errors below." in body
    assert 'value="Kept title"' in body
    assert colony.name in body  # the chosen institution stays chosen


@pytest.mark.parametrize("actor", ACTORS)
def test_edit_role_matrix(client_for, make_visit, actor):
    visit = make_visit(state=VisitState.PLANNED)
    client = client_for(actor)
    url = f"/visits/{visit.public_id}/edit/"
    data = _form(visit.institutions.get(), title="Renamed")
    before = audit_rows()
    response = client.post(url, data)
    visit.refresh_from_db()
    if actor in PLANNERS:
        assert response.status_code == 302
        assert visit.title == "Renamed"
        assert client.get(url).status_code == 200
        return
    expected = {
        "anonymous": 302,
        "monitor": 403,
        "auditor": 403,
        "liaison": 404,
        "other_liaison": 404,
        "monitor_outsider": 404,
    }
    assert response.status_code == expected[actor]
    assert visit.title == "Visit 1"
    assert audit_rows() == before


def _team_form(participants, *keys, lead="lead"):
    return {
        "members": [str(participants[k].public_id) for k in keys],
        "lead": str(participants[lead].public_id),
    }


@pytest.mark.parametrize("actor", ACTORS)
def test_team_role_matrix(client_for, make_visit, participants, actor):
    visit = make_visit(state=VisitState.DRAFT)
    client = client_for(actor)
    url = f"/visits/{visit.public_id}/team/"
    before = audit_rows()
    response = client.post(url, _team_form(participants, "lead", "doctor", "outsider"))
    members = {m.participant_id for m in visit.team.all()}
    if actor in PLANNERS:
        assert response.status_code == 302
        assert participants["outsider"].pk in members
        assert client.get(url).status_code == 200
        return
    expected = {
        "anonymous": 302,
        "monitor": 403,
        "auditor": 403,
        "liaison": 404,
        "other_liaison": 404,
        "monitor_outsider": 404,
    }
    assert response.status_code == expected[actor]
    assert participants["outsider"].pk not in members
    assert audit_rows() == before


def test_team_page_marks_and_refuses_a_conflicted_participant(client_for, make_visit, participants):
    visit = make_visit(state=VisitState.DRAFT)
    ConflictDeclaration.objects.create(
        participant=participants["outsider"],
        kind=ConflictKind.WORKED_AT_INSTITUTION,
        institution=visit.institutions.get(),
        description="Guard in 2018",
        declared_on=datetime.date(2020, 1, 1),
    )
    client = client_for("coordinator")
    page = client.get(f"/visits/{visit.public_id}/team/").content.decode()
    assert "Not eligible" in page
    assert "Guard in 2018" in page
    response = client.post(
        f"/visits/{visit.public_id}/team/",
        _team_form(participants, "lead", "doctor", "monitor", "outsider"),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Outsider has declared a conflict of interest with" in body
    assert not visit.team.filter(participant=participants["outsider"]).exists()


def test_team_page_refuses_a_team_under_three(client_for, make_visit, participants):
    visit = make_visit(state=VisitState.DRAFT)
    response = client_for("coordinator").post(
        f"/visits/{visit.public_id}/team/", _team_form(participants, "lead", "doctor")
    )
    assert "A visiting team needs at least 3 members; it has 2." in response.content.decode()
    assert visit.team.count() == 3


TRANSITION_STATUS = {
    "anonymous": 302,
    "admin": 302,
    "coordinator": 302,
    "regional": 302,
    "monitor": 403,
    "auditor": 403,
    "liaison": 404,
    "other_liaison": 404,
    "monitor_outsider": 404,
}


@pytest.mark.parametrize("actor", ACTORS)
def test_transition_role_matrix(client_for, make_visit, actor):
    visit = make_visit(state=VisitState.DRAFT)
    before = audit_rows()
    response = client_for(actor).post(
        f"/visits/{visit.public_id}/transition/", {"to_state": "planned"}
    )
    assert response.status_code == TRANSITION_STATUS[actor]
    visit.refresh_from_db()
    if actor in PLANNERS:
        assert visit.state == VisitState.PLANNED
        assert response["Location"] == f"/visits/{visit.public_id}/"
    else:
        assert visit.state == VisitState.DRAFT
        assert audit_rows() == before


@pytest.mark.parametrize("to_state", ["", "nowhere", "planned"])
def test_who_may_make_no_move_is_refused_whatever_it_asks(client_for, make_visit, to_state):
    """An auditor sees the visit but makes no move on it: 403 for any target, never the
    refusal of a move the table lacks (a redirect with a message)."""
    visit = make_visit(state=VisitState.DRAFT)
    before = audit_rows()
    response = client_for("auditor").post(
        f"/visits/{visit.public_id}/transition/", {"to_state": to_state}
    )
    assert response.status_code == 403
    visit.refresh_from_db()
    assert visit.state == VisitState.DRAFT
    assert audit_rows() == before


def test_transition_refusal_is_shown_with_its_reason(client_for, make_visit):
    visit = make_visit(state=VisitState.DRAFT, type=VisitType.SPECIAL)
    client = client_for("coordinator")
    detail = client.get(f"/visits/{visit.public_id}/").content.decode()
    assert "Before this visit can go in the plan" in detail
    response = client.post(
        f"/visits/{visit.public_id}/transition/", {"to_state": "planned"}, follow=True
    )
    body = response.content.decode()
    assert "A special visit must name its trigger" in body
    visit.refresh_from_db()
    assert visit.state == VisitState.DRAFT
    # Cancelling needs a reason.
    response = client.post(
        f"/visits/{visit.public_id}/transition/", {"to_state": "cancelled"}, follow=True
    )
    assert "Give the reason for this step." in response.content.decode()


def test_transition_get_is_not_allowed(client_for, make_visit):
    visit = make_visit(state=VisitState.DRAFT)
    assert (
        client_for("coordinator").get(f"/visits/{visit.public_id}/transition/").status_code == 405
    )


INCIDENT_STATUS = {
    "anonymous": 302,
    "admin": 403,
    "coordinator": 302,
    "regional": 302,
    "monitor": 302,
    "auditor": 403,
    "liaison": 403,
    "other_liaison": 404,
    "monitor_outsider": 404,
}


@pytest.mark.parametrize("actor", ACTORS)
def test_access_incident_role_matrix(client_for, make_visit, actor):
    visit = make_visit(state=VisitState.ON_SITE)
    before = audit_rows()
    response = client_for(actor).post(
        f"/visits/{visit.public_id}/access-incidents/",
        {
            "kind": "area_denied",
            "institution": str(visit.institutions.get().public_id),
            "occurred_at": "2026-11-01T10:00",
            "duration_minutes": "",
            "details": "The punishment cells were closed to the team.",
        },
    )
    assert response.status_code == INCIDENT_STATUS[actor]
    if response.status_code == 302 and actor != "anonymous":
        assert AccessIncident.objects.filter(visit=visit).count() == 1
        body = client_for(actor).get(f"/visits/{visit.public_id}/").content.decode()
        assert "The punishment cells were closed to the team." in body
    else:
        assert not AccessIncident.objects.exists()
        assert audit_rows() == before


def test_access_incident_form_errors(client_for, make_visit):
    visit = make_visit(state=VisitState.ON_SITE)
    response = client_for("monitor").post(
        f"/visits/{visit.public_id}/access-incidents/", {"kind": "delay", "details": ""}
    )
    assert response.status_code == 400
    assert "Please correct the errors below." in response.content.decode()


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
def test_plan_role_matrix(client_for, trio, actor):
    response = client_for(actor).get("/visits/plan/2026/")
    assert response.status_code == PLAN_STATUS[actor]
    if response.status_code == 200:
        total = len(VISIBLE[actor])
        assert f'data-testid="plan-total">{total}<' in response.content.decode()
    index = client_for(actor).get("/visits/plan/")
    assert index.status_code == (302 if PLAN_STATUS[actor] == 200 else PLAN_STATUS[actor])


def test_plan_counts_by_region_and_month(client_for, trio, ref):
    body = client_for("coordinator").get("/visits/plan/2026/").content.decode()
    assert "?year=2026&amp;month=12&amp;region=KZ-71" in body
    assert "?year=2026&amp;month=12&amp;region=KZ-75" in body
    listing = client_for("coordinator").get("/visits/?year=2026&month=12&region=KZ-71")
    assert "2 visits" in listing.content.decode()


@pytest.mark.parametrize("actor", ACTORS)
def test_plan_edit_role_matrix(client_for, actor):
    before = audit_rows()
    response = client_for(actor).post("/visits/plan/2026/", {"title": "Plan", "notes": "n"})
    plan = AnnualPlan.objects.filter(year=2026).first()
    if actor in ("admin", "coordinator"):
        assert response.status_code == 302
        assert plan is not None
        assert plan.title == "Plan"
    else:
        assert response.status_code in (302, 403, 404)
        assert plan is None
        assert audit_rows() == before


def test_list_filters(client_for, trio):
    client = client_for("coordinator")
    body = client.get("/visits/?state=on_site").content.decode()
    assert trio["on_site"].reference in body
    assert trio["planned"].reference not in body
    body = client.get("/visits/?region=KZ-75").content.decode()
    assert trio["almaty"].reference in body
    assert trio["on_site"].reference not in body
    institution = trio["almaty"].institutions.get()
    body = client.get("/visits/", {"q": institution.name_ru}).content.decode()
    assert trio["almaty"].reference in body
    assert trio["planned"].reference not in body
    body = client.get("/visits/", {"q": trio["planned"].reference}).content.decode()
    assert "1 visit" in body
    partial = client.get("/visits/?state=planned", headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode()


@pytest.mark.parametrize("actor", ["coordinator", "regional", "monitor", "liaison"])
def test_list_page_queries_do_not_grow_with_visits(client_for, make_visit, actor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(actor)
    make_visit(state=VisitState.ON_SITE)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/visits/").status_code == 200
    for _ in range(4):
        make_visit(state=VisitState.ON_SITE)
    with CaptureQueriesContext(connection) as many:
        assert "5 visits" in client.get("/visits/").content.decode()
    assert len(many) == len(few)


@pytest.mark.parametrize("actor", ["coordinator", "monitor"])
def test_my_work_and_participants_queries_do_not_grow(client_for, make_visit, participants, actor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(actor)
    url = "/people/" if actor == "coordinator" else "/visits/mine/"
    make_visit(state=VisitState.ON_SITE)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(4):
        make_visit(state=VisitState.ON_SITE)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)
