"""Findings: services (who, when, what is valid, what is audited) and pages (role matrices,
grouping, filters, evidence count, linked answers and attachments)."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import ALL_ACTORS
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.visits.enums import ReportState, VisitState
from vigil.visits.models import (
    Attachment,
    ChecklistAnswer,
    ChecklistQuestion,
    ChecklistResponse,
    ChecklistTemplate,
    Finding,
    VisitReport,
)
from vigil.visits.services.findings import finding_create, finding_delete, finding_update

ACTORS = [*ALL_ACTORS, "monitor_outsider"]
# Who reads a visit's working material (the visit is in Astana; the regional covers Astana).
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


def make_answer(visit: Any, institution: Any, users: dict[str, Any], code: str = "Q1") -> Any:
    template, _ = ChecklistTemplate.objects.get_or_create(
        code="TEST-PENAL", defaults={"category": "penal", "name_en": "Penal"}
    )
    question, _ = ChecklistQuestion.objects.get_or_create(
        template=template,
        code=code,
        defaults={
            "theme": "T3",
            "kind": "yes_no_partial",
            "text_en": f"Is ventilation working? ({code})",
            "references": "Nelson Mandela Rule 13",
        },
    )
    response, _ = ChecklistResponse.objects.get_or_create(
        visit=visit,
        institution=institution,
        template=template,
        defaults={"started_by": users["monitor"]},
    )
    return ChecklistAnswer.objects.create(
        response=response, question=question, value="no", answered_by=users["monitor"]
    )


@pytest.fixture
def on_site(make_visit):
    return make_visit(state=VisitState.ON_SITE)


def form_data(visit: Any, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "institution": visit.institutions.first().public_id,
        "theme": "T1",
        "severity": "critical",
        "title": "Beatings alleged in the quarantine unit",
        "description": "Three detainees described beatings on arrival.",
        "evidence_kinds": ["interview", "observation", "photo"],
        "standard_references": "Nelson Mandela Rule 1",
        "root_cause": "staff_culture",
    }
    data.update(overrides)
    return data


# ---------------------------------------------------------------- services


def test_create_records_and_audits_without_the_description(users, on_site):
    finding = finding_create(
        actor=users["monitor"],
        visit=on_site,
        data={
            "institution": on_site.institutions.first(),
            "theme": "T3",
            "severity": "serious",
            "title": "Overcrowded cells",
            "description": "A secret detail that stays out of the audit log.",
            "evidence_kinds": ["photo", "observation"],
        },
    )
    assert finding.visit == on_site
    assert finding.created_by == users["monitor"]
    # Kinds are kept in the taxonomy's order.
    assert finding.evidence_kinds == ["observation", "photo"]
    event = AuditEvent.objects.get(action=AuditAction.FINDING_CREATED)
    assert event.target_id == str(finding.public_id)
    assert event.data["fields"]["severity"] == "serious"
    assert "secret detail" not in str(event.data)


@pytest.mark.parametrize(
    ("actor", "allowed"),
    [
        ("coordinator", True),
        ("regional", True),
        ("monitor", True),
        ("monitor_lead", True),
        ("monitor_outsider", False),
        ("admin", False),
        ("liaison", False),
        ("auditor", False),
    ],
)
def test_create_permission(users, on_site, actor, allowed):
    data = {
        "institution": on_site.institutions.first(),
        "theme": "T2",
        "severity": "minor",
        "title": "Register incomplete",
        "description": "Entries missing.",
    }
    if allowed:
        finding_create(actor=users[actor], visit=on_site, data=data)
        assert Finding.objects.count() == 1
    else:
        with pytest.raises(PermissionDenied):
            finding_create(actor=users[actor], visit=on_site, data=data)
        assert Finding.objects.count() == 0
        assert audit_rows() == []


@pytest.mark.parametrize(
    ("state", "message"),
    [
        (VisitState.PLANNED, "Findings are recorded once the visit has started."),
        (VisitState.CANCELLED, "The visit is cancelled."),
        (
            VisitState.REPORT_APPROVED,
            "The report on this visit is approved: its findings can no longer be changed.",
        ),
        (
            VisitState.SENT_TO_AUTHORITY,
            "The report on this visit is approved: its findings can no longer be changed.",
        ),
    ],
)
def test_create_refused_outside_the_visit_window(users, make_visit, state, message):
    visit = make_visit(state=state)
    with pytest.raises(ValidationError) as exc:
        finding_create(
            actor=users["coordinator"],
            visit=visit,
            data={
                "institution": visit.institutions.first(),
                "theme": "T2",
                "severity": "minor",
                "title": "x",
                "description": "y",
            },
        )
    assert exc.value.messages == [message]
    assert Finding.objects.count() == 0


def test_editing_after_approval_is_refused(users, make_visit):
    visit = make_visit(state=VisitState.REPORT_APPROVED)
    finding = make_finding(visit, users)
    VisitReport.objects.create(
        visit=visit, language="en", state=ReportState.APPROVED, created_by=users["coordinator"]
    )
    with pytest.raises(ValidationError) as exc:
        finding_update(actor=users["coordinator"], finding=finding, data={"title": "Changed"})
    assert "approved" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        finding_delete(actor=users["coordinator"], finding=finding)
    finding.refresh_from_db()
    assert finding.title == "No ventilation in cells"


def test_institution_must_be_one_visited(users, on_site, make_institution):
    elsewhere = make_institution()
    with pytest.raises(ValidationError) as exc:
        finding_create(
            actor=users["monitor"],
            visit=on_site,
            data={
                "institution": elsewhere,
                "theme": "T2",
                "severity": "minor",
                "title": "x",
                "description": "y",
            },
        )
    assert exc.value.message_dict == {"institution": ["Choose one of the institutions visited."]}


def test_unknown_evidence_kind_refused(users, on_site):
    with pytest.raises(ValidationError) as exc:
        finding_create(
            actor=users["monitor"],
            visit=on_site,
            data={
                "institution": on_site.institutions.first(),
                "theme": "T2",
                "severity": "minor",
                "title": "x",
                "description": "y",
                "evidence_kinds": ["rumour"],
            },
        )
    assert "evidence_kinds" in exc.value.message_dict


def test_answers_must_be_of_the_same_visit_and_institution(
    users, make_visit, make_institution, on_site
):
    second = make_institution()
    on_site.institutions.add(second)
    own = make_answer(on_site, on_site.institutions.first(), users, "Q1")
    other_institution = make_answer(on_site, second, users, "Q2")
    other_visit = make_visit(state=VisitState.ON_SITE)
    foreign = make_answer(other_visit, other_visit.institutions.first(), users, "Q3")
    base = {
        "institution": own.response.institution,
        "theme": "T3",
        "severity": "serious",
        "title": "x",
        "description": "y",
    }
    for bad in (other_institution, foreign):
        with pytest.raises(ValidationError) as exc:
            finding_create(actor=users["monitor"], visit=on_site, data={**base, "answers": [bad]})
        assert exc.value.message_dict == {
            "answers": ["Link only checklist answers given for this institution during this visit."]
        }
    finding = finding_create(actor=users["monitor"], visit=on_site, data={**base, "answers": [own]})
    assert list(finding.answers.all()) == [own]


def test_update_audits_changes_and_redacts_description(users, on_site):
    finding = make_finding(on_site, users)
    changes = finding_update(
        actor=users["monitor_lead"],
        finding=finding,
        data={"severity": "critical", "description": "Much more confidential text."},
    )
    assert changes["severity"] == ["serious", "critical"]
    assert changes["description"] == ["[edited]", "[edited]"]
    event = AuditEvent.objects.get(action=AuditAction.FINDING_UPDATED)
    assert "confidential" not in str(event.data)
    # Nothing changed: no audit row.
    assert (
        finding_update(actor=users["monitor"], finding=finding, data={"severity": "critical"}) == {}
    )
    assert AuditEvent.objects.filter(action=AuditAction.FINDING_UPDATED).count() == 1


def test_delete_keeps_the_attachments_on_the_visit(users, on_site):
    finding = make_finding(on_site, users)
    attachment = Attachment.objects.create(
        visit=on_site,
        finding=finding,
        kind="photo",
        original_name="cell.jpg",
        content_type="image/jpeg",
        size=10,
        sha256="0" * 64,
        storage_name="test-storage-name",
        key_version=1,
        uploaded_by=users["monitor"],
    )
    finding_delete(actor=users["monitor"], finding=finding)
    assert not Finding.objects.exists()
    attachment.refresh_from_db()
    assert attachment.finding is None
    event = AuditEvent.objects.get(action=AuditAction.FINDING_DELETED)
    assert event.data["attachments_kept"] == 1


# ---------------------------------------------------------------- pages


def findings_url(visit: Any) -> str:
    return f"/visits/{visit.public_id}/findings/"


@pytest.mark.parametrize("actor", ACTORS)
def test_list_role_matrix(client_for, users, on_site, actor):
    make_finding(on_site, users)
    response = client_for(actor).get(findings_url(on_site))
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


def test_list_groups_by_theme_with_severity_and_evidence(client_for, users, on_site):
    make_finding(on_site, users, theme="T5", severity="good_practice", title="Doctor on duty")
    make_finding(
        on_site,
        users,
        theme="T3",
        title="Cold cells",
        evidence_kinds=["interview", "observation", "photo"],
    )
    body = client_for("monitor").get(findings_url(on_site)).content.decode()
    assert body.index("T3 Material conditions") < body.index("T5 Health care")
    assert "3 of 4 kinds: observation, interview, photo" in body
    assert "Good practice" in body
    assert "text-bg-success" in body


def test_list_filters(client_for, users, on_site):
    make_finding(on_site, users, theme="T5", severity="minor", title="Medicines short")
    make_finding(on_site, users, theme="T3", severity="critical", title="Cold cells")
    client = client_for("coordinator")
    body = client.get(findings_url(on_site), {"severity": "critical"}).content.decode()
    assert "Cold cells" in body
    assert "Medicines short" not in body
    body = client.get(findings_url(on_site), {"theme": "T5"}).content.decode()
    assert "Medicines short" in body
    assert "Cold cells" not in body
    other = on_site.institutions.first()
    body = client.get(findings_url(on_site), {"institution": other.public_id}).content.decode()
    assert "Cold cells" in body


@pytest.mark.parametrize("actor", ACTORS)
def test_create_page_role_matrix(client_for, users, on_site, actor):
    client = client_for(actor)
    url = f"/visits/{on_site.public_id}/findings/new/"
    get = client.get(url)
    before = audit_rows()
    response = client.post(url, form_data(on_site))
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


def test_create_page_shows_errors_and_keeps_input(client_for, on_site):
    response = client_for("monitor").post(
        f"/visits/{on_site.public_id}/findings/new/", form_data(on_site, title="")
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Please correct the errors below." in body
    assert "Three detainees described beatings on arrival." in body
    assert not Finding.objects.exists()


def test_create_page_links_answers(client_for, users, on_site):
    answer = make_answer(on_site, on_site.institutions.first(), users)
    client = client_for("monitor")
    page = client.get(f"/visits/{on_site.public_id}/findings/new/").content.decode()
    assert "Is ventilation working? (Q1)" in page
    response = client.post(
        f"/visits/{on_site.public_id}/findings/new/", form_data(on_site, answers=[answer.public_id])
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
def test_detail_role_matrix(client_for, users, on_site, actor):
    finding = make_finding(on_site, users)
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


def test_detail_lists_attachments_with_download_link(client_for, users, on_site):
    finding = make_finding(on_site, users)
    attachment = Attachment.objects.create(
        visit=on_site,
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
    assert f"/visits/{on_site.public_id}/attachments/?finding={finding.public_id}" in body


@pytest.mark.parametrize("actor", ACTORS)
def test_edit_page_role_matrix(client_for, users, on_site, actor):
    finding = make_finding(on_site, users)
    before = audit_rows()
    response = client_for(actor).post(
        f"/visits/findings/{finding.public_id}/edit/",
        form_data(on_site, title="Renamed finding", evidence_kinds=["document"]),
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
def test_delete_page_role_matrix(client_for, users, on_site, actor):
    finding = make_finding(on_site, users)
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


def test_list_page_runs_constant_queries(client_for, users, on_site):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("monitor")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(findings_url(on_site)).status_code == 200
        return len(ctx.captured_queries)

    make_finding(on_site, users)
    one = count()
    for theme in ("T1", "T2", "T4", "T5"):
        make_finding(on_site, users, theme=theme)
    assert count() == one


def test_answers_read_as_labels(users, on_site):
    from vigil.visits.selectors.findings import answer_text

    answer = make_answer(on_site, on_site.institutions.first(), users)
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
