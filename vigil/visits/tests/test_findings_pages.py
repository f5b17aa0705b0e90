"""Findings pages: role matrices, grouping, filters, evidence count, linked answers and
attachments (the services are tested in test_findings.py)."""

from typing import Any

import pytest

from vigil.audit.enums import AuditAction
from vigil.visits.enums import VisitState
from vigil.visits.models import (
    Attachment,
    Finding,
)
from vigil.visits.tests.test_findings import (
    ACTORS,
    READERS,
    WRITERS,
    audit_rows,
    form_data,
    make_answer,
    make_finding,
)

# ---------------------------------------------------------------- pages


def findings_url(visit: Any) -> str:
    return f"/visits/{visit.public_id}/findings/"


@pytest.mark.parametrize("actor", ACTORS)
def test_list_role_matrix(client_for, users, visit, actor):
    make_finding(visit, users)
    response = client_for(actor).get(findings_url(visit))
    if actor == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
        return
    expected = 200 if actor in READERS else 404
    assert response.status_code == expected
    if expected == 200:
        body = response.content.decode()
        assert "No ventilation in cells" in body
        # Only writers see the button.
        assert ("New finding" in body) == (actor in WRITERS)


def test_regional_outside_its_region_gets_404(client_for, users, make_visit, make_institution, ref):
    almaty = make_institution(region=ref["almaty"])
    visit = make_visit(state=VisitState.ON_SITE, institution=almaty)
    finding = make_finding(visit, users)
    client = client_for("regional")
    assert client.get(findings_url(visit)).status_code == 404
    assert client.get(f"/visits/findings/{finding.public_id}/").status_code == 404
    assert client.get(f"/visits/{visit.public_id}/notes/").status_code == 404
    assert client.get(f"/visits/{visit.public_id}/report/").status_code == 404


def test_liaison_sees_no_finding_even_after_the_visit(client_for, users, make_visit):
    visit = make_visit(state=VisitState.CLOSED)
    finding = make_finding(visit, users)
    client = client_for("liaison")
    assert client.get(findings_url(visit)).status_code == 404
    assert client.get(f"/visits/findings/{finding.public_id}/").status_code == 404


def test_list_groups_by_theme_with_severity_and_evidence(client_for, users, visit):
    make_finding(visit, users, theme="T5", severity="good_practice", title="Doctor on duty")
    make_finding(
        visit,
        users,
        theme="T3",
        title="Cold cells",
        evidence_kinds=["interview", "observation", "photo"],
    )
    body = client_for("monitor").get(findings_url(visit)).content.decode()
    assert body.index("T3 Material conditions") < body.index("T5 Health care")
    assert "3 of 4 kinds: observation, interview, photo" in body
    assert "Good practice" in body
    assert "text-bg-success" in body


def test_list_filters(client_for, users, visit):
    make_finding(visit, users, theme="T5", severity="minor", title="Medicines short")
    make_finding(visit, users, theme="T3", severity="critical", title="Cold cells")
    client = client_for("coordinator")
    body = client.get(findings_url(visit), {"severity": "critical"}).content.decode()
    assert "Cold cells" in body
    assert "Medicines short" not in body
    body = client.get(findings_url(visit), {"theme": "T5"}).content.decode()
    assert "Medicines short" in body
    assert "Cold cells" not in body
    other = visit.institutions.first()
    body = client.get(findings_url(visit), {"institution": other.public_id}).content.decode()
    assert "Cold cells" in body


@pytest.mark.parametrize("actor", ACTORS)
def test_create_page_role_matrix(client_for, users, visit, actor):
    client = client_for(actor)
    url = f"/visits/{visit.public_id}/findings/new/"
    get = client.get(url)
    before = audit_rows()
    response = client.post(url, form_data(visit))
    created = Finding.objects.filter(title="Beatings alleged in the quarantine unit").first()
    if actor == "anonymous":
        assert get.status_code == response.status_code == 302
    elif actor in WRITERS:
        assert get.status_code == 200
        assert response.status_code == 302
        assert created is not None
        assert response["Location"] == f"/visits/findings/{created.public_id}/"
        assert audit_rows() == [*before, AuditAction.FINDING_CREATED]
        return
    else:
        expected = 403 if actor == "auditor" else 404
        assert get.status_code == response.status_code == expected
    assert created is None
    assert audit_rows() == before


def test_create_page_shows_errors_and_keeps_input(client_for, visit):
    response = client_for("monitor").post(
        f"/visits/{visit.public_id}/findings/new/", form_data(visit, title="")
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Please correct the errors below." in body
    assert "Three detainees described beatings on arrival." in body
    assert not Finding.objects.exists()


def test_create_page_links_answers(client_for, users, visit):
    answer = make_answer(visit, visit.institutions.first(), users)
    client = client_for("monitor")
    page = client.get(f"/visits/{visit.public_id}/findings/new/").content.decode()
    assert "Is ventilation working? (Q1)" in page
    response = client.post(
        f"/visits/{visit.public_id}/findings/new/", form_data(visit, answers=[answer.public_id])
    )
    assert response.status_code == 302
    finding = Finding.objects.get()
    assert list(finding.answers.all()) == [answer]
    detail = client.get(response["Location"]).content.decode()
    assert "Is ventilation working? (Q1)" in detail
    assert "Nelson Mandela Rule 13" in detail


def test_create_page_after_approval_redirects_with_message(client_for, users, make_visit):
    visit = make_visit(state=VisitState.REPORT_APPROVED)
    response = client_for("coordinator").post(
        f"/visits/{visit.public_id}/findings/new/", form_data(visit), follow=True
    )
    assert "its findings can no longer be changed" in response.content.decode()
    assert not Finding.objects.exists()


@pytest.mark.parametrize("actor", ACTORS)
def test_detail_role_matrix(client_for, users, visit, actor):
    finding = make_finding(visit, users)
    response = client_for(actor).get(f"/visits/findings/{finding.public_id}/")
    if actor == "anonymous":
        assert response.status_code == 302
        return
    assert response.status_code == (200 if actor in READERS else 404)
    if actor in READERS:
        body = response.content.decode()
        assert "Cells 4 to 9 have no working ventilation." in body
        assert "2 of 4 kinds: observation, photo" in body
        assert ("Edit" in body) == (actor in WRITERS)


def test_detail_lists_attachments_with_download_link(client_for, users, visit):
    finding = make_finding(visit, users)
    attachment = Attachment.objects.create(
        visit=visit,
        finding=finding,
        kind="photo",
        original_name="cell-7.jpg",
        content_type="image/jpeg",
        size=2048,
        sha256="0" * 64,
        storage_name="test-storage-cell-7",
        key_version=1,
        uploaded_by=users["monitor"],
    )
    body = client_for("monitor").get(f"/visits/findings/{finding.public_id}/").content.decode()
    assert "cell-7.jpg" in body
    assert f"/visits/attachments/{attachment.public_id}/download/" in body
    assert f"/visits/{visit.public_id}/attachments/?finding={finding.public_id}" in body


@pytest.mark.parametrize("actor", ACTORS)
def test_edit_page_role_matrix(client_for, users, visit, actor):
    finding = make_finding(visit, users)
    before = audit_rows()
    response = client_for(actor).post(
        f"/visits/findings/{finding.public_id}/edit/",
        form_data(visit, title="Renamed finding", evidence_kinds=["document"]),
    )
    finding.refresh_from_db()
    if actor in WRITERS:
        assert response.status_code == 302
        assert finding.title == "Renamed finding"
        assert finding.evidence_kinds == ["document"]
        assert audit_rows() == [*before, AuditAction.FINDING_UPDATED]
        return
    if actor != "anonymous":
        assert response.status_code == (403 if actor == "auditor" else 404)
    assert finding.title == "No ventilation in cells"
    assert audit_rows() == before


@pytest.mark.parametrize("actor", ACTORS)
def test_delete_page_role_matrix(client_for, users, visit, actor):
    finding = make_finding(visit, users)
    client = client_for(actor)
    url = f"/visits/findings/{finding.public_id}/delete/"
    get = client.get(url)
    before = audit_rows()
    response = client.post(url)
    if actor in WRITERS:
        assert get.status_code == 200
        assert response.status_code == 302
        assert not Finding.objects.exists()
        assert audit_rows() == [*before, AuditAction.FINDING_DELETED]
        return
    if actor != "anonymous":
        assert response.status_code == (403 if actor == "auditor" else 404)
    assert Finding.objects.filter(pk=finding.pk).exists()
    assert audit_rows() == before


def test_pages_reject_unknown_ids(client_for, participants):
    client = client_for("coordinator")
    missing = "00000000-0000-4000-8000-000000000000"
    assert client.get(f"/visits/{missing}/findings/").status_code == 404
    assert client.get(f"/visits/findings/{missing}/").status_code == 404


def test_list_page_runs_constant_queries(client_for, users, visit):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("monitor")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(findings_url(visit)).status_code == 200
        return len(ctx.captured_queries)

    make_finding(visit, users)
    one = count()
    for theme in ("T1", "T2", "T4", "T5"):
        make_finding(visit, users, theme=theme)
    assert count() == one


def test_answers_read_as_labels(users, visit):
    from vigil.visits.selectors.findings import answer_text

    answer = make_answer(visit, visit.institutions.first(), users)
    assert answer_text(answer) == "No"
    question = answer.question
    question.kind = "multiple_choice"
    question.options = [
        {"code": "cold", "en": "Cold", "ru": "Холодно", "kk": "Суық"},
        {"code": "damp", "en": "Damp", "ru": "Сыро", "kk": "Ылғал"},
    ]
    question.save()
    answer.value = ["cold", "damp"]
    assert answer_text(answer) == "Cold, Damp"
    question.kind = "number"
    answer.value = 12
    assert answer_text(answer) == "12"
