"""What came of a follow-up contact (it can identify the person at risk) is stored encrypted,
never returned with the contact, and read only through the logged `note/` action: role matrix,
denied reads logged, fail-closed, registered for key rotation, cleared on the appeal's
disposal."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import DatabaseError

from vigil.audit.enums import AccessKind
from vigil.audit.models import AccessEvent
from vigil.core.encrypted import encrypted_fields

from ..enums import FollowUpOutcome
from ..models import FollowUpContact
from ..services.follow_ups import follow_up_record

NOTE = "Moved to cell 12 after talking to us; his brother Askar Nurlanov visits on Sundays"


@pytest.fixture
def contact(users: dict[str, Any], make_appeal: Callable[..., Any]) -> FollowUpContact:
    appeal = make_appeal(reprisal_risk="high", received_on=datetime.date(2026, 11, 30))
    open_contact = FollowUpContact.objects.create(appeal=appeal, due_on=datetime.date(2026, 12, 1))
    return follow_up_record(
        actor=users["coordinator"],
        contact=open_contact,
        outcome=FollowUpOutcome.CONCERN,
        done_on=datetime.date(2026, 12, 2),
        note=NOTE,
    )


def _note(client: Any, contact: FollowUpContact) -> Any:
    return client.post(f"/api/v1/follow-ups/{contact.public_id}/note/")


def test_the_note_is_stored_encrypted_and_bound_to_its_row(contact: FollowUpContact) -> None:
    stored = FollowUpContact.objects.get(pk=contact.pk)
    assert NOTE.encode() not in bytes(stored.note_ciphertext)
    assert b"Nurlanov" not in bytes(stored.note_ciphertext)
    labels = [field.label for field in encrypted_fields()]
    assert "appeals.followupcontact.note_ciphertext" in labels


def test_the_contact_never_carries_the_note(client_for: Any, contact: FollowUpContact) -> None:
    client = client_for("coordinator")
    listed = client.get("/api/v1/follow-ups/")
    shown = client.get(f"/api/v1/follow-ups/{contact.public_id}/")
    assert listed.status_code == shown.status_code == 200
    assert shown.json()["has_note"] is True
    for response in (listed, shown):
        assert "Nurlanov" not in response.content.decode()
    page = client.get("/appeals/follow-ups/")
    assert "Nurlanov" not in page.content.decode()
    assert not AccessEvent.objects.exists()


@pytest.mark.parametrize(
    ("actor", "status"),
    [
        ("coordinator", 200),
        ("regional", 200),
        ("monitor", 404),  # not on the appeal's visit
        ("auditor", 403),
        ("liaison", 403),
        ("admin", 403),
        ("anonymous", 403),
    ],
)
def test_note_read_role_matrix(
    client_for: Any, contact: FollowUpContact, actor: str, status: int
) -> None:
    response = _note(client_for(actor), contact)
    assert response.status_code in ((401, 403) if actor == "anonymous" else (status,))
    if status == 200:
        assert response.json() == {"note": NOTE}
        assert response["Cache-Control"] == "no-store"
        event = AccessEvent.objects.get()
        assert (event.kind, event.outcome) == (AccessKind.PERSON_DETAILS_READ, "granted")
        assert event.target_id == str(contact.public_id)
        assert NOTE not in str(event.data)
    else:
        assert "Nurlanov" not in response.content.decode()
        assert not AccessEvent.objects.filter(outcome="granted").exists()


def test_the_auditors_refused_read_is_logged_as_denied(
    client_for: Any, contact: FollowUpContact
) -> None:
    assert _note(client_for("auditor"), contact).status_code == 403
    denied = AccessEvent.objects.get()
    assert (denied.kind, denied.outcome) == (AccessKind.PERSON_DETAILS_READ, "denied")


def test_nothing_is_shown_when_the_read_cannot_be_logged(
    client_for: Any, contact: FollowUpContact, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise DatabaseError("access log unavailable")

    monkeypatch.setattr(AccessEvent, "save", refuse)
    response = _note(client_for("coordinator"), contact)
    assert response.status_code == 503
    assert "Nurlanov" not in response.content.decode()


def test_an_empty_note_stores_nothing(
    users: dict[str, Any], make_appeal: Callable[..., Any], client_for: Any
) -> None:
    appeal = make_appeal(reprisal_risk="high", received_on=datetime.date(2026, 11, 30))
    open_contact = FollowUpContact.objects.create(appeal=appeal, due_on=datetime.date(2026, 12, 1))
    done = follow_up_record(
        actor=users["coordinator"], contact=open_contact, outcome=FollowUpOutcome.NO_CONCERN
    )
    assert bytes(done.note_ciphertext) == b""
    assert _note(client_for("coordinator"), done).json() == {"note": ""}


def test_the_web_form_stores_the_note_encrypted(client_for: Any, make_appeal: Any) -> None:
    appeal = make_appeal(reprisal_risk="high", received_on=datetime.date(2026, 11, 30))
    open_contact = FollowUpContact.objects.create(appeal=appeal, due_on=datetime.date(2026, 12, 1))
    response = client_for("coordinator").post(
        f"/appeals/follow-ups/{open_contact.public_id}/record/",
        {"outcome": FollowUpOutcome.CONCERN, "done_on": "2026-12-02", "note": NOTE},
    )
    assert response.status_code == 302
    stored = FollowUpContact.objects.get(pk=open_contact.pk)
    assert stored.note_ciphertext
    assert b"Nurlanov" not in bytes(stored.note_ciphertext)
    assert _note(client_for("coordinator"), stored).json() == {"note": NOTE}
