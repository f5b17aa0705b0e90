"""The visit report: DRAFT → REVIEW → APPROVED with the visit in step, who may do what,
the refusals and their messages, history and audit; the report page's role matrix."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import ALL_ACTORS
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.visits.enums import ReportState, VisitState
from vigil.visits.models import Finding, ReportTransition, VisitReport, VisitTransition
from vigil.visits.selectors.reports import reports_awaiting_review, visits_awaiting_report
from vigil.visits.services.reports import (
    report_approve,
    report_create,
    report_return,
    report_submit,
    report_update,
)

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


def make_finding(visit: Any, users: dict[str, Any], **fields: Any) -> Finding:
    data: dict[str, Any] = {
        "visit": visit,
        "institution": visit.institutions.first(),
        "theme": "T3",
        "severity": "serious",
        "title": "No ventilation in cells",
        "description": "Cells 4 to 9 have no working ventilation.",
        "evidence_kinds": ["observation"],
        "created_by": users["monitor"],
    }
    data.update(fields)
    return Finding.objects.create(**data)


@pytest.fixture
def debriefed(make_visit, users):
    visit = make_visit(state=VisitState.DEBRIEFED)
    make_finding(visit, users)
    return visit


def make_report(visit: Any, users: dict[str, Any], state: str, *, findings: bool = True) -> Any:
    """A report (and its visit) in the given state, built with the ORM."""
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


# ---------------------------------------------------------------- services


def test_create_moves_the_visit_and_selects_every_finding(users, debriefed):
    second = make_finding(debriefed, users, title="Second")
    report = report_create(actor=users["monitor_lead"], visit=debriefed)
    debriefed.refresh_from_db()
    assert debriefed.state == VisitState.REPORT_DRAFT
    assert report.state == ReportState.DRAFT
    assert report.language == "en"  # no preference: the site's language (en in tests)
    assert set(report.findings.all()) == set(Finding.objects.filter(visit=debriefed))
    assert second in report.findings.all()
    assert audit_rows() == [AuditAction.VISIT_TRANSITIONED, AuditAction.REPORT_CREATED]


def test_create_uses_the_leads_language(users, debriefed):
    lead = users["monitor_lead"]
    lead.preferred_language = "kk"
    lead.save()
    report = report_create(actor=users["coordinator"], visit=debriefed)
    assert report.language == "kk"


def test_create_refused_before_the_debriefing(users, make_visit):
    visit = make_visit(state=VisitState.ON_SITE)
    with pytest.raises(ValidationError) as exc:
        report_create(actor=users["coordinator"], visit=visit)
    assert exc.value.message_dict == {
        "state": ["The report is started once the visit has ended and been debriefed."]
    }
    assert not VisitReport.objects.exists()


@pytest.mark.parametrize("actor", ["monitor", "auditor", "admin", "liaison", "monitor_outsider"])
def test_create_refused_to_others(users, debriefed, actor):
    # A team member who is not the lead does not start the report; nor do readers.
    with pytest.raises(PermissionDenied):
        report_create(actor=users[actor], visit=debriefed)
    debriefed.refresh_from_db()
    assert debriefed.state == VisitState.DEBRIEFED
    assert not VisitReport.objects.exists()
    assert audit_rows() == []


def test_create_twice_refused(users, debriefed):
    report_create(actor=users["monitor_lead"], visit=debriefed)
    with pytest.raises(ValidationError) as exc:
        report_create(actor=users["coordinator"], visit=debriefed)
    assert exc.value.messages == ["This visit already has a report."]


def test_update_in_draft_audits_without_the_narrative(users, debriefed):
    report = report_create(actor=users["monitor_lead"], visit=debriefed)
    changes = report_update(
        actor=users["monitor"],
        report=report,
        data={"introduction": "Confidential opening words.", "findings": []},
    )
    assert changes == {"introduction": ["[edited]", "[edited]"], "findings": [1, 0]}
    report.refresh_from_db()
    assert report.introduction == "Confidential opening words."
    assert not report.findings.exists()
    event = AuditEvent.objects.get(action=AuditAction.REPORT_UPDATED)
    assert "Confidential" not in str(event.data)


def test_update_refused_for_findings_of_another_visit(users, debriefed, make_visit):
    report = report_create(actor=users["monitor_lead"], visit=debriefed)
    other = make_visit(state=VisitState.ON_SITE)
    foreign = make_finding(other, users, title="Elsewhere")
    with pytest.raises(ValidationError) as exc:
        report_update(actor=users["monitor"], report=report, data={"findings": [foreign]})
    assert exc.value.message_dict == {"findings": ["Select only findings of this visit."]}


@pytest.mark.parametrize("actor", ["auditor", "admin", "liaison", "monitor_outsider"])
def test_update_refused_to_readers_and_others(users, debriefed, actor):
    report = make_report(debriefed, users, ReportState.DRAFT)
    with pytest.raises(PermissionDenied):
        report_update(actor=users[actor], report=report, data={"conclusion": "x"})
    report.refresh_from_db()
    assert report.conclusion == ""


@pytest.mark.parametrize("state", [ReportState.REVIEW, ReportState.APPROVED])
def test_editing_outside_draft_refused(users, debriefed, state):
    report = make_report(debriefed, users, state)
    with pytest.raises(ValidationError) as exc:
        report_update(actor=users["coordinator"], report=report, data={"conclusion": "Late"})
    assert exc.value.messages == [
        "The report can be changed only while it is a draft; ask for it to be returned."
    ]
    report.refresh_from_db()
    assert report.conclusion == ""


def test_the_whole_cycle_keeps_the_visit_in_step(users, debriefed):
    report = report_create(actor=users["monitor_lead"], visit=debriefed)
    report = report_submit(actor=users["monitor_lead"], report=report)
    assert report.state == ReportState.REVIEW
    assert report.visit.state == VisitState.REPORT_REVIEW
    report = report_return(actor=users["coordinator"], report=report, note="Add the T5 detail.")
    assert report.state == ReportState.DRAFT
    assert report.visit.state == VisitState.REPORT_DRAFT
    report = report_submit(actor=users["coordinator"], report=report)
    report = report_approve(actor=users["coordinator"], report=report)
    assert report.state == ReportState.APPROVED
    assert report.approved_by == users["coordinator"]
    assert report.approved_at is not None
    debriefed.refresh_from_db()
    assert debriefed.state == VisitState.REPORT_APPROVED
    steps = list(ReportTransition.objects.values_list("from_state", "to_state", "note"))
    assert steps == [
        ("draft", "review", ""),
        ("review", "draft", "Add the T5 detail."),
        ("draft", "review", ""),
        ("review", "approved", ""),
    ]
    visit_steps = list(
        VisitTransition.objects.filter(visit=debriefed).values_list("from_state", "to_state")
    )
    assert visit_steps == [
        ("debriefed", "report_draft"),
        ("report_draft", "report_review"),
        ("report_review", "report_draft"),
        ("report_draft", "report_review"),
        ("report_review", "report_approved"),
    ]
    assert AuditEvent.objects.filter(action=AuditAction.REPORT_TRANSITIONED).count() == 4


def test_submit_refused_to_a_member_who_is_not_the_lead(users, debriefed):
    report = make_report(debriefed, users, ReportState.DRAFT)
    with pytest.raises(PermissionDenied):
        report_submit(actor=users["monitor"], report=report)
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT


def test_return_needs_a_note(users, debriefed):
    report = make_report(debriefed, users, ReportState.REVIEW)
    with pytest.raises(ValidationError) as exc:
        report_return(actor=users["coordinator"], report=report, note="  ")
    assert exc.value.message_dict == {"note": ["Say what the team should change."]}


@pytest.mark.parametrize(
    "actor", ["monitor", "monitor_lead", "regional", "admin", "auditor", "liaison"]
)
def test_approve_only_by_a_coordinator(users, debriefed, actor):
    report = make_report(debriefed, users, ReportState.REVIEW)
    with pytest.raises(PermissionDenied):
        report_approve(actor=users[actor], report=report)
    report.refresh_from_db()
    debriefed.refresh_from_db()
    assert report.state == ReportState.REVIEW
    assert debriefed.state == VisitState.REPORT_REVIEW
    assert audit_rows() == []


def test_approving_a_report_without_findings_is_refused(users, debriefed):
    report = make_report(debriefed, users, ReportState.REVIEW, findings=False)
    with pytest.raises(ValidationError) as exc:
        report_approve(actor=users["coordinator"], report=report)
    assert exc.value.message_dict == {"findings": [NO_FINDINGS]}
    report.refresh_from_db()
    debriefed.refresh_from_db()
    assert report.state == ReportState.REVIEW
    assert debriefed.state == VisitState.REPORT_REVIEW


def test_a_step_from_the_wrong_state_is_refused(users, debriefed):
    report = make_report(debriefed, users, ReportState.DRAFT)
    with pytest.raises(ValidationError) as exc:
        report_approve(actor=users["coordinator"], report=report)
    assert exc.value.message_dict == {
        "action": ["A report in the state “Draft” cannot be given this step."]
    }


# ---------------------------------------------------------------- pages


def report_url(visit: Any, tail: str = "") -> str:
    return f"/visits/{visit.public_id}/report/{tail}"


@pytest.mark.parametrize("actor", ACTORS)
def test_page_role_matrix(client_for, users, debriefed, actor):
    make_report(debriefed, users, ReportState.DRAFT)
    response = client_for(actor).get(report_url(debriefed))
    if actor == "anonymous":
        assert response.status_code == 302
        return
    assert response.status_code == (200 if actor in READERS else 404)
    if actor in READERS:
        body = response.content.decode()
        assert "No ventilation in cells" in body
        # The editable draft for writers, the preview for the auditor.
        assert ("Save the draft" in body) == (actor in WRITERS)
        # Only the lead and planners submit.
        assert ("Submit for review" in body) == (
            actor in {"coordinator", "regional", "monitor_lead"}
        )


def test_page_shows_the_allowed_steps_only(client_for, users, debriefed):
    make_report(debriefed, users, ReportState.REVIEW)
    coordinator = client_for("coordinator").get(report_url(debriefed)).content.decode()
    assert "Approve the report" in coordinator
    assert "Return to the team" in coordinator
    assert "Save the draft" not in coordinator
    lead = client_for("monitor_lead").get(report_url(debriefed)).content.decode()
    assert "Approve the report" not in lead
    assert "Under review" in lead


@pytest.mark.parametrize("actor", ACTORS)
def test_page_start_matrix(client_for, users, debriefed, actor):
    before = audit_rows()
    response = client_for(actor).post(report_url(debriefed, "start/"), {"language": "ru"})
    report = VisitReport.objects.filter(visit=debriefed).first()
    if actor in {"coordinator", "regional", "monitor_lead"}:
        assert response.status_code == 302
        assert report is not None
        assert report.language == "ru"
        assert AuditAction.REPORT_CREATED in audit_rows()
        return
    if actor == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == (403 if actor in {"auditor", "monitor"} else 404)
    assert report is None
    assert audit_rows() == before


@pytest.mark.parametrize("actor", ACTORS)
def test_page_save_draft_matrix(client_for, users, debriefed, actor):
    report = make_report(debriefed, users, ReportState.DRAFT)
    finding = Finding.objects.get(visit=debriefed)
    before = audit_rows()
    response = client_for(actor).post(
        report_url(debriefed),
        {
            "language": "kk",
            "introduction": "Кіріспе",
            "conclusion": "Қорытынды",
            "findings": [str(finding.public_id)],
        },
    )
    report.refresh_from_db()
    if actor in WRITERS:
        assert response.status_code == 302
        assert report.language == "kk"
        assert report.conclusion == "Қорытынды"
        assert audit_rows() == [*before, AuditAction.REPORT_UPDATED]
        return
    if actor != "anonymous":
        assert response.status_code == (403 if actor == "auditor" else 404)
    assert report.conclusion == ""
    assert audit_rows() == before


@pytest.mark.parametrize("actor", ACTORS)
def test_page_approve_matrix(client_for, users, debriefed, actor):
    report = make_report(debriefed, users, ReportState.REVIEW)
    before = audit_rows()
    response = client_for(actor).post(report_url(debriefed, "step/"), {"action": "approve"})
    report.refresh_from_db()
    if actor == "coordinator":
        assert response.status_code == 302
        assert report.state == ReportState.APPROVED
        return
    if actor == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == (403 if actor in READERS else 404)
    assert report.state == ReportState.REVIEW
    assert audit_rows() == before


def test_page_approve_without_findings_says_why(client_for, users, debriefed):
    make_report(debriefed, users, ReportState.REVIEW, findings=False)
    response = client_for("coordinator").post(
        report_url(debriefed, "step/"), {"action": "approve"}, follow=True
    )
    assert NO_FINDINGS in response.content.decode()
    assert VisitReport.objects.get().state == ReportState.REVIEW


def test_page_return_with_note_shows_in_history(client_for, users, debriefed):
    make_report(debriefed, users, ReportState.REVIEW)
    client = client_for("coordinator")
    refused = client.post(report_url(debriefed, "step/"), {"action": "return"}, follow=True)
    assert "Say what the team should change." in refused.content.decode()
    client.post(report_url(debriefed, "step/"), {"action": "return", "note": "Cite rule 13."})
    page = client_for("monitor").get(report_url(debriefed)).content.decode()
    assert "Cite rule 13." in page
    assert VisitReport.objects.get().state == ReportState.DRAFT


def test_page_without_report_offers_start_only_when_allowed(client_for, users, debriefed):
    assert (
        "Start the report" in client_for("monitor_lead").get(report_url(debriefed)).content.decode()
    )
    assert (
        "Start the report" not in client_for("monitor").get(report_url(debriefed)).content.decode()
    )
    assert (
        "Start the report" not in client_for("auditor").get(report_url(debriefed)).content.decode()
    )


# ---------------------------------------------------------------- what is due


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ("monitor", True),
        ("monitor_lead", True),
        ("coordinator", True),
        ("regional", True),
        ("monitor_outsider", False),
        ("auditor", False),
        ("admin", False),
        ("liaison", False),
    ],
)
def test_visits_awaiting_report(users, debriefed, make_visit, actor, expected):
    make_visit(state=VisitState.ON_SITE)
    visits = list(visits_awaiting_report(users[actor]))
    assert visits == ([debriefed] if expected else [])


@pytest.mark.parametrize("actor", ["coordinator", "regional", "monitor_lead", "auditor"])
def test_reports_awaiting_review_for_coordinators(users, debriefed, actor):
    report = make_report(debriefed, users, ReportState.REVIEW)
    expected = [report] if actor == "coordinator" else []
    assert list(reports_awaiting_review(users[actor])) == expected
