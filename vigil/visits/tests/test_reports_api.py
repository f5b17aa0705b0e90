"""API v1 /visit-reports/: addressed by the visit, role matrices, the life-cycle steps with
their refusals, and the PDF/DOCX downloads."""

from typing import Any

import pytest

from conftest import ALL_ACTORS
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.visits.enums import ReportState, VisitState
from vigil.visits.models import Finding, VisitReport

API = "/api/v1/visit-reports/"
ACTORS = [*ALL_ACTORS, "monitor_outsider", "monitor_lead"]
READERS = {"coordinator", "regional", "monitor", "monitor_lead", "auditor"}
WRITERS = {"coordinator", "regional", "monitor", "monitor_lead"}
NO_FINDINGS = "A report without findings cannot be approved: select at least one finding."


def audit_rows() -> list[str]:
    return list(
        AuditEvent.objects.exclude(action=AuditAction.USER_LOGGED_IN)
        .order_by("id")
        .values_list("action", flat=True)
    )


@pytest.fixture
def debriefed(make_visit, users):
    visit = make_visit(state=VisitState.DEBRIEFED)
    Finding.objects.create(
        visit=visit,
        institution=visit.institutions.first(),
        theme="T2",
        severity="moderate",
        title="Register gaps",
        description="Admissions not registered.",
        created_by=users["monitor"],
    )
    return visit


def make_report(visit: Any, users: dict[str, Any], state: str, *, findings: bool = True) -> Any:
    visit.state = {
        ReportState.DRAFT.value: VisitState.REPORT_DRAFT,
        ReportState.REVIEW.value: VisitState.REPORT_REVIEW,
        ReportState.APPROVED.value: VisitState.REPORT_APPROVED,
    }[state]
    visit.save()
    report = VisitReport.objects.create(
        visit=visit, language="en", state=state, created_by=users["monitor_lead"]
    )
    if findings:
        report.findings.set(Finding.objects.filter(visit=visit))
    return report


@pytest.mark.parametrize("actor", ACTORS)
def test_list_and_detail_matrix(client_for, users, debriefed, actor):
    report = make_report(debriefed, users, ReportState.DRAFT)
    client = client_for(actor)
    listed = client.get(API)
    detail = client.get(f"{API}{debriefed.public_id}/")
    if actor == "anonymous":
        assert listed.status_code in (401, 403)
        assert detail.status_code in (401, 403)
        return
    assert listed.status_code == 200
    ids = [row["id"] for row in listed.json()["results"]]
    assert ids == ([str(report.public_id)] if actor in READERS else [])
    assert detail.status_code == (200 if actor in READERS else 404)
    if actor in READERS:
        body = detail.json()
        assert body["visit"] == str(debriefed.public_id)
        assert body["state"] == "draft"
        assert body["visit_state"] == "report_draft"
        assert body["findings"] == [str(Finding.objects.get().public_id)]
        expected = ["submit"] if actor in {"coordinator", "regional", "monitor_lead"} else []
        assert body["allowed_actions"] == expected


@pytest.mark.parametrize("actor", ACTORS)
def test_create_matrix(client_for, debriefed, actor):
    before = audit_rows()
    response = client_for(actor).post(
        API, {"visit": str(debriefed.public_id), "language": "kk"}, content_type="application/json"
    )
    report = VisitReport.objects.filter(visit=debriefed).first()
    debriefed.refresh_from_db()
    if actor in {"coordinator", "regional", "monitor_lead"}:
        assert response.status_code == 201, response.content
        assert report is not None
        assert response.json()["language"] == "kk"
        assert debriefed.state == VisitState.REPORT_DRAFT
        return
    if actor == "anonymous":
        assert response.status_code in (401, 403)
    elif actor == "monitor_outsider":
        # A writer's role, but not this visit's: the visit named reads as not existing.
        assert response.status_code == 400
        assert "visit" in response.json()["errors"]
    else:
        # Readers may not start it; a role that never writes is refused before the body.
        assert response.status_code == 403
    assert report is None
    assert debriefed.state == VisitState.DEBRIEFED
    assert audit_rows() == before


def test_create_before_the_debriefing_refused(client_for, make_visit):
    visit = make_visit(state=VisitState.ON_SITE)
    response = client_for("coordinator").post(
        API, {"visit": str(visit.public_id)}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "state": ["The report is started once the visit has ended and been debriefed."]
    }


@pytest.mark.parametrize("actor", ACTORS)
def test_patch_matrix(client_for, users, debriefed, actor):
    report = make_report(debriefed, users, ReportState.DRAFT)
    before = audit_rows()
    response = client_for(actor).patch(
        f"{API}{debriefed.public_id}/",
        {"conclusion": "Қорытынды", "findings": []},
        content_type="application/json",
    )
    report.refresh_from_db()
    if actor in WRITERS:
        assert response.status_code == 200, response.content
        assert response.json()["findings"] == []
        assert report.conclusion == "Қорытынды"
        assert audit_rows() == [*before, AuditAction.REPORT_UPDATED]
        return
    if actor == "anonymous":
        assert response.status_code in (401, 403)
    else:
        assert response.status_code == (403 if actor == "auditor" else 404)
    assert report.conclusion == ""
    assert audit_rows() == before


def test_patch_refuses_findings_of_another_visit(client_for, users, debriefed, make_visit):
    make_report(debriefed, users, ReportState.DRAFT)
    other = make_visit(state=VisitState.ON_SITE)
    foreign = Finding.objects.create(
        visit=other,
        institution=other.institutions.first(),
        theme="T1",
        severity="minor",
        title="Elsewhere",
        description="x",
        created_by=users["monitor"],
    )
    response = client_for("coordinator").patch(
        f"{API}{debriefed.public_id}/",
        {"findings": [str(foreign.public_id)]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "findings" in response.json()["errors"]


def test_patch_after_submission_refused(client_for, users, debriefed):
    make_report(debriefed, users, ReportState.REVIEW)
    response = client_for("coordinator").patch(
        f"{API}{debriefed.public_id}/", {"conclusion": "Late"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "non_field_errors": [
            "The report can be changed only while it is a draft; ask for it to be returned."
        ]
    }


@pytest.mark.parametrize("actor", ACTORS)
def test_approve_matrix(client_for, users, debriefed, actor):
    report = make_report(debriefed, users, ReportState.REVIEW)
    before = audit_rows()
    response = client_for(actor).post(
        f"{API}{debriefed.public_id}/transitions/",
        {"action": "approve"},
        content_type="application/json",
    )
    report.refresh_from_db()
    debriefed.refresh_from_db()
    if actor == "coordinator":
        assert response.status_code == 200, response.content
        assert response.json()["state"] == "approved"
        assert response.json()["visit_state"] == "report_approved"
        assert report.state == ReportState.APPROVED
        assert audit_rows() == [
            *before,
            AuditAction.VISIT_TRANSITIONED,
            AuditAction.REPORT_TRANSITIONED,
        ]
        return
    if actor == "anonymous":
        assert response.status_code in (401, 403)
    else:
        assert response.status_code == (403 if actor in READERS else 404)
    assert report.state == ReportState.REVIEW
    assert debriefed.state == VisitState.REPORT_REVIEW
    assert audit_rows() == before


def test_steps_and_their_refusals(client_for, users, debriefed):
    report = make_report(debriefed, users, ReportState.DRAFT, findings=False)
    lead = client_for("monitor_lead")
    coordinator = client_for("coordinator")
    url = f"{API}{debriefed.public_id}/transitions/"
    wrong = coordinator.post(url, {"action": "approve"}, content_type="application/json")
    assert wrong.status_code == 400
    assert "action" in wrong.json()["errors"]
    submitted = lead.post(url, {"action": "submit"}, content_type="application/json")
    assert submitted.status_code == 200
    assert submitted.json()["state"] == "review"
    empty = coordinator.post(url, {"action": "approve"}, content_type="application/json")
    assert empty.status_code == 400
    assert empty.json()["errors"] == {"findings": [NO_FINDINGS]}
    no_note = coordinator.post(url, {"action": "return"}, content_type="application/json")
    assert no_note.status_code == 400
    assert no_note.json()["errors"] == {"note": ["Say what the team should change."]}
    returned = coordinator.post(
        url, {"action": "return", "note": "Select the findings."}, content_type="application/json"
    )
    assert returned.status_code == 200
    body = returned.json()
    assert body["state"] == "draft"
    assert [(t["from_state"], t["to_state"], t["note"]) for t in body["transitions"]] == [
        ("draft", "review", ""),
        ("review", "draft", "Select the findings."),
    ]
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
@pytest.mark.parametrize("actor", ACTORS)
def test_download_matrix(client_for, users, debriefed, actor, fmt):
    make_report(debriefed, users, ReportState.APPROVED)
    before = audit_rows()
    response = client_for(actor).get(f"{API}{debriefed.public_id}/{fmt}/")
    if actor in READERS:
        assert response.status_code == 200
        assert response["Content-Type"].startswith(
            "application/pdf" if fmt == "pdf" else "application/vnd.openxmlformats"
        )
        assert audit_rows() == [*before, AuditAction.REPORT_EXPORTED]
        return
    if actor == "anonymous":
        assert response.status_code in (401, 403)
    else:
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
    assert audit_rows() == before


def test_download_honours_accept(client_for, users, debriefed):
    make_report(debriefed, users, ReportState.APPROVED)
    response = client_for("auditor").get(
        f"{API}{debriefed.public_id}/pdf/", HTTP_ACCEPT="application/pdf"
    )
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_unknown_or_malformed_visit_is_404(client_for, debriefed):
    client = client_for("coordinator")
    # A visit without a report.
    assert client.get(f"{API}{debriefed.public_id}/").status_code == 404
    assert client.get(f"{API}not-a-uuid/").status_code == 404
    assert client.get(f"{API}{debriefed.public_id}/pdf/").status_code == 404


def test_list_runs_constant_queries(client_for, users, make_visit):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("coordinator")

    def add_report() -> None:
        visit = make_visit(state=VisitState.DEBRIEFED)
        Finding.objects.create(
            visit=visit,
            institution=visit.institutions.first(),
            theme="T2",
            severity="minor",
            title="x",
            description="y",
            created_by=users["monitor"],
        )
        make_report(visit, users, ReportState.REVIEW)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(API).status_code == 200
        return len(ctx.captured_queries)

    add_report()
    one = count()
    for _ in range(4):
        add_report()
    assert count() == one
