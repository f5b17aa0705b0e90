"""Incidents through the API: `/api/v1/incidents/` lists both sources like the page, records
and corrects recorded incidents; the role matrix; denied writes change nothing."""

from collections.abc import Callable
from typing import Any

import pytest

from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.visits.models import AccessIncident

from ..models import Incident

# --- API ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "status", "count"),
    [
        ("anonymous", 401, None),
        ("coordinator", 200, 3),
        ("auditor", 200, 3),
        ("regional", 200, 2),
        ("monitor", 200, 1),
        ("liaison", 403, None),
        ("admin", 403, None),
    ],
)
def test_api_list_role_matrix(
    client_for: Any,
    make_incident: Callable[..., Incident],
    make_institution: Callable[..., Any],
    ref: dict[str, Any],
    access_incident: AccessIncident,
    actor: str,
    status: int,
    count: int | None,
) -> None:
    make_incident()
    make_incident(institution=make_institution(region=ref["almaty"]))
    response = client_for(actor).get("/api/v1/incidents/")
    assert response.status_code in ((401, 403) if status == 401 else (status,))
    if count is not None:
        body = response.json()
        assert body["count"] == count
        sources = {row["origin"] for row in body["results"]}
        assert "access" in sources


def test_api_create_update_and_retrieve(
    client_for: Any, make_institution: Callable[..., Any], access_incident: AccessIncident
) -> None:
    place = make_institution()
    client = client_for("coordinator")
    created = client.post(
        "/api/v1/incidents/",
        {
            "kind": "self_harm",
            "occurred_on": "2026-11-29",
            "institution": str(place.public_id),
            "summary": "Cut wrists (pseudonym P-2)",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["reference"].startswith("I-")
    assert body["region"] == place.region.code
    changed = client.patch(
        f"/api/v1/incidents/{body['id']}/",
        {"persons_affected": 3},
        content_type="application/json",
    )
    assert changed.status_code == 200
    assert changed.json()["persons_affected"] == 3
    shown = client.get(f"/api/v1/incidents/{access_incident.public_id}/")
    assert shown.status_code == 200
    assert shown.json()["kind"] == "access_obstruction"
    assert client.get("/api/v1/incidents/00000000-0000-0000-0000-000000000000/").status_code == 404
    bad = client.post(
        "/api/v1/incidents/",
        {"kind": "reprisal", "occurred_on": "2026-11-29", "summary": "x", "appeal": "A-0"},
        content_type="application/json",
    )
    assert bad.status_code == 400


def test_api_create_denied_for_auditor_and_logs_nothing(client_for: Any) -> None:
    response = client_for("auditor").post(
        "/api/v1/incidents/",
        {"kind": "reprisal", "occurred_on": "2026-11-29", "summary": "x"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Incident.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.INCIDENT_RECORDED).exists()


@pytest.mark.parametrize(
    ("actor", "status"), [("auditor", 403), ("regional", 404), ("liaison", 403)]
)
def test_api_denied_update_changes_nothing(
    client_for: Any,
    make_incident: Callable[..., Incident],
    make_institution: Callable[..., Any],
    ref: dict[str, Any],
    actor: str,
    status: int,
) -> None:
    incident = make_incident(institution=make_institution(region=ref["almaty"]))
    response = client_for(actor).patch(
        f"/api/v1/incidents/{incident.public_id}/",
        {"persons_affected": 9},
        content_type="application/json",
    )
    assert response.status_code == status
    incident.refresh_from_db()
    assert incident.persons_affected == 1
    assert not AuditEvent.objects.filter(action=AuditAction.INCIDENT_UPDATED).exists()


def test_api_access_incident_cannot_be_changed(
    client_for: Any, access_incident: AccessIncident
) -> None:
    response = client_for("coordinator").patch(
        f"/api/v1/incidents/{access_incident.public_id}/",
        {"persons_affected": 2},
        content_type="application/json",
    )
    assert response.status_code == 404
