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


def test_create_records_and_audits_without_the_description(users, visit):
    finding = finding_create(
        actor=users["monitor"],
        visit=visit,
        data={
            "institution": visit.institutions.first(),
            "theme": "T3",
            "severity": "serious",
            "title": "Overcrowded cells",
            "description": "A secret detail that stays out of the audit log.",
            "evidence_kinds": ["photo", "observation"],
        },
    )
    assert finding.visit == visit
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
def test_create_permission(users, visit, actor, allowed):
    data = {
        "institution": visit.institutions.first(),
        "theme": "T2",
        "severity": "minor",
        "title": "Register incomplete",
        "description": "Entries missing.",
    }
    if allowed:
        finding_create(actor=users[actor], visit=visit, data=data)
        assert Finding.objects.count() == 1
    else:
        with pytest.raises(PermissionDenied):
            finding_create(actor=users[actor], visit=visit, data=data)
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


def test_institution_must_be_one_visited(users, visit, make_institution):
    elsewhere = make_institution()
    with pytest.raises(ValidationError) as exc:
        finding_create(
            actor=users["monitor"],
            visit=visit,
            data={
                "institution": elsewhere,
                "theme": "T2",
                "severity": "minor",
                "title": "x",
                "description": "y",
            },
        )
    assert exc.value.message_dict == {"institution": ["Choose one of the institutions visited."]}


def test_unknown_evidence_kind_refused(users, visit):
    with pytest.raises(ValidationError) as exc:
        finding_create(
            actor=users["monitor"],
            visit=visit,
            data={
                "institution": visit.institutions.first(),
                "theme": "T2",
                "severity": "minor",
                "title": "x",
                "description": "y",
                "evidence_kinds": ["rumour"],
            },
        )
    assert "evidence_kinds" in exc.value.message_dict


def test_answers_must_be_of_the_same_visit_and_institution(
    users, make_visit, make_institution, visit
):
    second = make_institution()
    visit.institutions.add(second)
    own = make_answer(visit, visit.institutions.first(), users, "Q1")
    other_institution = make_answer(visit, second, users, "Q2")
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
            finding_create(actor=users["monitor"], visit=visit, data={**base, "answers": [bad]})
        assert exc.value.message_dict == {
            "answers": ["Link only checklist answers given for this institution during this visit."]
        }
    finding = finding_create(actor=users["monitor"], visit=visit, data={**base, "answers": [own]})
    assert list(finding.answers.all()) == [own]


def test_update_audits_changes_and_redacts_description(users, visit):
    finding = make_finding(visit, users)
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


def test_delete_keeps_the_attachments_on_the_visit(users, visit):
    finding = make_finding(visit, users)
    attachment = Attachment.objects.create(
        visit=visit,
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
