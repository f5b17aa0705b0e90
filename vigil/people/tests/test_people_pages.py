"""Participant pages and API: role matrices, filters, forms, audited writes."""

import datetime

import pytest

from conftest import ALL_ACTORS
from vigil.accounts.enums import Role
from vigil.accounts.models import User
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.people.models import ConflictDeclaration, Participant, TrainingRecord

ACTORS = [*ALL_ACTORS, "monitor_outsider"]
MANAGERS = {"admin", "coordinator"}
API = "/api/v1/participants/"


@pytest.fixture(autouse=True)
def _people(participants, ref):
    """Doctor in Astana (the regional representative's region), lead in Almaty."""
    participants["doctor"].region = ref["astana"]
    participants["doctor"].save()
    participants["lead"].region = ref["almaty"]
    participants["lead"].save()


def audit_rows():
    return list(
        AuditEvent.objects.exclude(action=AuditAction.USER_LOGGED_IN).values_list("pk", flat=True)
    )


# Which participants each actor sees (by fixture key).
SEES = {
    "admin": {"monitor", "lead", "doctor", "outsider"},
    "coordinator": {"monitor", "lead", "doctor", "outsider"},
    "auditor": {"monitor", "lead", "doctor", "outsider"},
    "regional": {"doctor"},
    "monitor": {"monitor"},
    "monitor_outsider": {"outsider"},
    "liaison": set(),
}


@pytest.mark.parametrize("actor", ACTORS)
def test_list_role_matrix(client_for, participants, actor):
    response = client_for(actor).get("/people/")
    if actor == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
        return
    if actor in ("monitor", "monitor_outsider"):
        # A monitor has no list: it is sent to its own record.
        own = participants["monitor" if actor == "monitor" else "outsider"]
        assert response.status_code == 302
        assert response["Location"] == f"/people/{own.public_id}/"
        return
    if actor == "liaison":
        assert response.status_code == 403
        return
    assert response.status_code == 200
    body = response.content.decode()
    shown = {k for k, p in participants.items() if str(p.public_id) in body}
    assert shown == SEES[actor]


@pytest.mark.parametrize("actor", ACTORS)
def test_detail_role_matrix(client_for, participants, actor):
    client = client_for(actor)
    for key, participant in participants.items():
        response = client.get(f"/people/{participant.public_id}/")
        if actor == "anonymous":
            assert response.status_code == 302
            continue
        assert response.status_code == (200 if key in SEES[actor] else 404), key


def test_list_filters(client_for, participants):
    client = client_for("coordinator")
    body = client.get("/people/?profession=doctor").content.decode()
    assert "Team Doctor" in body
    assert "Team Lead" not in body
    body = client.get("/people/?region=KZ-75").content.decode()
    assert "Team Lead" in body
    assert "Team Doctor" not in body
    participants["outsider"].accredited_to = datetime.date(2021, 1, 1)
    participants["outsider"].save()
    body = client.get("/people/?accredited_now=false").content.decode()
    assert "1 participant" in body
    assert "Outsider" in body
    body = client.get("/people/?accredited_now=true").content.decode()
    assert "3 participants" in body
    body = client.get("/people/?search=outs").content.decode()
    assert "1 participant" in body


def test_detail_shows_training_conflicts_and_visits(client_for, participants, make_visit):
    visit = make_visit()
    TrainingRecord.objects.create(
        participant=participants["doctor"], title="Istanbul Protocol", completed_on="2025-05-01"
    )
    body = client_for("coordinator").get(f"/people/{participants['doctor'].public_id}/")
    text = body.content.decode()
    assert "Istanbul Protocol" in text
    assert visit.reference in text
    assert "No conflict of interest declared." in text


def _new_account():
    return User.objects.create_user(
        email="fresh@test.vigil", password="x" * 12, full_name="Fresh Monitor", role=Role.MONITOR
    )


@pytest.mark.parametrize("actor", ACTORS)
def test_create_role_matrix(client_for, ref, actor):
    account = _new_account()
    client = client_for(actor)
    before = audit_rows()
    response = client.post(
        "/people/new/",
        {
            "user": account.pk,
            "profession": "psychologist",
            "region": ref["astana"].pk,
            "organisation": "NGO",
            "accredited_from": "2026-01-01",
            "accredited_to": "",
            "notes": "",
        },
    )
    created = Participant.objects.filter(user=account).first()
    if actor in MANAGERS:
        assert response.status_code == 302
        assert created is not None
        assert response["Location"] == f"/people/{created.public_id}/"
        assert client.get("/people/new/").status_code == 200
    else:
        assert response.status_code in (302, 403)
        assert created is None
        assert audit_rows() == before


@pytest.mark.parametrize("actor", ACTORS)
def test_edit_and_training_role_matrix(client_for, participants, actor):
    doctor = participants["doctor"]
    client = client_for(actor)
    before = audit_rows()
    edit = client.post(
        f"/people/{doctor.public_id}/edit/",
        {
            "profession": "doctor",
            "region": "",
            "organisation": "Changed",
            "accredited_from": "2020-01-01",
            "accredited_to": "",
            "notes": "",
        },
    )
    training = client.post(
        f"/people/{doctor.public_id}/training/new/",
        {"title": "OPCAT basics", "provider": "", "completed_on": "2026-03-01", "hours": "8"},
    )
    doctor.refresh_from_db()
    if actor in MANAGERS:
        assert edit.status_code == training.status_code == 302
        assert doctor.organisation == "Changed"
        assert TrainingRecord.objects.filter(participant=doctor).count() == 1
        return
    expected = {"anonymous": 302, "regional": 403, "auditor": 403}.get(actor, 404)
    assert edit.status_code == training.status_code == expected
    assert doctor.organisation == ""
    assert not TrainingRecord.objects.exists()
    assert audit_rows() == before


@pytest.mark.parametrize("actor", ACTORS)
def test_declare_conflict_role_matrix(client_for, participants, make_institution, actor):
    colony = make_institution()
    own = participants["monitor"]
    client = client_for(actor)
    before = audit_rows()
    response = client.post(
        f"/people/{own.public_id}/conflicts/new/",
        {
            "kind": "worked_at_institution",
            "institution": str(colony.public_id),
            "agency": "",
            "description": "Worked there as a guard",
            "declared_on": "2026-01-10",
            "ends_on": "",
        },
    )
    if actor in (*MANAGERS, "monitor"):
        assert response.status_code == 302
        conflict = ConflictDeclaration.objects.get()
        assert conflict.institution == colony
        # Managers may end it; the monitor may not.
        edit = client.post(
            f"/people/{own.public_id}/conflicts/{conflict.public_id}/edit/",
            {
                "kind": "worked_at_institution",
                "institution": str(colony.public_id),
                "agency": "",
                "description": "Worked there as a guard",
                "declared_on": "2026-01-10",
                "ends_on": "2026-06-01",
            },
        )
        conflict.refresh_from_db()
        if actor in MANAGERS:
            assert edit.status_code == 302
            assert conflict.ends_on == datetime.date(2026, 6, 1)
        else:
            assert edit.status_code == 403
            assert conflict.ends_on is None
        return
    expected = {"anonymous": 302, "regional": 404, "auditor": 403}.get(actor, 404)
    assert response.status_code == expected
    assert not ConflictDeclaration.objects.exists()
    assert audit_rows() == before


def test_conflict_form_shows_the_reason_for_a_missing_target(client_for, participants):
    response = client_for("coordinator").post(
        f"/people/{participants['doctor'].public_id}/conflicts/new/",
        {"kind": "worked_for_agency", "declared_on": "2026-01-10"},
    )
    assert response.status_code == 200
    assert "Name the agency concerned." in response.content.decode()


# ---------------------------------------------------------------- API


@pytest.mark.parametrize("actor", ACTORS)
def test_api_read_matrix(client_for, participants, actor):
    client = client_for(actor)
    response = client.get(API)
    if actor == "anonymous":
        assert response.status_code in (401, 403)
        return
    if actor == "liaison":
        assert response.status_code == 403
        return
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    assert ids == {str(participants[k].public_id) for k in SEES[actor]}
    for key, participant in participants.items():
        detail = client.get(f"{API}{participant.public_id}/")
        assert detail.status_code == (200 if key in SEES[actor] else 404)


@pytest.mark.parametrize("actor", ACTORS)
def test_api_write_matrix(client_for, participants, ref, make_institution, actor):
    account = _new_account()
    doctor = participants["doctor"]
    client = client_for(actor)
    before = audit_rows()
    created = client.post(
        API,
        {
            "account": str(account.public_id),
            "profession": "lawyer",
            "region": "KZ-71",
            "accredited_from": "2026-01-01",
        },
        content_type="application/json",
    )
    patched = client.patch(
        f"{API}{doctor.public_id}/", {"organisation": "Via API"}, content_type="application/json"
    )
    training = client.post(
        f"{API}{doctor.public_id}/trainings/",
        {"title": "Mandela Rules", "completed_on": "2026-02-01"},
        content_type="application/json",
    )
    conflict = client.post(
        f"{API}{doctor.public_id}/conflicts/",
        {"kind": "worked_for_agency", "agency": "MVD-KUIS", "declared_on": "2026-02-01"},
        content_type="application/json",
    )
    if actor in MANAGERS:
        assert created.status_code == 201, created.content
        assert created.json()["name"] == "Fresh Monitor"
        assert patched.status_code == 200
        assert patched.json()["organisation"] == "Via API"
        assert training.status_code == 201
        assert conflict.status_code == 201
        cid = conflict.json()["id"]
        ended = client.patch(
            f"{API}{doctor.public_id}/conflicts/{cid}/",
            {"ends_on": "2026-03-01"},
            content_type="application/json",
        )
        assert ended.status_code == 200
        assert ended.json()["ends_on"] == "2026-03-01"
        return
    for response in (created, patched, training, conflict):
        if actor == "anonymous":
            assert response.status_code in (401, 403)
        else:
            assert response.status_code in (403, 404), (actor, response.status_code)
    assert not Participant.objects.filter(user=account).exists()
    assert not TrainingRecord.objects.exists()
    assert not ConflictDeclaration.objects.exists()
    doctor.refresh_from_db()
    assert doctor.organisation == ""
    assert audit_rows() == before


def test_api_refusals(client_for, participants, users):
    client = client_for("coordinator")
    response = client.post(
        API,
        {
            "account": str(users["auditor"].public_id),
            "profession": "lawyer",
            "accredited_from": "2026-01-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "can be NPM participants" in response.json()["errors"]["account"][0]
    response = client.post(
        f"{API}{participants['doctor'].public_id}/conflicts/",
        {"kind": "worked_at_institution", "declared_on": "2026-02-01"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"]["institution"] == ["Name the institution concerned."]


def test_api_monitor_declares_own_conflict(client_for, participants):
    response = client_for("monitor").post(
        f"{API}{participants['monitor'].public_id}/conflicts/",
        {"kind": "worked_for_agency", "agency": "MOH", "declared_on": "2026-02-01"},
        content_type="application/json",
    )
    assert response.status_code == 201
