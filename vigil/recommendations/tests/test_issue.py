"""Issuing: every draft of an approved visit report in one action, deadlines in working days,
the addressees' liaisons told by e-mail (and nobody else), all or nothing."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from conftest import PASSWORD
from vigil.accounts.enums import Role
from vigil.accounts.models import User
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.core.calendar import WorkingCalendar
from vigil.core.enums import CalendarDayKind
from vigil.core.models import CalendarDay
from vigil.recommendations.enums import EventKind, Source, State
from vigil.recommendations.models import Recommendation
from vigil.recommendations.permissions import liaisons_of
from vigil.recommendations.services.issuing import (
    recommendation_issue,
    recommendations_issue_for_visit,
)
from vigil.visits.enums import ReportState

pytestmark = pytest.mark.django_db


@pytest.fixture
def extra_liaisons(ref):
    def liaison(key, agency, **fields):
        return User.objects.create_user(
            email=f"{key}@test.vigil",
            password=PASSWORD,
            full_name=key,
            role=Role.LIAISON,
            agency=agency,
            **fields,
        )

    return {
        "ministry": liaison("mvd-liaison", ref["mvd"]),
        "astana": liaison("astana-liaison", ref["kuis_71"]),
        "police": liaison("police-liaison", ref["police"]),
        "inactive": liaison("inactive-liaison", ref["kuis"], is_active=False),
    }


@pytest.fixture
def report_with_drafts(approved_visit, make_recommendation, ref):
    """An approved report with three drafts: two to the Astana department, one to MOH."""
    visit = approved_visit()
    institution = visit.institutions.get()
    findings = list(visit.findings.all())
    drafts = [
        make_recommendation(
            state=State.DRAFT, visit=visit, institution=institution, findings=[findings[0]]
        ),
        make_recommendation(
            state=State.DRAFT, visit=visit, institution=institution, findings=findings
        ),
        make_recommendation(state=State.DRAFT, visit=visit, addressee=ref["moh"]),
    ]
    return visit, drafts


def issued_rows() -> int:
    return AuditEvent.objects.filter(action=AuditAction.RECOMMENDATIONS_ISSUED).count()


def test_liaisons_of_an_agency_are_its_own_and_those_above(users, ref, extra_liaisons):
    emails = {u.email for u in liaisons_of(ref["kuis_71"])}
    assert emails == {
        users["liaison"].email,  # the committee
        extra_liaisons["ministry"].email,
        extra_liaisons["astana"].email,
    }
    assert {u.email for u in liaisons_of(ref["moh"])} == {users["other_liaison"].email}
    assert {u.email for u in liaisons_of(ref["police"])} == {
        extra_liaisons["police"].email,
        extra_liaisons["ministry"].email,
    }


def test_issue_all_drafts_of_an_approved_report(
    users, report_with_drafts, extra_liaisons, django_capture_on_commit_callbacks
):
    visit, drafts = report_with_drafts
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        issued = recommendations_issue_for_visit(actor=users["coordinator"], visit=visit)
    assert {r.pk for r in issued} == {d.pk for d in drafts}
    expected_deadline = WorkingCalendar().add_working_days(today, 30)
    for rec in Recommendation.objects.filter(pk__in=[d.pk for d in drafts]):
        assert rec.state == State.AWAITING_RESPONSE
        assert rec.issued_on == today
        assert rec.deadline == expected_deadline
        events = list(rec.events.order_by("id").values_list("kind", "from_state", "to_state"))
        assert events == [
            (EventKind.STATE_CHANGED, State.DRAFT, State.ISSUED),
            (EventKind.STATE_CHANGED, State.ISSUED, State.AWAITING_RESPONSE),
        ]
    assert issued_rows() == 3

    # one e-mail per liaison, listing only what was addressed to their subtree
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {
        users["liaison"].email,
        extra_liaisons["ministry"].email,
        extra_liaisons["astana"].email,
        users["other_liaison"].email,
    }
    assert len(mail.outbox) == 4
    to_committee = by_recipient[users["liaison"].email].body
    assert drafts[0].reference in to_committee
    assert drafts[1].reference in to_committee
    assert drafts[2].reference not in to_committee
    to_moh = by_recipient[users["other_liaison"].email]
    assert drafts[2].reference in to_moh.body
    assert drafts[0].reference not in to_moh.body
    assert f"/recommendations/{drafts[2].public_id}/" in to_moh.body
    assert "awaits your answer" in to_moh.subject


def test_no_mail_before_the_transaction_commits(users, report_with_drafts):
    visit, _drafts = report_with_drafts
    recommendations_issue_for_visit(actor=users["coordinator"], visit=visit)
    assert mail.outbox == []  # sent on commit only (the test transaction never commits)


def test_an_addressee_without_liaisons_stays_issued(
    users, approved_visit, make_recommendation, ref, django_capture_on_commit_callbacks
):
    visit = approved_visit()
    draft = make_recommendation(state=State.DRAFT, visit=visit, addressee=ref["police"])
    with django_capture_on_commit_callbacks(execute=True):
        recommendations_issue_for_visit(actor=users["coordinator"], visit=visit)
    draft.refresh_from_db()
    assert draft.state == State.ISSUED
    assert mail.outbox == []


def test_a_preset_deadline_is_kept(users, approved_visit, make_recommendation):
    visit = approved_visit()
    deadline = timezone.localdate() + datetime.timedelta(days=10)
    draft = make_recommendation(state=State.DRAFT, visit=visit, deadline=deadline)
    recommendations_issue_for_visit(actor=users["coordinator"], visit=visit)
    draft.refresh_from_db()
    assert draft.deadline == deadline


def test_default_deadline_skips_public_holidays(users, make_recommendation, settings):
    settings.VIGIL_RECOMMENDATION_DEADLINE_DAYS = 3
    today = timezone.localdate()
    calendar = WorkingCalendar()
    first = calendar.add_working_days(today, 1)
    CalendarDay.objects.update_or_create(
        country="KZ",
        date=first,
        defaults={"kind": CalendarDayKind.HOLIDAY, "name_en": "Holiday"},
    )
    draft = make_recommendation(state=State.DRAFT)
    recommendation_issue(actor=users["coordinator"], recommendation=draft)
    draft.refresh_from_db()
    assert draft.deadline == WorkingCalendar().add_working_days(today, 3)
    assert draft.deadline > calendar.add_working_days(today, 3)


def test_report_not_approved_issues_nothing(users, approved_visit, make_recommendation):
    visit = approved_visit(report_state=ReportState.REVIEW)
    draft = make_recommendation(state=State.DRAFT, visit=visit)
    with pytest.raises(ValidationError) as exc:
        recommendations_issue_for_visit(actor=users["coordinator"], visit=visit)
    assert "visit" in exc.value.message_dict
    with pytest.raises(ValidationError):
        recommendation_issue(actor=users["coordinator"], recommendation=draft)
    draft.refresh_from_db()
    assert draft.state == State.DRAFT
    assert issued_rows() == 0


def test_all_or_nothing(users, approved_visit, make_recommendation):
    visit = approved_visit()
    good = make_recommendation(state=State.DRAFT, visit=visit)
    make_recommendation(state=State.DRAFT, visit=visit, text="   ")
    with pytest.raises(ValidationError) as exc:
        recommendations_issue_for_visit(actor=users["coordinator"], visit=visit)
    assert "text" in exc.value.message_dict
    good.refresh_from_db()
    assert good.state == State.DRAFT
    assert not good.events.exists()
    assert issued_rows() == 0


def test_nothing_to_issue(users, approved_visit):
    with pytest.raises(ValidationError) as exc:
        recommendations_issue_for_visit(actor=users["coordinator"], visit=approved_visit())
    assert exc.value.message_dict == {
        "visit": ["This visit has no draft recommendations to issue."]
    }


@pytest.mark.parametrize("actor", ["monitor", "auditor", "liaison", "other_liaison"])
def test_only_planners_issue(users, report_with_drafts, actor):
    visit, _drafts = report_with_drafts
    with pytest.raises(PermissionDenied):
        recommendations_issue_for_visit(actor=users[actor], visit=visit)
    assert set(Recommendation.objects.values_list("state", flat=True)) == {State.DRAFT}
    assert issued_rows() == 0


def test_regional_representative_issues_in_their_region_only(
    users, approved_visit, make_institution, make_recommendation, ref
):
    almaty = approved_visit(institution=make_institution(region=ref["almaty"]))
    make_recommendation(state=State.DRAFT, visit=almaty, addressee=ref["moh"])
    with pytest.raises(PermissionDenied):
        recommendations_issue_for_visit(actor=users["regional"], visit=almaty)
    astana = approved_visit()
    make_recommendation(state=State.DRAFT, visit=astana)
    assert len(recommendations_issue_for_visit(actor=users["regional"], visit=astana)) == 1


def test_issued_ones_are_not_issued_twice(users, report_with_drafts):
    visit, drafts = report_with_drafts
    recommendations_issue_for_visit(actor=users["coordinator"], visit=visit)
    with pytest.raises(ValidationError):
        recommendations_issue_for_visit(actor=users["coordinator"], visit=visit)
    with pytest.raises(ValidationError):
        recommendation_issue(actor=users["coordinator"], recommendation=drafts[0])
    assert issued_rows() == 3


def test_issue_one_thematic_draft(users, make_recommendation, django_capture_on_commit_callbacks):
    draft = make_recommendation(state=State.DRAFT, source=Source.THEMATIC_REPORT)
    with django_capture_on_commit_callbacks(execute=True):
        rec = recommendation_issue(
            actor=users["coordinator"], recommendation=draft, link_base="https://npm.example"
        )
    assert rec.state == State.AWAITING_RESPONSE
    assert draft.state == State.AWAITING_RESPONSE  # the caller's copy follows
    assert [m.to for m in mail.outbox] == [[users["liaison"].email]]
    assert f"https://npm.example/recommendations/{draft.public_id}/" in mail.outbox[0].body


# ---------------------------------------------------------------- the issuing pages


def test_issue_page_lists_findings_and_drafts(client_for, report_with_drafts):
    visit, drafts = report_with_drafts
    response = client_for("coordinator").get(f"/recommendations/issue/{visit.public_id}/")
    assert response.status_code == 200
    html = response.content.decode()
    for draft in drafts:
        assert draft.reference in html
    assert f"Finding 1 of {visit.reference}" in html
    assert 'data-testid="issue-all"' in html


def test_issue_all_button(
    client_for, users, report_with_drafts, django_capture_on_commit_callbacks
):
    visit, _drafts = report_with_drafts
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("coordinator").post(
            f"/recommendations/issue/{visit.public_id}/issue-all/"
        )
    assert response.status_code == 302
    assert response["Location"] == f"/recommendations/issue/{visit.public_id}/"
    assert not Recommendation.objects.filter(state=State.DRAFT).exists()
    assert len(mail.outbox) == 2
    assert all("http://testserver/recommendations/" in m.body for m in mail.outbox)


@pytest.mark.parametrize(
    ("actor", "status"),
    [
        ("anonymous", 302),
        ("monitor", 404),
        ("auditor", 404),
        ("liaison", 404),
        ("other_liaison", 404),
    ],
)
def test_issue_all_button_refused(client_for, report_with_drafts, actor, status):
    visit, _drafts = report_with_drafts
    response = client_for(actor).post(f"/recommendations/issue/{visit.public_id}/issue-all/")
    assert response.status_code == status
    assert set(Recommendation.objects.values_list("state", flat=True)) == {State.DRAFT}
    assert issued_rows() == 0
    assert mail.outbox == []


def test_issue_all_refused_with_the_reason(client_for, approved_visit, make_recommendation):
    visit = approved_visit(report_state=ReportState.REVIEW)
    make_recommendation(state=State.DRAFT, visit=visit)
    response = client_for("coordinator").post(
        f"/recommendations/issue/{visit.public_id}/issue-all/", follow=True
    )
    assert "issued once its report is approved" in response.content.decode()
    assert Recommendation.objects.get().state == State.DRAFT
