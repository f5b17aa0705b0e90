"""Reprisal follow-up contacts: scheduling (service and daily command, idempotent), the open
follow-ups page and recording outcomes (unreachable reschedules; a reported reprisal records
the incident in one step), the monitor's home block, the API."""

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.core.tests.commands import migrated

from ..enums import FollowUpOutcome, IncidentKind
from ..models import FollowUpContact, Incident
from ..services.follow_ups import follow_up_schedule, follow_ups_schedule_due

TODAY = datetime.date(2026, 12, 7)


@pytest.fixture
def risky_appeal(make_appeal: Callable[..., Any]) -> Any:
    return make_appeal(reprisal_risk="high", received_on=datetime.date(2026, 11, 30))


def test_schedule_high_and_low_risk_by_the_settings(
    users: dict[str, Any], risky_appeal: Any, interview: Any, make_appeal: Callable[..., Any]
) -> None:
    contacts = follow_up_schedule(actor=users["coordinator"], appeal=risky_appeal)
    assert [c.due_on for c in contacts] == [
        datetime.date(2026, 12, 7),
        datetime.date(2026, 12, 30),
    ]
    assert all(c.assigned_to == users["coordinator"] for c in contacts)
    # again: nothing more
    assert follow_up_schedule(actor=users["coordinator"], appeal=risky_appeal) == []
    low = make_appeal(reprisal_risk="low", received_on=datetime.date(2026, 11, 30))
    with override_settings(VIGIL_FOLLOW_UP_LOW_RISK_DAYS=[10]):
        [only] = follow_up_schedule(actor=users["coordinator"], appeal=low)
    assert only.due_on == datetime.date(2026, 12, 10)
    none = make_appeal(reprisal_risk="none")
    assert follow_up_schedule(actor=users["coordinator"], appeal=none) == []
    assert AuditEvent.objects.filter(action=AuditAction.FOLLOW_UP_SCHEDULED).count() == 3


def test_daily_job_is_idempotent(
    risky_appeal: Any, interview: Any, make_appeal: Callable[..., Any]
) -> None:
    old = make_appeal(reprisal_risk="high", received_on=datetime.date(2025, 1, 10))
    closed = make_appeal(
        reprisal_risk="high", state="closed_resolved", received_on=datetime.date(2026, 11, 30)
    )
    first = follow_ups_schedule_due(today=TODAY)
    assert first.people == 2
    assert first.contacts == FollowUpContact.objects.count()
    assert FollowUpContact.objects.filter(appeal=risky_appeal).count() == 2
    assert FollowUpContact.objects.filter(interview=interview).count() >= 2
    assert not FollowUpContact.objects.filter(appeal__in=[old, closed]).exists()
    again = follow_ups_schedule_due(today=TODAY)
    assert again.contacts == 0
    assert again.people == 0


def test_command_runs_as_a_user_runs_it(tmp_path: Path) -> None:
    manage = migrated(tmp_path, seed=False)
    first = manage.ok("schedule_follow_ups", "--today", "2026-12-07")
    assert "0 follow-up contacts scheduled for 0 people." in first.stdout
    manage.ok("schedule_follow_ups")
    bad = manage("schedule_follow_ups", "--today", "07.12.2026")
    assert bad.returncode != 0
    assert "YYYY-MM-DD" in bad.stderr


# --- the page -------------------------------------------------------------------------------


@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
@pytest.mark.parametrize(
    ("actor", "status", "sees"),
    [
        ("anonymous", 302, False),
        ("coordinator", 200, True),
        ("auditor", 200, True),
        ("regional", 200, True),
        ("monitor", 200, False),
        ("liaison", 403, False),
        ("admin", 403, False),
    ],
)
def test_follow_up_page_role_matrix(
    client_for: Any,
    users: dict[str, Any],
    risky_appeal: Any,
    actor: str,
    status: int,
    sees: bool,
    debug: bool,
) -> None:
    follow_up_schedule(actor=users["coordinator"], appeal=risky_appeal)
    with override_settings(DEBUG=debug):
        response = client_for(actor).get("/appeals/follow-ups/")
    assert response.status_code == status
    if status == 200:
        assert (response.context["page"].paginator.count == 2) is sees


def test_monitor_sees_the_interviews_of_their_visits(
    client_for: Any, users: dict[str, Any], interview: Any
) -> None:
    follow_up_schedule(actor=users["monitor"], interview=interview)
    response = client_for("monitor").get("/appeals/follow-ups/?status=open")
    assert response.context["page"].paginator.count >= 2
    assert "Witness K" in response.content.decode()


def test_due_overdue_and_mine_filters(
    client_for: Any, users: dict[str, Any], risky_appeal: Any
) -> None:
    FollowUpContact.objects.create(appeal=risky_appeal, due_on=datetime.date(2026, 11, 1))
    FollowUpContact.objects.create(
        appeal=risky_appeal, due_on=datetime.date(2027, 1, 1), assigned_to=users["regional"]
    )
    client = client_for("regional")
    assert client.get("/appeals/follow-ups/?status=overdue").context["page"].paginator.count == 1
    assert client.get("/appeals/follow-ups/?status=open").context["page"].paginator.count == 2
    assert client.get("/appeals/follow-ups/?mine=true").context["page"].paginator.count == 1


def test_home_block_for_monitors(client_for: Any, users: dict[str, Any], interview: Any) -> None:
    FollowUpContact.objects.create(
        interview=interview, due_on=datetime.date(2026, 11, 1), assigned_to=users["monitor"]
    )
    home = client_for("monitor").get("/")
    assert 'data-testid="follow-ups-home"' in home.content.decode()
    liaison_home = client_for("liaison").get("/")
    assert 'data-testid="follow-ups-home"' not in liaison_home.content.decode()


# --- recording ------------------------------------------------------------------------------


def _open_contact(appeal: Any) -> FollowUpContact:
    return FollowUpContact.objects.create(appeal=appeal, due_on=datetime.date(2026, 12, 1))


def test_unreachable_reschedules(client_for: Any, risky_appeal: Any) -> None:
    contact = _open_contact(risky_appeal)
    response = client_for("coordinator").post(
        f"/appeals/follow-ups/{contact.public_id}/record/",
        {"outcome": FollowUpOutcome.UNREACHABLE, "done_on": "2026-12-02"},
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.outcome == FollowUpOutcome.UNREACHABLE
    following = FollowUpContact.objects.get(appeal=risky_appeal, done_on__isnull=True)
    assert following.due_on == datetime.date(2026, 12, 9)
    assert AuditEvent.objects.filter(action=AuditAction.FOLLOW_UP_RECORDED).count() == 1


def test_reprisal_reported_records_the_incident_in_one_step(
    client_for: Any, risky_appeal: Any
) -> None:
    contact = _open_contact(risky_appeal)
    response = client_for("coordinator").post(
        f"/appeals/follow-ups/{contact.public_id}/record/",
        {
            "outcome": FollowUpOutcome.REPRISAL_REPORTED,
            "done_on": "2026-12-03",
            "incident_summary": "Transferred to a distant colony after the appeal",
        },
    )
    incident = Incident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/appeals/incidents/{incident.public_id}/"
    assert incident.kind == IncidentKind.REPRISAL
    assert incident.appeal == risky_appeal
    contact.refresh_from_db()
    assert contact.incident == incident


def test_reprisal_from_an_interview_contact_links_the_interview(
    users: dict[str, Any], client_for: Any, interview: Any
) -> None:
    contact = FollowUpContact.objects.create(interview=interview, due_on=datetime.date(2026, 12, 1))
    response = client_for("monitor").post(
        f"/appeals/follow-ups/{contact.public_id}/record/",
        {
            "outcome": FollowUpOutcome.REPRISAL_REPORTED,
            "done_on": "2026-12-03",
            "incident_summary": "Beaten after the visit",
        },
    )
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert incident.interview == interview
    assert incident.visit == interview.visit
    interview.refresh_from_db()
    assert interview.follow_up_done_on == datetime.date(2026, 12, 3)


@pytest.mark.parametrize(("actor", "status"), [("auditor", 403), ("liaison", 403)])
def test_denied_record_changes_nothing(
    client_for: Any, risky_appeal: Any, actor: str, status: int
) -> None:
    contact = _open_contact(risky_appeal)
    response = client_for(actor).post(
        f"/appeals/follow-ups/{contact.public_id}/record/",
        {"outcome": FollowUpOutcome.NO_CONCERN, "done_on": "2026-12-02"},
    )
    assert response.status_code == status
    contact.refresh_from_db()
    assert contact.done_on is None
    assert not AuditEvent.objects.filter(action=AuditAction.FOLLOW_UP_RECORDED).exists()


def test_the_form_with_an_error_keeps_the_note(client_for: Any, risky_appeal: Any) -> None:
    contact = _open_contact(risky_appeal)
    response = client_for("coordinator").post(
        f"/appeals/follow-ups/{contact.public_id}/record/",
        {"outcome": FollowUpOutcome.NO_CONCERN, "done_on": "2026-12-02",
         "incident_summary": "Kept summary Z"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Kept summary Z" in response.content.decode()
    contact.refresh_from_db()
    assert contact.done_on is None


# --- API ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "status"),
    [
        ("anonymous", 403),
        ("coordinator", 200),
        ("regional", 200),
        ("monitor", 200),
        ("auditor", 200),
        ("liaison", 403),
        ("admin", 403),
    ],
)
def test_api_follow_ups_role_matrix(
    client_for: Any, risky_appeal: Any, actor: str, status: int
) -> None:
    _open_contact(risky_appeal)
    response = client_for(actor).get("/api/v1/follow-ups/")
    assert response.status_code in ((401, 403) if actor == "anonymous" else (status,))
    if status == 200:
        expected = 0 if actor == "monitor" else 1
        assert response.json()["count"] == expected


def test_api_record_outcome(client_for: Any, risky_appeal: Any) -> None:
    contact = _open_contact(risky_appeal)
    client = client_for("coordinator")
    response = client.post(
        f"/api/v1/follow-ups/{contact.public_id}/record/",
        {"outcome": "no_concern", "done_on": "2026-12-02"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["outcome"] == "no_concern"
    again = client.post(
        f"/api/v1/follow-ups/{contact.public_id}/record/",
        {"outcome": "no_concern"},
        content_type="application/json",
    )
    assert again.status_code == 400
    auditor = client_for("auditor").post(
        f"/api/v1/follow-ups/{_open_contact(risky_appeal).public_id}/record/",
        {"outcome": "no_concern"},
        content_type="application/json",
    )
    assert auditor.status_code == 403


def test_follow_up_list_runs_constant_queries(
    client_for: Any, users: dict[str, Any], risky_appeal: Any, interview: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/appeals/follow-ups/").status_code == 200
        return len(ctx.captured_queries)

    client = client_for("coordinator")
    FollowUpContact.objects.create(appeal=risky_appeal, due_on=TODAY, assigned_to=users["monitor"])
    FollowUpContact.objects.create(interview=interview, due_on=TODAY)
    few = count()
    for _n in range(10):
        FollowUpContact.objects.create(appeal=risky_appeal, due_on=TODAY)
        FollowUpContact.objects.create(interview=interview, due_on=TODAY)
    assert count() == few


@pytest.mark.parametrize(
    ("actor", "status", "scheduled"),
    [
        ("coordinator", 302, 2),
        ("regional", 302, 2),
        ("auditor", 403, 0),
        ("liaison", 404, 0),
        ("admin", 404, 0),
    ],
)
def test_schedule_from_the_appeal_page(
    client_for: Any, risky_appeal: Any, actor: str, status: int, scheduled: int
) -> None:
    from vigil.core.contributions import page_sections

    response = client_for(actor).post(
        f"/appeals/follow-ups/schedule/appeal/{risky_appeal.public_id}/"
    )
    assert response.status_code == status
    assert FollowUpContact.objects.filter(appeal=risky_appeal).count() == scheduled
    if scheduled:
        again = client_for(actor).post(
            f"/appeals/follow-ups/schedule/appeal/{risky_appeal.public_id}/"
        )
        assert again.status_code == 302
        assert FollowUpContact.objects.filter(appeal=risky_appeal).count() == scheduled
        context, _templates = page_sections(
            "appeal_detail", risky_appeal.registered_by, risky_appeal
        )
        assert context["appeal_follow_up_schedule_url"] is None


def test_appeal_section_offers_scheduling_when_at_risk(
    users: dict[str, Any], risky_appeal: Any
) -> None:
    from vigil.core.contributions import page_sections

    context, _templates = page_sections("appeal_detail", users["coordinator"], risky_appeal)
    assert context["appeal_follow_up_schedule_url"] == (
        f"/appeals/follow-ups/schedule/appeal/{risky_appeal.public_id}/"
    )
