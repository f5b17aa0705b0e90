"""What happened in an incident and a case's victim protection measures (either can identify
the person) are stored encrypted, never shown in lists, exports, API objects, edit forms or
the audit log, and read only through a logged POST (the page's "Show" button and the API's
`summary/` and `victim-protection/` actions): role matrices, denied reads logged, registered
for key rotation."""

import datetime
import json
from collections.abc import Callable
from typing import Any

import pytest

from vigil.audit.enums import AccessKind, AuditAction
from vigil.audit.models import AccessEvent, AuditEvent
from vigil.core.encrypted import encrypted_fields

from ..models import CriminalCase, Incident
from ..services.cases import case_create, case_update
from ..services.incidents import incident_update

WHAT = "Askar Nurlanov was beaten in cell 4 after speaking to the monitors"
MEASURES = "Relocated to the shelter at 12 Abay street, Taraz"


@pytest.fixture
def incident(make_incident: Callable[..., Incident]) -> Incident:
    return make_incident(summary=WHAT)


@pytest.fixture
def case(users: dict[str, Any], appeal_reference: Any, make_institution: Any) -> CriminalCase:
    return case_create(
        actor=users["coordinator"],
        data={
            "institution": make_institution(),
            "reported_on": datetime.date(2026, 3, 2),
            "victim_pseudonym": "Victim V-7",
            "victim_protection": MEASURES,
        },
        part=1,
    )


def _is_hidden(response: Any) -> None:
    body = response.content.decode()
    assert "Nurlanov" not in body
    assert "Abay street" not in body


# --- stored encrypted, shown nowhere by default ---------------------------------------------


def test_both_are_stored_encrypted_and_registered(incident: Incident, case: CriminalCase) -> None:
    assert b"Nurlanov" not in bytes(Incident.objects.get(pk=incident.pk).summary_ciphertext)
    assert b"Abay" not in bytes(CriminalCase.objects.get(pk=case.pk).victim_protection_ciphertext)
    labels = {field.label for field in encrypted_fields()}
    assert "appeals.incident.summary_ciphertext" in labels
    assert "appeals.criminalcase.victim_protection_ciphertext" in labels


def test_lists_exports_pages_and_api_objects_show_neither(
    client_for: Any, incident: Incident, case: CriminalCase
) -> None:
    client = client_for("coordinator")
    for url in (
        "/appeals/incidents/",
        "/appeals/incidents/?export=csv",
        f"/appeals/incidents/{incident.public_id}/",
        f"/appeals/incidents/{incident.public_id}/edit/",
        "/api/v1/incidents/",
        f"/api/v1/incidents/{incident.public_id}/",
        "/appeals/cases/",
        f"/appeals/cases/{case.public_id}/",
        f"/appeals/cases/{case.public_id}/edit/",
        "/api/v1/criminal-cases/",
        f"/api/v1/criminal-cases/{case.public_id}/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        _is_hidden(response)
    assert client.get(f"/api/v1/criminal-cases/{case.public_id}/").json()["has_victim_protection"]
    assert "summary" not in client.get(f"/api/v1/incidents/{incident.public_id}/").json()
    assert not AccessEvent.objects.exists()


def test_the_audit_log_says_only_that_they_changed(
    users: dict[str, Any], incident: Incident, case: CriminalCase
) -> None:
    incident_update(actor=users["coordinator"], incident=incident, data={"summary": "Other text"})
    case_update(actor=users["coordinator"], case=case, data={"victim_protection": "Moved again"})
    for action in (AuditAction.INCIDENT_UPDATED, AuditAction.CASE_UPDATED):
        changes = AuditEvent.objects.get(action=action).data["changes"]
        assert set(changes) in ({"summary"}, {"victim_protection"})
        assert list(changes.values()) == [[True]]
    created = str(AuditEvent.objects.filter(action=AuditAction.CASE_CREATED).values("data").get())
    assert "Abay" not in created


def test_an_empty_text_on_edit_keeps_what_was_recorded(
    client_for: Any, users: dict[str, Any], incident: Incident, case: CriminalCase
) -> None:
    incident_update(actor=users["coordinator"], incident=incident, data={"summary": ""})
    case_update(actor=users["coordinator"], case=case, data={"victim_protection": ""})
    client = client_for("coordinator")
    read = client.post(f"/api/v1/incidents/{incident.public_id}/summary/")
    assert read.json() == {"summary": WHAT}
    read = client.post(f"/api/v1/criminal-cases/{case.public_id}/victim-protection/")
    assert read.json() == {"victim_protection": MEASURES}


def test_recording_an_incident_needs_what_happened(client_for: Any) -> None:
    body = {"kind": "reprisal", "occurred_on": "2026-11-29"}
    response = client_for("coordinator").post(
        "/api/v1/incidents/", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 400
    assert "summary" in response.json()["errors"]


# --- the logged reads -----------------------------------------------------------------------

INCIDENT_API = {
    "coordinator": 200,
    "regional": 200,
    "monitor": 404,  # not on the incident's visit or appeal, did not record it
    "auditor": 403,
    "liaison": 403,
    "admin": 403,
    "anonymous": 401,
}


@pytest.mark.parametrize("actor", list(INCIDENT_API))
def test_incident_summary_api_role_matrix(client_for: Any, incident: Incident, actor: str) -> None:
    response = client_for(actor).post(f"/api/v1/incidents/{incident.public_id}/summary/")
    status = INCIDENT_API[actor]
    assert response.status_code in ((401, 403) if status == 401 else (status,))
    if status == 200:
        assert response.json() == {"summary": WHAT}
        assert response["Cache-Control"] == "no-store"
        event = AccessEvent.objects.get()
        assert (event.kind, event.outcome) == (AccessKind.PERSON_DETAILS_READ, "granted")
        assert event.target_id == str(incident.public_id)
        assert event.data == {"field": "summary"}
    else:
        _is_hidden(response)
        assert not AccessEvent.objects.filter(outcome="granted").exists()


INCIDENT_PAGE = {**INCIDENT_API, "anonymous": 302}


@pytest.mark.parametrize("actor", list(INCIDENT_PAGE))
def test_incident_show_details_page_role_matrix(
    client_for: Any, incident: Incident, actor: str
) -> None:
    client = client_for(actor)
    detail = client.get(f"/appeals/incidents/{incident.public_id}/")
    response = client.post(f"/appeals/incidents/{incident.public_id}/summary/")
    assert response.status_code == INCIDENT_PAGE[actor]
    if response.status_code == 200:
        assert "Show details" in detail.content.decode()
        assert WHAT in response.content.decode()
        assert AccessEvent.objects.get().outcome == "granted"
    else:
        _is_hidden(response)
        assert not AccessEvent.objects.filter(outcome="granted").exists()


CASE_API = {
    "coordinator": 200,
    "regional": 200,
    "monitor": 404,  # the case is not of an appeal the monitor sees
    "auditor": 403,
    "liaison": 404,  # sees no case at all
    "admin": 404,
    "anonymous": 401,
}


@pytest.mark.parametrize("actor", list(CASE_API))
def test_victim_protection_api_role_matrix(client_for: Any, case: CriminalCase, actor: str) -> None:
    response = client_for(actor).post(f"/api/v1/criminal-cases/{case.public_id}/victim-protection/")
    status = CASE_API[actor]
    assert response.status_code in ((401, 403) if status == 401 else (status,))
    if status == 200:
        assert response.json() == {"victim_protection": MEASURES}
        assert response["Cache-Control"] == "no-store"
        event = AccessEvent.objects.get()
        assert (event.kind, event.outcome) == (AccessKind.PERSON_DETAILS_READ, "granted")
        assert event.data == {"field": "victim_protection"}
    else:
        _is_hidden(response)
        assert not AccessEvent.objects.filter(outcome="granted").exists()


CASE_PAGE = {
    "coordinator": 200,
    "regional": 200,
    "monitor": 404,
    "auditor": 403,
    "liaison": 404,
    "admin": 404,
    "anonymous": 302,
}


@pytest.mark.parametrize("actor", list(CASE_PAGE))
def test_victim_protection_page_role_matrix(
    client_for: Any, case: CriminalCase, actor: str
) -> None:
    response = client_for(actor).post(f"/appeals/cases/{case.public_id}/victim-protection/")
    assert response.status_code == CASE_PAGE[actor]
    if response.status_code == 200:
        assert MEASURES in response.content.decode()
        assert AccessEvent.objects.get().outcome == "granted"
    else:
        _is_hidden(response)
        assert not AccessEvent.objects.filter(outcome="granted").exists()


def test_the_auditors_refused_reads_are_logged_as_denied(
    client_for: Any, incident: Incident, case: CriminalCase
) -> None:
    client = client_for("auditor")
    assert client.post(f"/api/v1/incidents/{incident.public_id}/summary/").status_code == 403
    assert client.post(f"/appeals/cases/{case.public_id}/victim-protection/").status_code == 403
    denied = list(AccessEvent.objects.values_list("kind", "outcome", "target_id"))
    assert sorted(denied) == sorted(
        [
            (AccessKind.PERSON_DETAILS_READ, "denied", str(incident.public_id)),
            (AccessKind.PERSON_DETAILS_READ, "denied", str(case.public_id)),
        ]
    )
