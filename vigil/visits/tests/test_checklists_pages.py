"""Checklist pages: the role matrix (who reads, who writes, who gets 404), the fill page one
theme at a time, saving without JavaScript, the htmx autosave endpoint."""

import re
from typing import Any

import pytest

from conftest import ALL_ACTORS
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.visits.enums import VisitState
from vigil.visits.models import ChecklistAnswer, ChecklistResponse
from vigil.visits.services.checklists import checklist_answer, checklist_start
from vigil.visits.tests.test_checklists_answering import build_template

ACTORS = [*ALL_ACTORS, "monitor_outsider"]
READERS = {"coordinator", "regional", "monitor", "auditor"}
WRITERS = {"coordinator", "regional", "monitor"}


def expected(actor: str, *, write: bool = False, ok: int = 200) -> int:
    if actor == "anonymous":
        return 302
    if actor not in READERS:
        return 404  # existence not revealed
    if write and actor not in WRITERS:
        return 403
    return ok


def work_actions() -> list[str]:
    """Audit rows other than sign-ins."""
    return list(
        AuditEvent.objects.exclude(action=AuditAction.USER_LOGGED_IN)
        .order_by("id")
        .values_list("action", flat=True)
    )


@pytest.fixture
def template(db: Any):  # type: ignore[no-untyped-def]
    return build_template()


@pytest.fixture
def visit(make_visit, template, participants):  # type: ignore[no-untyped-def]
    return make_visit(state=VisitState.ON_SITE)


@pytest.fixture
def response(visit, users):  # type: ignore[no-untyped-def]
    return checklist_start(
        actor=users["monitor_lead"], visit=visit, institution=visit.institutions.get()
    )


def overview_url(visit: Any) -> str:
    return f"/visits/{visit.public_id}/checklists/"


def fill_url(visit: Any, response: Any) -> str:
    return f"/visits/{visit.public_id}/checklists/{response.public_id}/"


def answer_url(visit: Any, response: Any, code: str) -> str:
    return f"{fill_url(visit, response)}answers/{code}/"


# ---------------------------------------------------------------- role matrix


@pytest.mark.parametrize("actor", ACTORS)
def test_overview_role_matrix(client_for, visit, template, actor):
    page = client_for(actor).get(overview_url(visit))
    assert page.status_code == expected(actor)
    if page.status_code == 302:
        assert page["Location"].startswith("/accounts/login/")
    if page.status_code == 200:
        body = page.content.decode()
        assert visit.institutions.get().name in body
        assert "Test checklist" in body
        assert "Not started · 5 questions" in body
        assert ("Start the checklist" in body) == (actor in WRITERS)


@pytest.mark.parametrize("actor", ACTORS)
def test_start_role_matrix(client_for, visit, template, actor):
    institution = visit.institutions.get()
    before = work_actions()
    page = client_for(actor).post(
        f"/visits/{visit.public_id}/checklists/start/", {"institution": str(institution.public_id)}
    )
    created = ChecklistResponse.objects.filter(visit=visit).first()
    status = expected(actor, write=True, ok=302)
    assert page.status_code == status
    if actor in WRITERS:
        assert created is not None
        assert page["Location"] == fill_url(visit, created)
        assert work_actions() == [*before, "checklist.started"]
    else:
        assert created is None
        assert work_actions() == before


@pytest.mark.parametrize("actor", ACTORS)
def test_fill_page_role_matrix(client_for, visit, response, actor):
    page = client_for(actor).get(fill_url(visit, response))
    assert page.status_code == expected(actor)
    if page.status_code != 200:
        return
    body = page.content.decode()
    assert "Question YN?" in body
    assert "Question NUM?" not in body  # one theme at a time
    editable = actor in WRITERS
    assert ('hx-post="' in body) == editable
    assert (">Save</button>" in body) == editable
    assert ("disabled" in body) == (not editable)


@pytest.mark.parametrize("actor", ACTORS)
def test_save_without_javascript_role_matrix(client_for, visit, response, template, actor):
    before = work_actions()
    page = client_for(actor).post(
        fill_url(visit, response),
        {"theme": "T1", "value-YN": "yes", "initial-value-YN": "", "comment-YN": ""},
    )
    assert page.status_code == expected(actor, write=True, ok=302)
    answer = ChecklistAnswer.objects.filter(response=response).first()
    if actor in WRITERS:
        assert page["Location"] == fill_url(visit, response) + "?theme=T1"
        assert answer is not None
        assert answer.value == "yes"
        assert work_actions() == [*before, "checklist.answered"]
    else:
        assert answer is None
        assert work_actions() == before


@pytest.mark.parametrize("actor", ACTORS)
def test_autosave_role_matrix(client_for, visit, response, actor):
    before = work_actions()
    page = client_for(actor).post(
        answer_url(visit, response, "NUM"), {"value-NUM": "14"}, headers={"HX-Request": "true"}
    )
    assert page.status_code == expected(actor, write=True)
    answer = ChecklistAnswer.objects.filter(response=response).first()
    if actor in WRITERS:
        assert re.search(r"Saved at \d\d:\d\d", page.content.decode())
        assert answer is not None
        assert answer.value == 14
        assert work_actions() == [*before, "checklist.answered"]
    else:
        assert answer is None
        assert work_actions() == before


def test_regional_representative_outside_the_region_gets_404(
    client_for, make_visit, make_institution, ref, template
):
    visit = make_visit(state=VisitState.ON_SITE, institution=make_institution(region=ref["almaty"]))
    client = client_for("regional")
    assert client.get(overview_url(visit)).status_code == 404
    start = client.post(f"/visits/{visit.public_id}/checklists/start/", {"institution": "x"})
    assert start.status_code == 404
    assert not ChecklistResponse.objects.exists()


def test_a_liaison_never_gets_a_checklist_page(client_for, visit, response, users):
    checklist_answer(
        actor=users["monitor"],
        response=response,
        question=response.template.questions.get(code="TXT"),
        value="Blind spot behind the kitchen",
    )
    client = client_for("liaison")
    for url in (
        overview_url(visit),
        fill_url(visit, response),
        fill_url(visit, response) + "?theme=T8",
    ):
        page = client.get(url)
        assert page.status_code == 404
        assert "Blind spot" not in page.content.decode()


# ---------------------------------------------------------------- the fill page


def test_fill_page_shows_one_theme_with_its_kinds_of_input(client_for, visit, response):
    body = client_for("monitor").get(fill_url(visit, response) + "?theme=T1").content.decode()
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in body
    # Yes / no / partly as big toggle buttons, the choices as a list of checkboxes.
    assert body.count('type="radio" name="value-YN"') == 3
    assert 'class="btn btn-outline-primary btn-lg"' in body
    assert body.count('type="checkbox" name="value-MANY"') == 3
    assert "Nelson Mandela Rules 1" in body
    # Autosave on change, text after a pause; each question sends only its own fields.
    assert 'hx-trigger="change, keyup delay:800ms"' in body
    assert 'hx-params="value-YN,comment-YN,base-YN"' in body
    assert 'src="/static/vigil/checklist.js"' in body
    assert "<script>" not in body  # CSP: no inline code
    assert "style=" not in body  # nor inline style
    assert "0 of 5 answered" in body
    assert '<option value="T8">T8 Systemic issues (0/1)</option>' in body
    assert 'value="T3">Save and go to the next theme' in body
    number = client_for("monitor").get(fill_url(visit, response) + "?theme=T3").content.decode()
    assert 'type="number" name="value-NUM"' in number
    assert 'inputmode="decimal"' in number


def test_saving_a_theme_keeps_going_and_shows_errors_next_to_the_question(
    client_for, visit, response
):
    client = client_for("monitor")
    page = client.post(
        fill_url(visit, response),
        {"theme": "T1", "value-YN": "partial", "value-MANY": ["z", "x"], "go": "T3"},
    )
    assert page["Location"] == fill_url(visit, response) + "?theme=T3"
    assert sorted(
        ChecklistAnswer.objects.filter(response=response).values_list("question__code", flat=True)
    ) == ["MANY", "YN"]
    assert ChecklistAnswer.objects.get(question__code="MANY").value == ["x", "z"]
    bad = client.post(fill_url(visit, response), {"theme": "T3", "value-NUM": "-2"})
    assert bad.status_code == 200
    body = bad.content.decode()
    assert "Please correct the errors below." in body
    assert "Enter a number of 0 or more." in body
    assert 'value="-2"' in body  # what was typed is kept
    assert not ChecklistAnswer.objects.filter(question__code="NUM").exists()
    # The page reports progress over every theme.
    assert "2 of 5 answered" in body


def test_saving_sends_only_what_this_person_changed(client_for, visit, response, users):
    """A teammate answered after this page was shown: the Save button must not overwrite it."""
    client = client_for("monitor")
    shown = client.get(fill_url(visit, response) + "?theme=T1").content.decode()
    assert 'name="initial-value-YN"' in shown
    checklist_answer(
        actor=users["monitor_doctor"],
        response=response,
        question=response.template.questions.get(code="YN"),
        value="no",
    )
    client.post(
        fill_url(visit, response),
        {"theme": "T1", "initial-value-YN": "", "value-MANY": ["y"], "initial-comment-YN": ""},
    )
    assert ChecklistAnswer.objects.get(question__code="YN").value == "no"
    assert ChecklistAnswer.objects.get(question__code="MANY").value == ["y"]


def test_answers_refused_once_the_report_is_drafted(client_for, visit, response, users):
    checklist_answer(
        actor=users["monitor"],
        response=response,
        question=response.template.questions.get(code="YN"),
        value="yes",
    )
    visit.state = VisitState.REPORT_DRAFT
    visit.save()
    client = client_for("monitor")
    page = client.get(fill_url(visit, response))
    body = page.content.decode()
    assert "the answers are shown read-only" in body
    assert "hx-post" not in body
    assert re.search(
        r'value="yes"[^>]*checked[^>]*disabled|value="yes"[^>]*disabled[^>]*checked', body
    )
    before = work_actions()
    post = client.post(fill_url(visit, response), {"theme": "T1", "value-YN": "no"})
    assert post.status_code == 200
    assert "nothing was saved" in post.content.decode()
    auto = client.post(
        answer_url(visit, response, "YN"), {"value-YN": "no"}, headers={"HX-Request": "true"}
    )
    assert auto.status_code == 422
    assert "on site or debriefed" in auto.content.decode()
    assert ChecklistAnswer.objects.get(question__code="YN").value == "yes"
    assert work_actions() == before
    overview = client.get(overview_url(visit)).content.decode()
    assert "View answers" in overview


def test_autosave_refuses_a_bad_value_with_422_and_its_message(client_for, visit, response):
    client = client_for("monitor")
    page = client.post(
        answer_url(visit, response, "ONE"), {"value-ONE": "zzz"}, headers={"HX-Request": "true"}
    )
    assert page.status_code == 422
    assert "Choose one of the options: a, b, c." in page.content.decode()
    unknown = client.post(answer_url(visit, response, "NOPE"), {"value-NOPE": "1"})
    assert unknown.status_code == 404
    # Without htmx the endpoint sends the browser back to the question's theme.
    plain = client.post(answer_url(visit, response, "TXT"), {"value-TXT": "Shown the register"})
    assert plain["Location"] == fill_url(visit, response) + "?theme=T8"
    assert ChecklistAnswer.objects.get(question__code="TXT").value == "Shown the register"


def test_autosave_keeps_the_comment_when_it_is_not_sent(client_for, visit, response):
    client = client_for("monitor")
    hx = {"HX-Request": "true"}
    client.post(
        answer_url(visit, response, "YN"), {"value-YN": "no", "comment-YN": "Cell 2"}, headers=hx
    )
    client.post(answer_url(visit, response, "YN"), {"value-YN": "yes"}, headers=hx)
    answer = ChecklistAnswer.objects.get(question__code="YN")
    assert (answer.value, answer.comment) == ("yes", "Cell 2")
    client.post(answer_url(visit, response, "MANY"), {"comment-MANY": ""}, headers=hx)
    assert not ChecklistAnswer.objects.filter(question__code="MANY").exists()


def test_overview_shows_progress_and_continue(client_for, visit, response, users):
    for code, value in (("YN", "yes"), ("NUM", 3)):
        checklist_answer(
            actor=users["monitor"],
            response=response,
            question=response.template.questions.get(code=code),
            value=value,
        )
    body = client_for("monitor").get(overview_url(visit)).content.decode()
    assert '<progress class="flex-grow-1 checklist-progress" max="5" value="2"' in body
    assert "2 of 5 answered" in body
    assert "Continue" in body
    assert "Start the checklist" not in body
