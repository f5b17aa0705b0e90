"""API v1 /findings/: role matrices for every method, filters, the same services (and
refusals) as the pages, and the error shape."""

from typing import Any

import pytest

from conftest import ALL_ACTORS
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.visits.enums import ReportState, VisitState
from vigil.visits.models import Finding, VisitReport

API = "/api/v1/findings/"
ACTORS = [*ALL_ACTORS, "monitor_outsider"]
READERS = {"coordinator", "regional", "monitor", "auditor"}
WRITERS = {"coordinator", "regional", "monitor"}


def audit_rows() -> list[str]:
    return list(
        AuditEvent.objects.exclude(action=AuditAction.USER_LOGGED_IN)
        .order_by("id")
        .values_list("action", flat=True)
    )


def make_finding(visit: Any, users: dict[str, Any], **fields: Any) -> Finding:
    data: dict[str, Any] = {
        "visit": visit,
        "institution": visit.institutions.first(),
        "theme": "T3",
        "severity": "serious",
        "title": "No ventilation in cells",
        "description": "Cells 4 to 9 have no working ventilation.",
        "evidence_kinds": ["observation", "photo"],
        "created_by": users["monitor"],
    }
    data.update(fields)
    return Finding.objects.create(**data)


def payload(visit: Any, **overrides: Any) -> dict[str, Any]:
    data = {
        "visit": str(visit.public_id),
        "institution": str(visit.institutions.first().public_id),
        "theme": "T1",
        "severity": "critical",
        "title": "Handcuffing to beds",
        "description": "Two detainees were handcuffed to beds overnight.",
        "evidence_kinds": ["photo", "interview"],
        "standard_references": "Nelson Mandela Rule 47",
        "root_cause": "practice",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("actor", ACTORS)
def test_list_and_detail_matrix(client_for, users, visit, actor):
    finding = make_finding(visit, users)
    client = client_for(actor)
    listed = client.get(API)
    detail = client.get(f"{API}{finding.public_id}/")
    if actor == "anonymous":
        assert listed.status_code in (401, 403)
        assert detail.status_code in (401, 403)
        return
    assert listed.status_code == 200
    ids = [row["id"] for row in listed.json()["results"]]
    assert ids == ([str(finding.public_id)] if actor in READERS else [])
    assert detail.status_code == (200 if actor in READERS else 404)
    if actor in READERS:
        body = detail.json()
        assert body["visit"] == str(visit.public_id)
        assert body["evidence_kinds"] == ["observation", "photo"]
        assert body["evidence_count"] == 2
        assert body["html_url"].endswith(f"/visits/findings/{finding.public_id}/")


def test_liaison_sees_no_finding_of_a_finished_visit(client_for, users, make_visit):
    closed = make_visit(state=VisitState.CLOSED)
    finding = make_finding(closed, users)
    client = client_for("liaison")
    assert client.get(API).json()["count"] == 0
    assert client.get(f"{API}{finding.public_id}/").status_code == 404
    assert client.get(API, {"visit": str(closed.public_id)}).json()["count"] == 0


def test_filters(client_for, users, visit, make_visit):
    make_finding(visit, users, theme="T5", severity="minor", title="Medicines")
    make_finding(visit, users, theme="T3", severity="critical", title="Cold")
    other = make_visit(state=VisitState.ON_SITE)
    make_finding(other, users, title="Other visit")
    client = client_for("coordinator")

    def titles(**params: Any) -> list[str]:
        response = client.get(API, params)
        assert response.status_code == 200, response.content
        return [row["title"] for row in response.json()["results"]]

    assert titles(visit=str(visit.public_id)) == ["Cold", "Medicines"]
    assert titles(visit=str(visit.public_id), theme="T5") == ["Medicines"]
    assert titles(visit=str(visit.public_id), severity="critical") == ["Cold"]
    assert titles(institution=str(other.institutions.first().public_id)) == ["Other visit"]
    bad = client.get(API, {"severity": "apocalyptic"})
    assert bad.status_code == 400
    assert "severity" in bad.json()["errors"]


@pytest.mark.parametrize("actor", ACTORS)
def test_create_matrix(client_for, visit, actor):
    before = audit_rows()
    response = client_for(actor).post(API, payload(visit), content_type="application/json")
    created = Finding.objects.filter(title="Handcuffing to beds").first()
    if actor in WRITERS:
        assert response.status_code == 201, response.content
        assert created is not None
        body = response.json()
        assert body["id"] == str(created.public_id)
        assert body["evidence_kinds"] == ["interview", "photo"]
        assert audit_rows() == [*before, AuditAction.FINDING_CREATED]
        return
    if actor == "anonymous":
        assert response.status_code in (401, 403)
    elif actor == "monitor_outsider":
        # A writer's role, but not this visit's: the visit named reads as not existing.
        assert response.status_code == 400
        assert "visit" in response.json()["errors"]
    else:
        # A role that never writes working material is refused before the body is read.
        assert response.status_code == 403
    assert created is None
    assert audit_rows() == before


def test_create_refusals_use_the_error_shape(client_for, visit, make_institution):
    client = client_for("monitor")
    elsewhere = make_institution()
    response = client.post(
        API,
        payload(visit, institution=str(elsewhere.public_id)),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"institution": ["Choose one of the institutions visited."]}
    response = client.post(
        API, payload(visit, evidence_kinds=["rumour"]), content_type="application/json"
    )
    assert response.status_code == 400
    assert "evidence_kinds.0" in response.json()["errors"]  # a list item, by its path
    assert not Finding.objects.exists()


@pytest.mark.parametrize("actor", ACTORS)
def test_patch_and_delete_matrix(client_for, users, visit, actor):
    finding = make_finding(visit, users)
    client = client_for(actor)
    before = audit_rows()
    patched = client.patch(
        f"{API}{finding.public_id}/", {"severity": "critical"}, content_type="application/json"
    )
    finding.refresh_from_db()
    if actor in WRITERS:
        assert patched.status_code == 200, patched.content
        assert patched.json()["severity"] == "critical"
        assert finding.severity == "critical"
        deleted = client.delete(f"{API}{finding.public_id}/")
        assert deleted.status_code == 204
        assert not Finding.objects.exists()
        assert audit_rows() == [
            *before,
            AuditAction.FINDING_UPDATED,
            AuditAction.FINDING_DELETED,
        ]
        return
    deleted = client.delete(f"{API}{finding.public_id}/")
    if actor == "anonymous":
        assert patched.status_code in (401, 403)
        assert deleted.status_code in (401, 403)
    else:
        expected = 403 if actor == "auditor" else 404
        assert patched.status_code == deleted.status_code == expected
    assert finding.severity == "serious"
    assert Finding.objects.filter(pk=finding.pk).exists()
    assert audit_rows() == before


@pytest.mark.parametrize("body", [{}, {"severity": "critical"}, {"title": ""}])
def test_an_auditor_is_refused_a_change_whatever_the_body(client_for, users, visit, body):
    """Who may not change a finding gets 403 before the body is read: a PUT with an empty
    or invalid body says so as a PATCH does, never the body's errors (400)."""
    finding = make_finding(visit, users)
    client = client_for("auditor")
    before = audit_rows()
    url = f"{API}{finding.public_id}/"
    for method in (client.put, client.patch):
        assert method(url, body, content_type="application/json").status_code == 403
    finding.refresh_from_db()
    assert finding.severity == "serious"
    assert audit_rows() == before


def test_edit_after_approval_refused(client_for, users, make_visit):
    visit = make_visit(state=VisitState.REPORT_APPROVED)
    finding = make_finding(visit, users)
    VisitReport.objects.create(
        visit=visit, language="en", state=ReportState.APPROVED, created_by=users["coordinator"]
    )
    response = client_for("coordinator").patch(
        f"{API}{finding.public_id}/", {"title": "Changed"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "non_field_errors": [
            "The report on this visit is approved: its findings can no longer be changed."
        ]
    }
    finding.refresh_from_db()
    assert finding.title == "No ventilation in cells"


def test_a_finding_does_not_move_to_another_visit(client_for, users, visit, make_visit):
    finding = make_finding(visit, users)
    other = make_visit(state=VisitState.ON_SITE)
    response = client_for("coordinator").patch(
        f"{API}{finding.public_id}/",
        {"visit": str(other.public_id)},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "visit" in response.json()["errors"]
    finding.refresh_from_db()
    assert finding.visit == visit


def test_malformed_id_is_404(client_for, participants):
    assert client_for("coordinator").get(f"{API}not-a-uuid/").status_code == 404


@pytest.mark.parametrize("path", [API, "/api/v1/notes/"])
def test_lists_run_constant_queries(client_for, users, make_visit, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from vigil.visits.models import Attachment, InternalNote

    client = client_for("coordinator")
    counter = iter(range(1000))

    def add() -> None:
        visit = make_visit(state=VisitState.ON_SITE)
        finding = make_finding(visit, users)
        InternalNote.objects.create(visit=visit, author=users["monitor"], text="n")
        Attachment.objects.create(
            visit=visit,
            finding=finding,
            kind="photo",
            original_name="a.jpg",
            content_type="image/jpeg",
            size=1,
            sha256="0" * 64,
            storage_name=f"constant-{next(counter)}",
            key_version=1,
            uploaded_by=users["monitor"],
        )

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        return len(ctx.captured_queries)

    add()
    one = count()
    for _ in range(4):
        add()
    assert count() == one
