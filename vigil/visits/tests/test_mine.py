"""The monitor's page and home block: my visits and what is due."""

import datetime

import pytest
from django.utils import timezone

from conftest import ALL_ACTORS
from vigil.visits.enums import QuestionKind, VisitState
from vigil.visits.models import (
    ChecklistAnswer,
    ChecklistQuestion,
    ChecklistResponse,
    ChecklistTemplate,
    Interview,
)

ACTORS = [*ALL_ACTORS, "monitor_lead", "monitor_outsider"]
PAGE_STATUS = {
    "anonymous": 302,
    "admin": 404,
    "coordinator": 200,
    "regional": 200,
    "monitor": 200,
    "monitor_lead": 200,
    "monitor_outsider": 200,
    "liaison": 404,
    "auditor": 404,
}


@pytest.fixture(autouse=True)
def _accounts(participants):
    """Adds the monitor_* accounts."""


@pytest.fixture
def template():
    tpl = ChecklistTemplate.objects.create(code="penal", category="penal", name_en="Penal")
    for n in range(3):
        ChecklistQuestion.objects.create(
            template=tpl,
            code=f"q{n}",
            theme="T3",
            order=n,
            kind=QuestionKind.YES_NO_PARTIAL,
            text_en=f"Question {n}",
        )
    return tpl


def _interview(visit, user, **fields):
    data = {
        "visit": visit,
        "institution": visit.institutions.get(),
        "conducted_by": user,
        "conducted_on": datetime.date(2026, 11, 1),
        "category": "detainee",
        "pseudonym": "Witness A",
        "content_ciphertext": b"sealed",
        "content_key_version": 1,
    }
    data.update(fields)
    return Interview.objects.create(**data)


@pytest.mark.parametrize("actor", ACTORS)
def test_page_role_matrix(client_for, make_visit, actor):
    visit = make_visit(state=VisitState.PLANNED, title="Upcoming colony visit")
    response = client_for(actor).get("/visits/mine/")
    assert response.status_code == PAGE_STATUS[actor]
    if response.status_code != 200:
        return
    body = response.content.decode()
    on_team = actor in ("monitor", "monitor_lead")
    assert (visit.reference in body) == on_team
    if actor in ("coordinator", "regional"):
        assert "not an NPM participant yet" in body


def test_upcoming_and_in_progress(client_for, make_visit):
    upcoming = make_visit(state=VisitState.PREPARED)
    ongoing = make_visit(state=VisitState.ON_SITE)
    closed = make_visit(state=VisitState.CLOSED)
    page = client_for("monitor").get("/visits/mine/").content.decode()
    work, everything = page.split('id="all-mine-heading"')
    assert upcoming.reference in work
    assert ongoing.reference in work
    assert closed.reference not in work
    progress = work.index('id="progress-heading"')
    upcoming_at = work.index('id="upcoming-heading"')
    assert progress < work.index(ongoing.reference, progress) < upcoming_at
    assert upcoming.reference not in work[progress:upcoming_at]
    assert upcoming_at < work.index(upcoming.reference, upcoming_at)
    # Below, all my visits, closed ones too, as a list (sort, count, export).
    for visit in (upcoming, ongoing, closed):
        assert visit.reference in everything
    assert "3 visits" in everything
    assert "export=csv" in everything


def test_unfinished_checklists_are_due(client_for, make_visit, make_institution, template, users):
    partial = make_visit(state=VisitState.ON_SITE)
    response = ChecklistResponse.objects.create(
        visit=partial,
        institution=partial.institutions.get(),
        template=template,
        started_by=users["monitor"],
    )
    first = template.questions.order_by("order").first()
    ChecklistAnswer.objects.create(
        response=response, question=first, value="yes", answered_by=users["monitor"]
    )
    untouched = make_visit(state=VisitState.ON_SITE)
    complete = make_visit(state=VisitState.DEBRIEFED)
    done = ChecklistResponse.objects.create(
        visit=complete,
        institution=complete.institutions.get(),
        template=template,
        started_by=users["monitor"],
    )
    for question in template.questions.all():
        ChecklistAnswer.objects.create(
            response=done, question=question, value="no", answered_by=users["monitor"]
        )
    body = client_for("monitor").get("/visits/mine/").content.decode()
    assert f"/visits/{partial.public_id}/checklists/" in body
    assert "1 of 3 questions answered" in body
    assert f"/visits/{untouched.public_id}/checklists/" in body
    assert "not started" in body
    assert f"/visits/{complete.public_id}/checklists/" not in body
    # Not on the team: nothing due.
    other = client_for("monitor_outsider").get("/visits/mine/").content.decode()
    assert "Nothing is due." in other


def test_reports_to_draft_for_the_lead_only(client_for, make_visit):
    debriefed = make_visit(state=VisitState.DEBRIEFED)
    drafting = make_visit(state=VisitState.REPORT_DRAFT)
    in_review = make_visit(state=VisitState.REPORT_REVIEW)
    lead = client_for("monitor_lead").get("/visits/mine/").content.decode()
    assert f"/visits/{debriefed.public_id}/report/" in lead
    assert f"/visits/{drafting.public_id}/report/" in lead
    assert f"/visits/{in_review.public_id}/report/" not in lead
    member = client_for("monitor").get("/visits/mine/").content.decode()
    assert "/report/" not in member


def test_follow_up_contacts_for_the_lead(client_for, make_visit, users):
    visit = make_visit(state=VisitState.CLOSED)
    today = timezone.localdate()
    _interview(
        visit,
        users["monitor"],
        pseudonym="Due soon",
        follow_up_on=today + datetime.timedelta(days=7),
    )
    _interview(
        visit,
        users["monitor"],
        pseudonym="Overdue",
        follow_up_on=today - datetime.timedelta(days=3),
    )
    _interview(
        visit, users["monitor"], pseudonym="Later", follow_up_on=today + datetime.timedelta(days=8)
    )
    _interview(
        visit,
        users["monitor"],
        pseudonym="Done",
        follow_up_on=today,
        follow_up_done_on=today,
    )
    lead = client_for("monitor_lead").get("/visits/mine/").content.decode()
    assert "Due soon" in lead
    assert "Overdue" in lead
    assert "Later" not in lead
    assert "Done" not in lead
    assert lead.index("Overdue") < lead.index("Due soon")
    assert f"/visits/{visit.public_id}/interviews/" in lead
    member = client_for("monitor").get("/visits/mine/").content.decode()
    assert "Due soon" not in member


def test_home_page_block_for_monitors(client_for, make_visit, users):
    visit = make_visit(state=VisitState.DEBRIEFED)
    home = client_for("monitor_lead").get("/").content.decode()
    assert 'data-testid="my-work"' in home
    assert f"/visits/{visit.public_id}/report/" in home
    assert 'data-testid="my-work"' not in client_for("auditor").get("/").content.decode()
    assert 'data-testid="my-work"' not in client_for("coordinator").get("/").content.decode()


def test_home_page_block_for_planners(client_for, make_visit, make_institution, ref):
    make_visit(state=VisitState.DRAFT)
    make_visit(state=VisitState.REPORT_REVIEW)
    make_visit(state=VisitState.DRAFT, institution=make_institution(region=ref["almaty"]))
    coordinator = client_for("coordinator").get("/").content.decode()
    assert 'data-testid="planner-work"' in coordinator
    assert '?state=draft">2<' in coordinator
    assert '?state=report_review">1<' in coordinator
    regional = client_for("regional").get("/").content.decode()
    assert '?state=draft">1<' in regional
    for actor in ("monitor", "liaison", "auditor"):
        assert 'data-testid="planner-work"' not in client_for(actor).get("/").content.decode()
