"""API v1 for checklists: templates for every account, responses and answers with the
visits policy (role matrix, denied writes change nothing), validation errors by field."""

from typing import Any

import pytest

from conftest import ALL_ACTORS
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.visits.enums import VisitState
from vigil.visits.models import ChecklistAnswer, ChecklistResponse
from vigil.visits.services.checklists import checklist_answer, checklist_start
from vigil.visits.tests.test_checklists_answering import build_template

API = "/api/v1"
ACTORS = [*ALL_ACTORS, "monitor_outsider"]
READERS = {"coordinator", "regional", "monitor", "auditor"}
WRITERS = {"coordinator", "regional", "monitor"}


def work_actions() -> list[str]:
    return list(
        AuditEvent.objects.exclude(action=AuditAction.USER_LOGGED_IN)
        .order_by("id")
        .values_list("action", flat=True)
    )


def assert_anonymous(response: Any) -> None:
    assert response.status_code in (401, 403), response.content
    assert response.json() == {"detail": "Authentication credentials were not provided."}


@pytest.fixture
def template(db: Any):  # type: ignore[no-untyped-def]
    return build_template()


@pytest.fixture
def visit(make_visit, template):  # type: ignore[no-untyped-def]
    return make_visit(state=VisitState.ON_SITE)


@pytest.fixture
def response(visit, users):  # type: ignore[no-untyped-def]
    started = checklist_start(
        actor=users["monitor_lead"], visit=visit, institution=visit.institutions.get()
    )
    checklist_answer(
        actor=users["monitor_lead"],
        response=started,
        question=started.template.questions.get(code="TXT"),
        value="No register of restraint",
    )
    return started


# ---------------------------------------------------------------- templates


@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_templates_are_readable_by_every_account(client_for, template, actor):
    client = client_for(actor)
    listing = client.get(f"{API}/checklist-templates/")
    detail = client.get(f"{API}/checklist-templates/TEST_PENAL/")
    if actor == "anonymous":
        assert_anonymous(listing)
        assert_anonymous(detail)
        return
    assert listing.status_code == 200
    [row] = listing.json()["results"]
    assert row["code"] == "TEST_PENAL"
    assert row["question_count"] == 5
    assert "questions" not in row
    body = detail.json()
    assert [q["code"] for q in body["questions"]] == ["YN", "MANY", "NUM", "ONE", "TXT"]
    many = body["questions"][1]
    assert many["kind"] == "multiple_choice"
    assert many["options"][0] == {
        "code": "x",
        "label": "option x",
        "kk": "x нұсқасы",
        "ru": "вариант x",
        "en": "option x",
    }
    assert body["questions"][0]["references"] == "Nelson Mandela Rules 1"


def test_templates_filter_by_category_and_speak_the_request_language(client_for, template):
    build_template(category="police", code="TEST_POLICE")
    client = client_for("monitor")
    rows = client.get(f"{API}/checklist-templates/?category=police").json()["results"]
    assert [r["code"] for r in rows] == ["TEST_POLICE"]
    detail = client.get(f"{API}/checklist-templates/TEST_PENAL/", HTTP_ACCEPT_LANGUAGE="kk")
    assert detail.json()["name"] == "Сынақ тексеру парағы"
    assert detail.json()["questions"][0]["text"] == "YN сұрағы?"
    assert client.get(f"{API}/checklist-templates/NOPE/").status_code == 404


# ---------------------------------------------------------------- responses


@pytest.mark.parametrize("actor", ACTORS)
def test_response_list_and_detail_role_matrix(client_for, visit, response, actor):
    client = client_for(actor)
    listing = client.get(f"{API}/checklist-responses/")
    detail = client.get(f"{API}/checklist-responses/{response.public_id}/")
    if actor == "anonymous":
        assert_anonymous(listing)
        assert_anonymous(detail)
        return
    assert listing.status_code == 200
    ids = [row["id"] for row in listing.json()["results"]]
    if actor in READERS:
        assert ids == [str(response.public_id)]
        body = detail.json()
        assert body["visit"] == str(visit.public_id)
        assert body["template"] == "TEST_PENAL"
        assert (body["answered"], body["total"]) == (1, 5)
        assert body["answers"][0]["question"] == "TXT"
        assert body["answers"][0]["value"] == "No register of restraint"
    else:
        assert ids == []
        assert detail.status_code == 404
        assert "restraint" not in detail.content.decode()


@pytest.mark.parametrize("actor", ACTORS)
def test_start_role_matrix(client_for, visit, template, actor):
    before = work_actions()
    payload = {
        "visit": str(visit.public_id),
        "institution": str(visit.institutions.get().public_id),
    }
    result = client_for(actor).post(
        f"{API}/checklist-responses/", payload, content_type="application/json"
    )
    created = ChecklistResponse.objects.first()
    if actor == "anonymous":
        assert_anonymous(result)
    elif actor in WRITERS:
        assert result.status_code == 201, result.content
        assert created is not None
        assert result.json()["id"] == str(created.public_id)
        assert result.json()["answers"] == []
        assert work_actions() == [*before, "checklist.started"]
        return
    elif actor == "auditor":
        assert result.status_code == 403
    else:
        # Liaison, administrator, a monitor not on the team: the visit is not there for them.
        assert result.status_code == 400
        assert result.json()["errors"] == {"visit": ["There is no such visit."]}
    assert created is None
    assert work_actions() == before


def test_starting_again_answers_200_with_the_same_checklist(client_for, visit, response):
    payload = {
        "visit": str(visit.public_id),
        "institution": str(visit.institutions.get().public_id),
    }
    again = client_for("monitor").post(
        f"{API}/checklist-responses/", payload, content_type="application/json"
    )
    assert again.status_code == 200
    assert again.json()["id"] == str(response.public_id)
    assert ChecklistResponse.objects.count() == 1


def test_start_is_refused_before_the_visit_with_a_message(client_for, make_visit, template):
    planned = make_visit(state=VisitState.PLANNED)
    payload = {
        "visit": str(planned.public_id),
        "institution": str(planned.institutions.get().public_id),
    }
    result = client_for("coordinator").post(
        f"{API}/checklist-responses/", payload, content_type="application/json"
    )
    assert result.status_code == 400
    assert "on site or debriefed" in result.json()["errors"]["visit"][0]
    assert not ChecklistResponse.objects.exists()


# ---------------------------------------------------------------- answers


@pytest.mark.parametrize("actor", ACTORS)
def test_answers_role_matrix(client_for, visit, response, actor):
    before = work_actions()
    result = client_for(actor).post(
        f"{API}/checklist-responses/{response.public_id}/answers/",
        {"question": "YN", "value": "partial", "comment": "Only in block B"},
        content_type="application/json",
    )
    answer = ChecklistAnswer.objects.filter(question__code="YN").first()
    if actor == "anonymous":
        assert_anonymous(result)
    elif actor in WRITERS:
        assert result.status_code == 200, result.content
        assert result.json()[0]["value"] == "partial"
        assert answer is not None
        assert answer.comment == "Only in block B"
        assert work_actions() == [*before, "checklist.answered"]
        return
    else:
        assert result.status_code == (403 if actor == "auditor" else 404)
    assert answer is None
    assert work_actions() == before


def test_a_list_of_answers_is_all_or_nothing_with_errors_by_position(client_for, response):
    url = f"{API}/checklist-responses/{response.public_id}/answers/"
    client = client_for("monitor")
    bad = client.post(
        url,
        [{"question": "NUM", "value": 4}, {"question": "ONE", "value": "q"}],
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert bad.json()["errors"] == {"1.value": ["Choose one of the options: a, b, c."]}
    assert not ChecklistAnswer.objects.filter(question__code="NUM").exists()
    good = client.post(
        url,
        [{"question": "MANY", "value": ["z", "y"]}, {"question": "NUM", "value": "2,5"}],
        content_type="application/json",
    )
    assert good.status_code == 200
    assert [(a["question"], a["value"]) for a in good.json()] == [
        ("MANY", ["y", "z"]),
        ("NUM", 2.5),
    ]
    detail = client.get(f"{API}/checklist-responses/{response.public_id}/").json()
    assert (detail["answered"], detail["total"]) == (3, 5)


def test_single_answer_errors_name_the_field(client_for, response):
    url = f"{API}/checklist-responses/{response.public_id}/answers/"
    client = client_for("monitor")
    wrong = client.post(url, {"question": "YN", "value": "maybe"}, content_type="application/json")
    assert wrong.status_code == 400
    assert wrong.json()["errors"] == {"value": ["Answer “yes”, “no” or “partial”."]}
    missing = client.post(url, {"question": "ZZZ", "value": 1}, content_type="application/json")
    assert missing.json()["errors"] == {
        "question": ["There is no question “ZZZ” in this checklist."]
    }
    shape = client.post(url, {"value": 1}, content_type="application/json")
    assert shape.status_code == 400
    assert "question" in shape.json()["errors"]


def test_answers_refused_after_the_report_is_drafted(client_for, visit, response):
    visit.state = VisitState.REPORT_DRAFT
    visit.save()
    result = client_for("monitor").post(
        f"{API}/checklist-responses/{response.public_id}/answers/",
        {"question": "YN", "value": "yes"},
        content_type="application/json",
    )
    assert result.status_code == 400
    assert "on site or debriefed" in result.json()["errors"]["visit"][0]
    assert not ChecklistAnswer.objects.filter(question__code="YN").exists()


def test_filter_by_visit_and_bad_ids(client_for, visit, response, make_visit):
    other = make_visit(state=VisitState.ON_SITE)
    checklist_start(actor=response.started_by, visit=other, institution=other.institutions.get())
    client = client_for("coordinator")
    rows = client.get(f"{API}/checklist-responses/?visit={visit.public_id}").json()["results"]
    assert [r["id"] for r in rows] == [str(response.public_id)]
    assert len(client.get(f"{API}/checklist-responses/").json()["results"]) == 2
    assert client.get(f"{API}/checklist-responses/not-a-uuid/").status_code == 404
    assert client.get(f"{API}/checklist-responses/?visit=nope").status_code == 400
