"""Answers queued offline (issue 12.4): each carries the revision of the answer it was changed
from; a stale one is refused (409) with both answers, never written over a newer one. The
fill page of a visit the person is on is marked for the service worker's sealed copy."""

import pytest
from django.core.exceptions import ValidationError

from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.visits.enums import VisitState
from vigil.visits.models import ChecklistAnswer
from vigil.visits.services.checklists import (
    ChecklistAnswerConflict,
    answer_revision,
    checklist_answer,
    checklist_start,
)
from vigil.visits.tests.test_checklists_answering import build_template
from vigil.visits.tests.test_checklists_pages import answer_url, fill_url

HX = {"HX-Request": "true"}


@pytest.fixture
def visit(make_visit, participants):  # type: ignore[no-untyped-def]
    build_template()
    return make_visit(state=VisitState.ON_SITE)


@pytest.fixture
def response(visit, users):  # type: ignore[no-untyped-def]
    return checklist_start(
        actor=users["monitor_lead"], visit=visit, institution=visit.institutions.get()
    )


def answered(code: str) -> int:
    return AuditEvent.objects.filter(
        action=AuditAction.CHECKLIST_ANSWERED, data__question=code
    ).count()


def test_a_change_from_the_current_revision_is_saved(users, response):
    question = response.template.questions.get(code="YN")
    first = checklist_answer(
        actor=users["monitor"], response=response, question=question, value="no"
    )
    assert first is not None
    again = checklist_answer(
        actor=users["monitor"],
        response=response,
        question=question,
        value="yes",
        base=answer_revision(first),
    )
    assert again is not None
    assert again.value == "yes"
    assert answer_revision(again) != answer_revision(first)


def test_a_stale_change_is_refused_and_nothing_is_written(users, response):
    question = response.template.questions.get(code="YN")
    checklist_answer(actor=users["monitor_lead"], response=response, question=question, value="no")
    with pytest.raises(ChecklistAnswerConflict) as refused:
        # Made offline from "no answer yet" (""), while a teammate answered "no".
        checklist_answer(
            actor=users["monitor"], response=response, question=question, value="yes", base=""
        )
    assert refused.value.answer.value == "no"
    assert refused.value.value == "yes"
    assert ChecklistAnswer.objects.get(question=question).value == "no"
    assert answered("YN") == 1
    # The same answer as the saved one is no conflict (sent twice: saved once).
    same = checklist_answer(
        actor=users["monitor"], response=response, question=question, value="no", base=""
    )
    assert same is not None
    assert same.value == "no"
    assert answered("YN") == 1


def test_validation_comes_before_the_conflict(users, response):
    question = response.template.questions.get(code="ONE")
    with pytest.raises(ValidationError):
        checklist_answer(
            actor=users["monitor"], response=response, question=question, value="zzz", base="1"
        )


@pytest.mark.django_db
def test_autosave_answers_409_with_both_answers_and_the_current_revision(
    client_for, visit, response, users
):
    question = response.template.questions.get(code="YN")
    theirs = checklist_answer(
        actor=users["monitor_lead"], response=response, question=question, value="no"
    )
    client = client_for("monitor")
    page = client.post(
        answer_url(visit, response, "YN"), {"value-YN": "partial", "base-YN": ""}, headers=HX
    )
    assert page.status_code == 409
    assert page["X-Vigil-Revision"] == answer_revision(theirs)
    body = page.content.decode()
    assert "Saved answer: «No»" in body
    assert "Your answer, not saved: «Partly»" in body
    assert "data-conflict-mine" in body
    assert ChecklistAnswer.objects.get(question=question).value == "no"
    # Sent again from their revision (the person chose "Save mine instead"): saved.
    mine = client.post(
        answer_url(visit, response, "YN"),
        {"value-YN": "partial", "base-YN": answer_revision(theirs)},
        headers=HX,
    )
    assert mine.status_code == 200
    saved = ChecklistAnswer.objects.get(question=question)
    assert saved.value == "partial"
    assert mine["X-Vigil-Revision"] == answer_revision(saved)


@pytest.mark.django_db
def test_plain_form_post_shows_the_conflict_and_keeps_theirs(client_for, visit, response, users):
    question = response.template.questions.get(code="YN")
    checklist_answer(actor=users["monitor_lead"], response=response, question=question, value="no")
    page = client_for("monitor").post(
        fill_url(visit, response),
        {"theme": "T1", "value-YN": "yes", "initial-value-YN": "", "base-YN": ""},
    )
    assert page.status_code == 200
    assert "saved another answer meanwhile" in page.content.decode()
    assert ChecklistAnswer.objects.get(question=question).value == "no"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("actor", "kept"),
    [("monitor", True), ("monitor_lead", True), ("coordinator", False), ("auditor", False)],
)
def test_only_the_team_gets_pages_marked_for_an_offline_copy(
    client_for, visit, response, actor, kept
):
    page = client_for(actor).get(fill_url(visit, response))
    assert page.status_code == 200
    assert (page.get("X-Vigil-Offline") == "keep") is kept
    assert 'name="base-YN" value=""' in page.content.decode()
