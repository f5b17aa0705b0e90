"""Answering checklists (services): starting one per visited institution, answer validation by
kind, part-way saving, the visit states that allow it, audit rows."""

import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given
from hypothesis import strategies as st

from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.visits.enums import QuestionKind, VisitState
from vigil.visits.models import (
    ChecklistAnswer,
    ChecklistQuestion,
    ChecklistResponse,
    ChecklistTemplate,
)
from vigil.visits.selectors.checklists import checklist_responses_visible_to, checklist_sections
from vigil.visits.services.checklists import (
    AnswerInput,
    checklist_answer,
    checklist_answers_save,
    checklist_start,
    checklist_value_clean,
)


def _options(*codes: str) -> list[dict[str, str]]:
    return [
        {"code": code, "kk": f"{code} нұсқасы", "ru": f"вариант {code}", "en": f"option {code}"}
        for code in codes
    ]


def build_template(category: str = "penal", code: str = "TEST_PENAL") -> ChecklistTemplate:
    """A small template with one question of each kind: YN (T1), MANY (T1), NUM (T3),
    ONE (T4), TXT (T8)."""
    template = ChecklistTemplate.objects.create(
        code=code,
        category=category,
        name_en="Test checklist",
        name_ru="Тестовый чек-лист",
        name_kk="Сынақ тексеру парағы",
    )
    rows: list[tuple[str, str, str, list[dict[str, str]]]] = [
        ("YN", "T1", QuestionKind.YES_NO_PARTIAL, []),
        ("MANY", "T1", QuestionKind.MULTIPLE_CHOICE, _options("x", "y", "z")),
        ("NUM", "T3", QuestionKind.NUMBER, []),
        ("ONE", "T4", QuestionKind.SINGLE_CHOICE, _options("a", "b", "c")),
        ("TXT", "T8", QuestionKind.TEXT, []),
    ]
    for order, (qcode, theme, kind, options) in enumerate(rows):
        ChecklistQuestion.objects.create(
            template=template,
            code=qcode,
            theme=theme,
            order=order * 10,
            kind=kind,
            text_en=f"Question {qcode}?",
            text_ru=f"Вопрос {qcode}?",
            text_kk=f"{qcode} сұрағы?",
            options=options,
            references="Nelson Mandela Rules 1",
        )
    return template


def question(template: ChecklistTemplate, code: str) -> ChecklistQuestion:
    return template.questions.get(code=code)


def checklist_actions() -> list[str]:
    return list(
        AuditEvent.objects.filter(action__startswith="checklist.")
        .order_by("id")
        .values_list("action", flat=True)
    )


@pytest.fixture
def template(db: Any) -> ChecklistTemplate:
    return build_template()


@pytest.fixture
def on_site(make_visit):  # type: ignore[no-untyped-def]
    return make_visit(state=VisitState.ON_SITE)


@pytest.fixture
def started(on_site, template, users):  # type: ignore[no-untyped-def]
    return checklist_start(
        actor=users["monitor"], visit=on_site, institution=on_site.institutions.get()
    )


# ---------------------------------------------------------------- starting


def test_start_picks_the_template_of_the_category_and_is_audited(on_site, template, users):
    institution = on_site.institutions.get()
    response = checklist_start(actor=users["monitor"], visit=on_site, institution=institution)
    assert response.template == template
    assert response.started_by == users["monitor"]
    event = AuditEvent.objects.get(action=AuditAction.CHECKLIST_STARTED)
    assert event.target_id == str(response.public_id)
    assert event.data["template"] == "TEST_PENAL"
    # Once per visit and institution: starting again gives the same one, no second row.
    again = checklist_start(actor=users["monitor_lead"], visit=on_site, institution=institution)
    assert again.pk == response.pk
    assert ChecklistResponse.objects.count() == 1
    assert checklist_actions() == ["checklist.started"]


def test_start_refuses_an_institution_outside_the_visit(on_site, template, users, make_institution):
    other = make_institution()
    with pytest.raises(ValidationError) as info:
        checklist_start(actor=users["monitor"], visit=on_site, institution=other)
    assert info.value.message_dict["institution"] == ["This institution is not part of the visit."]


def test_start_without_a_template_for_the_category_says_which(make_visit, users):
    visit = make_visit(state=VisitState.ON_SITE)
    with pytest.raises(ValidationError) as info:
        checklist_start(actor=users["monitor"], visit=visit, institution=visit.institutions.get())
    message = info.value.message_dict["institution"][0]
    assert "Penal institution" in message
    assert "load_checklists" in message
    assert not ChecklistResponse.objects.exists()


@pytest.mark.parametrize(
    "state",
    [
        VisitState.DRAFT,
        VisitState.PLANNED,
        VisitState.PREPARED,
        VisitState.REPORT_DRAFT,
        VisitState.REPORT_APPROVED,
        VisitState.CLOSED,
        VisitState.CANCELLED,
    ],
)
def test_start_and_answer_refused_outside_on_site_and_debriefed(make_visit, template, users, state):
    visit = make_visit(state=state)
    with pytest.raises(ValidationError) as info:
        checklist_start(actor=users["monitor"], visit=visit, institution=visit.institutions.get())
    assert "on site or debriefed" in info.value.message_dict["visit"][0]
    # A checklist started earlier cannot be changed either.
    response = ChecklistResponse.objects.create(
        visit=visit,
        institution=visit.institutions.get(),
        template=template,
        started_by=users["monitor"],
    )
    with pytest.raises(ValidationError) as info:
        checklist_answer(
            actor=users["monitor"],
            response=response,
            question=question(template, "YN"),
            value="yes",
        )
    assert "on site or debriefed" in info.value.message_dict["visit"][0]
    assert not ChecklistAnswer.objects.exists()
    assert checklist_actions() == []


def test_answers_may_be_completed_once_debriefed(make_visit, template, users):
    visit = make_visit(state=VisitState.DEBRIEFED)
    response = checklist_start(
        actor=users["monitor"], visit=visit, institution=visit.institutions.get()
    )
    answer = checklist_answer(
        actor=users["monitor"], response=response, question=question(template, "NUM"), value="4"
    )
    assert answer is not None
    assert answer.value == 4


@pytest.mark.parametrize(
    "actor", ["admin", "liaison", "auditor", "other_liaison", "monitor_outsider"]
)
def test_only_those_who_work_on_the_visit_may_answer(started, template, users, actor):
    with pytest.raises(PermissionDenied):
        checklist_answer(
            actor=users[actor], response=started, question=question(template, "YN"), value="yes"
        )
    with pytest.raises(PermissionDenied):
        checklist_start(actor=users[actor], visit=started.visit, institution=started.institution)
    assert not ChecklistAnswer.objects.exists()
    assert checklist_actions() == ["checklist.started"]


@pytest.mark.parametrize("actor", ["coordinator", "regional", "monitor", "monitor_lead"])
def test_team_and_planners_in_scope_may_answer(started, template, users, actor):
    answer = checklist_answer(
        actor=users[actor], response=started, question=question(template, "YN"), value="partial"
    )
    assert answer is not None
    assert answer.answered_by == users[actor]


# ---------------------------------------------------------------- validation by kind


VALID = [
    ("YN", "yes", "yes"),
    ("YN", " No ", "no"),
    ("YN", "partial", "partial"),
    ("NUM", "12", 12),
    ("NUM", "3,5", 3.5),
    ("NUM", "1 200", 1200),
    ("NUM", 0, 0),
    ("NUM", 2.25, 2.25),
    ("ONE", "b", "b"),
    ("MANY", ["z", "x"], ["x", "z"]),
    ("MANY", ["y", "y"], ["y"]),
    ("TXT", "  Cell 4: no window.  ", "Cell 4: no window."),
    ("TXT", "line one\r\nline two", "line one\nline two"),
    ("YN", "", None),
    ("MANY", [], None),
    ("TXT", "   ", None),
    ("NUM", None, None),
]

INVALID = [
    ("YN", "maybe", "Answer “yes”, “no” or “partial”."),
    ("YN", True, "Answer “yes”, “no” or “partial”."),
    ("NUM", "-1", "Enter a number of 0 or more."),
    ("NUM", "twelve", "Enter a number, for example 12 or 3.5."),
    ("NUM", True, "Enter a number, for example 12 or 3.5."),
    ("NUM", "NaN", "Enter a number, for example 12 or 3.5."),
    ("NUM", "1e12", "Enter a number of at most 1,000,000,000."),
    ("ONE", "d", "Choose one of the options: a, b, c."),
    ("ONE", ["a"], "Choose one of the options: a, b, c."),
    ("MANY", "x", "Give a list of option codes."),
    ("MANY", ["x", "q"], "Unknown option: q. Choose from: x, y, z."),
    ("TXT", 5, "Enter the answer as text."),
    ("TXT", "x" * 5001, "Keep the answer to 5000 characters (it has 5001)."),
]


@pytest.mark.parametrize(
    ("code", "value", "stored"), VALID, ids=[f"{c}-{i}" for i, (c, _, _) in enumerate(VALID)]
)
def test_valid_values_are_stored_in_their_clean_form(started, template, users, code, value, stored):
    answer = checklist_answer(
        actor=users["monitor"], response=started, question=question(template, code), value=value
    )
    if stored is None:
        assert answer is None
        assert not ChecklistAnswer.objects.exists()
    else:
        assert answer is not None
        answer.refresh_from_db()
        assert answer.value == stored


@pytest.mark.parametrize(
    ("code", "value", "message"), INVALID, ids=[f"{c}-{i}" for i, (c, _, _) in enumerate(INVALID)]
)
def test_invalid_values_are_refused_with_a_message_on_the_value(
    started, template, users, code, value, message
):
    with pytest.raises(ValidationError) as info:
        checklist_answer(
            actor=users["monitor"], response=started, question=question(template, code), value=value
        )
    assert info.value.message_dict == {"value": [message]}
    assert not ChecklistAnswer.objects.exists()
    assert "checklist.answered" not in checklist_actions()


def test_a_question_of_another_template_or_retired_is_refused(started, template, users):
    other = build_template(category="police", code="TEST_POLICE")
    with pytest.raises(ValidationError) as info:
        checklist_answer(
            actor=users["monitor"], response=started, question=question(other, "YN"), value="yes"
        )
    assert info.value.message_dict == {"question": ["This question is not part of this checklist."]}
    retired = question(template, "TXT")
    retired.is_active = False
    retired.save()
    with pytest.raises(ValidationError):
        checklist_answer(actor=users["monitor"], response=started, question=retired, value="text")


def test_comment_is_kept_unless_given_and_limited(started, template, users):
    q = question(template, "YN")
    checklist_answer(
        actor=users["monitor"], response=started, question=q, value="no", comment="Seen in cell 3"
    )
    answer = checklist_answer(actor=users["monitor"], response=started, question=q, value="partial")
    assert answer is not None
    assert answer.comment == "Seen in cell 3"
    with pytest.raises(ValidationError) as info:
        checklist_answer(
            actor=users["monitor"], response=started, question=q, value="no", comment="x" * 2001
        )
    assert list(info.value.message_dict) == ["comment"]
    # A comment alone is an answer row too (the value may come later).
    only_comment = checklist_answer(
        actor=users["monitor"],
        response=started,
        question=question(template, "NUM"),
        value="",
        comment="Register not shown",
    )
    assert only_comment is not None
    assert only_comment.value is None


# ---------------------------------------------------------------- part-way, updates, audit


def test_part_way_saving_and_answering_again_updates(started, template, users):
    checklist_answer(
        actor=users["monitor"], response=started, question=question(template, "YN"), value="yes"
    )
    checklist_answer(
        actor=users["monitor_lead"],
        response=started,
        question=question(template, "NUM"),
        value="7",
    )
    sections, answers = checklist_sections(started)
    assert [(s.theme, s.answered, s.total) for s in sections] == [
        ("T1", 1, 2),
        ("T3", 1, 1),
        ("T4", 0, 1),
        ("T8", 0, 1),
    ]
    assert len(answers) == 2
    answer = checklist_answer(
        actor=users["monitor_doctor"],
        response=started,
        question=question(template, "YN"),
        value="no",
    )
    assert answer is not None
    assert ChecklistAnswer.objects.filter(response=started).count() == 2
    assert ChecklistAnswer.objects.get(question__code="YN").value == "no"
    assert answer.answered_by == users["monitor_doctor"]
    progress = checklist_responses_visible_to(users["coordinator"]).get(pk=started.pk)
    assert (progress.answered, progress.total) == (2, 5)  # type: ignore[attr-defined]


def test_saving_the_same_answer_again_writes_nothing(started, template, users):
    q = question(template, "MANY")
    first = checklist_answer(actor=users["monitor"], response=started, question=q, value=["x"])
    assert first is not None
    before = (first.updated_at, AuditEvent.objects.count())
    again = checklist_answer(actor=users["monitor"], response=started, question=q, value=["x"])
    assert again is not None
    again.refresh_from_db()
    assert (again.updated_at, AuditEvent.objects.count()) == before


def test_each_saved_answer_writes_one_audit_row_without_free_text(started, template, users):
    checklist_answer(
        actor=users["monitor"], response=started, question=question(template, "ONE"), value="c"
    )
    checklist_answer(
        actor=users["monitor"],
        response=started,
        question=question(template, "TXT"),
        value="Detainee said guards beat him",
        comment="Asked to stay anonymous",
    )
    events = list(AuditEvent.objects.filter(action=AuditAction.CHECKLIST_ANSWERED).order_by("id"))
    assert [e.data["question"] for e in events] == ["ONE", "TXT"]
    assert events[0].data["value"] == "c"
    assert events[0].target_id == str(started.public_id)
    dumped = json.dumps([e.data for e in events]) + "".join(e.target_label for e in events)
    assert "beat" not in dumped
    assert "anonymous" not in dumped
    assert events[1].data == {"question": "TXT", "characters": 29, "comment_changed": True}


def test_a_list_of_answers_is_saved_all_or_nothing(started, template, users):
    items = [
        AnswerInput(question="YN", value="yes"),
        AnswerInput(question="NUM", value=-3),
        AnswerInput(question="NOPE", value="x"),
        AnswerInput(question="YN", value="no"),
    ]
    with pytest.raises(ValidationError) as info:
        checklist_answers_save(actor=users["monitor"], response=started, answers=items)
    assert info.value.message_dict == {
        "1.value": ["Enter a number of 0 or more."],
        "2.question": ["There is no question “NOPE” in this checklist."],
        "3.question": ["This question is answered twice in the list."],
    }
    assert not ChecklistAnswer.objects.exists()
    saved = checklist_answers_save(
        actor=users["monitor"],
        response=started,
        answers=[AnswerInput(question="YN", value="yes"), AnswerInput(question="ONE", value="a")],
    )
    assert [a.value for a in saved if a is not None] == ["yes", "a"]


def test_a_liaison_never_gets_a_checklist(started, users, make_visit, template):
    debriefed = make_visit(state=VisitState.DEBRIEFED)
    checklist_start(
        actor=users["coordinator"], visit=debriefed, institution=debriefed.institutions.get()
    )
    # Both visits have started and are of the liaison's agency: still no checklist.
    assert checklist_responses_visible_to(users["coordinator"]).count() == 2
    for actor in ("liaison", "other_liaison", "admin", "monitor_outsider"):
        assert checklist_responses_visible_to(users[actor]).count() == 0


# ---------------------------------------------------------------- property: cleaning is stable


_QUESTIONS = {
    kind: ChecklistQuestion(
        code=kind,
        theme="T1",
        kind=kind,
        options=_options("a", "b", "c") if "choice" in kind else [],
    )
    for kind in QuestionKind.values
}
_ANY_VALUE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["yes", "no", "partial", "a", "b", "c", "12", "3,5", "-0", "1e3"]),
    st.lists(st.sampled_from(["a", "b", "c", "d"]), max_size=5),
)


@given(kind=st.sampled_from(QuestionKind.values), value=_ANY_VALUE)
def test_cleaning_either_refuses_on_value_or_gives_a_stable_json_value(kind, value):
    q = _QUESTIONS[kind]
    try:
        cleaned = checklist_value_clean(q, value)
    except ValidationError as exc:
        refused_on = list(exc.message_dict)
        cleaned = refused = None
    else:
        refused_on = refused = ["value"]
    if refused is None:
        assert refused_on == ["value"]
        return
    assert json.loads(json.dumps(cleaned)) == cleaned
    assert checklist_value_clean(q, cleaned) == cleaned
