"""Internal notes: the team's working material — page and API role matrices, audit rows
without the text, never visible to agency liaisons or administrators."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import ALL_ACTORS
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.visits.enums import VisitState
from vigil.visits.models import InternalNote
from vigil.visits.services.findings import note_create

ACTORS = [*ALL_ACTORS, "monitor_outsider"]
READERS = {"coordinator", "regional", "monitor", "auditor"}
WRITERS = {"coordinator", "regional", "monitor"}
SECRET = "Detainee in cell 12 fears the deputy head."


def audit_rows() -> list[str]:
    return list(
        AuditEvent.objects.exclude(action=AuditAction.USER_LOGGED_IN)
        .order_by("id")
        .values_list("action", flat=True)
    )


def add_note(visit: Any, users: dict[str, Any], text: str = SECRET) -> InternalNote:
    return InternalNote.objects.create(visit=visit, author=users["monitor"], text=text)


def test_note_create_audits_without_the_text(users, visit):
    note = note_create(actor=users["monitor"], visit=visit, kind="interview_note", text=SECRET)
    assert note.author == users["monitor"]
    event = AuditEvent.objects.get(action=AuditAction.NOTE_CREATED)
    assert event.target_id == str(note.public_id)
    assert event.data == {"visit": visit.reference, "kind": "interview_note"}
    assert "cell 12" not in event.target_label
    assert "cell 12" not in str(event.data)


@pytest.mark.parametrize("actor", ["admin", "liaison", "auditor", "monitor_outsider"])
def test_note_create_refused(users, visit, actor):
    with pytest.raises(PermissionDenied):
        note_create(actor=users[actor], visit=visit, kind="observation", text="x")
    assert not InternalNote.objects.exists()
    assert audit_rows() == []


def test_empty_note_refused(users, visit):
    with pytest.raises(ValidationError) as exc:
        note_create(actor=users["monitor"], visit=visit, kind="observation", text="   ")
    assert "text" in exc.value.message_dict


@pytest.mark.parametrize("actor", ACTORS)
def test_page_role_matrix(client_for, users, visit, actor):
    add_note(visit, users)
    response = client_for(actor).get(f"/visits/{visit.public_id}/notes/")
    if actor == "anonymous":
        assert response.status_code == 302
        return
    assert response.status_code == (200 if actor in READERS else 404)
    body = response.content.decode()
    assert (SECRET in body) == (actor in READERS)
    if actor in READERS:
        # The form only for those who may write.
        assert ("Add the note" in body) == (actor in WRITERS)


@pytest.mark.parametrize("actor", ACTORS)
def test_page_add_role_matrix(client_for, users, visit, actor):
    client = client_for(actor)
    before = audit_rows()
    response = client.post(
        f"/visits/{visit.public_id}/notes/", {"kind": "observation", "text": "Cold in cell 3."}
    )
    created = InternalNote.objects.filter(text="Cold in cell 3.").first()
    if actor in WRITERS:
        assert response.status_code == 302
        assert created is not None
        assert created.author == users[actor]
        assert audit_rows() == [*before, AuditAction.NOTE_CREATED]
        return
    if actor == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == (403 if actor == "auditor" else 404)
    assert created is None
    assert audit_rows() == before


def test_page_form_errors_keep_nothing_lost(client_for, visit):
    response = client_for("monitor").post(
        f"/visits/{visit.public_id}/notes/", {"kind": "nonsense", "text": "Kept text"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Please correct the errors below." in body
    assert "Kept text" in body
    assert not InternalNote.objects.exists()


def test_liaison_never_sees_notes_even_after_the_visit(client_for, users, make_visit):
    closed = make_visit(state=VisitState.CLOSED)
    add_note(closed, users)
    assert client_for("liaison").get(f"/visits/{closed.public_id}/notes/").status_code == 404
    api = client_for("liaison").get("/api/v1/notes/")
    assert api.status_code == 200
    assert api.json()["count"] == 0


# ---------------------------------------------------------------- API


@pytest.mark.parametrize("actor", ACTORS)
def test_api_list_and_detail_matrix(client_for, users, visit, actor):
    note = add_note(visit, users)
    client = client_for(actor)
    listed = client.get("/api/v1/notes/", {"visit": str(visit.public_id)})
    detail = client.get(f"/api/v1/notes/{note.public_id}/")
    if actor == "anonymous":
        assert listed.status_code in (401, 403)
        assert detail.status_code in (401, 403)
        return
    assert listed.status_code == 200
    texts = [row["text"] for row in listed.json()["results"]]
    if actor in READERS:
        assert texts == [SECRET]
        assert detail.status_code == 200
        assert detail.json()["visit"] == str(visit.public_id)
    else:
        assert texts == []
        assert detail.status_code == 404


@pytest.mark.parametrize("actor", ACTORS)
def test_api_create_matrix(client_for, users, visit, actor):
    client = client_for(actor)
    before = audit_rows()
    response = client.post(
        "/api/v1/notes/",
        {"visit": str(visit.public_id), "kind": "register_extract", "text": "Register p. 14"},
        content_type="application/json",
    )
    created = InternalNote.objects.filter(text="Register p. 14").first()
    if actor in WRITERS:
        assert response.status_code == 201, response.content
        assert created is not None
        assert response.json()["id"] == str(created.public_id)
        assert audit_rows() == [*before, AuditAction.NOTE_CREATED]
        return
    if actor == "anonymous":
        assert response.status_code in (401, 403)
    elif actor in ("admin", "liaison", "auditor"):
        # A role that never writes working material is refused before the body is read.
        assert response.status_code == 403
    else:
        # The visit is not one whose material they may see: the same answer as a missing one.
        assert response.status_code == 400
        assert "visit" in response.json()["errors"]
    assert created is None
    assert audit_rows() == before
