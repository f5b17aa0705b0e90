"""Checklists: answering them during a visit (the templates are loaded by
`.checklist_templates`).

Answering is permission-checked with the visits policy (`can_work_on_visit`), allowed while
the visit is on site or debriefed (answers may be completed after the visit, until the report
is drafted), validated by the kind of question and audited in the same transaction. Each
answer is saved on its own, so a checklist can be filled part-way; answering again updates.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_record
from vigil.reference.enums import InstitutionCategory
from vigil.registry.models import Institution

from ..enums import QuestionKind, VisitState
from ..models import (
    ChecklistAnswer,
    ChecklistQuestion,
    ChecklistResponse,
    Visit,
)
from ..permissions import ANSWERING_STATES, can_work_on_visit
from ..selectors.checklists import template_for_institution

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
# A checklist is filled on site and may be completed after the visit, until the report is drafted.
YES_NO_PARTIAL = ("yes", "no", "partial")
MAX_NUMBER = 1_000_000_000
MAX_TEXT = 5000
MAX_COMMENT = 2000


def _require_answering(actor: User, visit: Visit) -> None:
    if not can_work_on_visit(actor, visit):
        raise PermissionDenied(_("You may not fill in checklists on this visit."))
    if visit.state not in ANSWERING_STATES:
        raise ValidationError(
            {
                "visit": _(
                    "Checklists are filled in while the visit is on site or debriefed, until "
                    "the report is drafted; this visit is “%(state)s”."
                )
                % {"state": VisitState(visit.state).label}
            }
        )


@transaction.atomic
def checklist_start(
    *,
    actor: User,
    visit: Visit,
    institution: Institution,
    context: RequestContext | None = None,
) -> ChecklistResponse:
    """Start the checklist of one visited institution (its type's category picks the
    template); returns the one already started, if any."""
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    _require_answering(actor, visit)
    if not visit.institutions.filter(pk=institution.pk).exists():
        raise ValidationError({"institution": _("This institution is not part of the visit.")})
    existing = ChecklistResponse.objects.filter(visit=visit, institution=institution).first()
    if existing is not None:
        return existing
    template = template_for_institution(institution)
    if template is None:
        raise ValidationError(
            {
                "institution": _(
                    "There is no checklist template for institutions of the category "
                    "“%(category)s”; load the default set (manage.py load_checklists)."
                )
                % {"category": InstitutionCategory(institution.type.category).label}
            }
        )
    response = ChecklistResponse(
        visit=visit, institution=institution, template=template, started_by=actor
    )
    response.full_clean(exclude=["visit", "institution", "template", "started_by"])
    response.save()
    audit_record(
        actor=actor,
        action=AuditAction.CHECKLIST_STARTED,
        target=response,
        data={
            "visit": visit.reference,
            "institution": str(institution.public_id),
            "template": template.code,
            "version": template.version,
        },
        context=context,
    )
    return response


def _option_codes(question: ChecklistQuestion) -> list[str]:
    return [str(option.get("code")) for option in question.options or []]


def _number(value: Any) -> int | float:
    invalid = ValidationError({"value": _("Enter a number, for example 12 or 3.5.")})
    if isinstance(value, bool):
        raise invalid
    if isinstance(value, str):
        text = value.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise invalid from None
    elif isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
    else:
        raise invalid
    if not number.is_finite():
        raise invalid
    if number < 0:
        raise ValidationError({"value": _("Enter a number of 0 or more.")})
    if number > MAX_NUMBER:
        raise ValidationError(
            {"value": _("Enter a number of at most %(max)s.") % {"max": f"{MAX_NUMBER:,}"}}
        )
    if number == number.to_integral_value():
        return int(number)
    return float(round(number, 4))


def checklist_value_clean(question: ChecklistQuestion, value: Any) -> Any:
    """The stored form of an answer to `question`, or a ValidationError on `value` saying
    what is expected. None, "" and [] clear the answer (stored as None)."""
    if value is None or value == "" or value == []:
        return None
    kind = question.kind
    if kind == QuestionKind.YES_NO_PARTIAL:
        if isinstance(value, str) and value.strip().lower() in YES_NO_PARTIAL:
            return value.strip().lower()
        raise ValidationError({"value": _("Answer “yes”, “no” or “partial”.")})
    if kind == QuestionKind.NUMBER:
        return _number(value)
    codes = _option_codes(question)
    if kind == QuestionKind.SINGLE_CHOICE:
        if isinstance(value, str) and value in codes:
            return value
        raise ValidationError(
            {"value": _("Choose one of the options: %(codes)s.") % {"codes": ", ".join(codes)}}
        )
    if kind == QuestionKind.MULTIPLE_CHOICE:
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise ValidationError({"value": _("Give a list of option codes.")})
        unknown = sorted({v for v in value if v not in codes})
        if unknown:
            raise ValidationError(
                {
                    "value": _("Unknown option: %(unknown)s. Choose from: %(codes)s.")
                    % {"unknown": ", ".join(unknown), "codes": ", ".join(codes)}
                }
            )
        chosen = set(value)
        return [code for code in codes if code in chosen]
    if not isinstance(value, str):
        raise ValidationError({"value": _("Enter the answer as text.")})
    text = value.replace("\r\n", "\n").replace("\x00", "").strip()
    if len(text) > MAX_TEXT:
        raise ValidationError(
            {
                "value": ngettext(
                    "Keep the answer to %(max)d character (it has %(count)d).",
                    "Keep the answer to %(max)d characters (it has %(count)d).",
                    MAX_TEXT,
                )
                % {"max": MAX_TEXT, "count": len(text)}
            }
        )
    return text or None


def checklist_comment_clean(comment: Any) -> str | None:
    """None keeps the comment as it is; a text replaces it."""
    if comment is None:
        return None
    if not isinstance(comment, str):
        raise ValidationError({"comment": _("Enter the comment as text.")})
    comment = comment.replace("\r\n", "\n").replace("\x00", "").strip()
    if len(comment) > MAX_COMMENT:
        raise ValidationError(
            {
                "comment": ngettext(
                    "Keep the comment to %(max)d character (it has %(count)d).",
                    "Keep the comment to %(max)d characters (it has %(count)d).",
                    MAX_COMMENT,
                )
                % {"max": MAX_COMMENT, "count": len(comment)}
            }
        )
    return comment


def answer_revision(answer: ChecklistAnswer | None) -> str:
    """The version of an answer a page was shown (its last save, in microseconds; "" for
    no answer yet): sent back with a change, it tells whether someone saved meanwhile."""
    if answer is None:
        return ""
    return str((answer.updated_at - EPOCH) // datetime.timedelta(microseconds=1))


class ChecklistAnswerConflict(Exception):
    """A change made from an older version of the answer than the saved one (a teammate, or
    another device, saved meanwhile): refused, so the newer answer is not overwritten."""

    def __init__(self, answer: ChecklistAnswer, value: Any, comment: str | None) -> None:
        super().__init__(answer_revision(answer))
        self.answer = answer
        self.value = value
        self.comment = comment


def _require_question(response: ChecklistResponse, question: ChecklistQuestion) -> None:
    if question.template_id != response.template_id or not question.is_active:
        raise ValidationError({"question": _("This question is not part of this checklist.")})


def _audit_value(question: ChecklistQuestion, value: Any) -> dict[str, Any]:
    # Free text stays out of the audit log (administrators read it, not working material).
    if question.kind == QuestionKind.TEXT:
        return {"characters": len(value or "")}
    return {"value": value}


@transaction.atomic
def checklist_answer(
    *,
    actor: User,
    response: ChecklistResponse,
    question: ChecklistQuestion,
    value: Any,
    comment: str | None = None,
    base: str | None = None,
    context: RequestContext | None = None,
) -> ChecklistAnswer | None:
    """Save one answer (part-way filling); answering again updates it.

    `comment=None` keeps the comment. Returns the answer, or None when the question had
    no answer and none was given. Nothing is written, and no audit row, when nothing changed.
    `base` is the revision (`answer_revision`) the change was made from, when known: if the
    saved answer is another one by now and differs from this change, ChecklistAnswerConflict
    is raised and nothing is written (an answer queued offline never overwrites a newer one).
    """
    response = (
        ChecklistResponse.objects.select_for_update().select_related("visit").get(pk=response.pk)
    )
    _require_answering(actor, response.visit)
    _require_question(response, question)
    clean_value = checklist_value_clean(question, value)
    clean_comment = checklist_comment_clean(comment)
    answer = ChecklistAnswer.objects.filter(response=response, question=question).first()
    if base is not None and answer is not None and answer_revision(answer) != base:
        proposed_comment = answer.comment if clean_comment is None else clean_comment
        if answer.value != clean_value or answer.comment != proposed_comment:
            raise ChecklistAnswerConflict(answer, clean_value, clean_comment)
    if answer is None:
        if clean_value is None and not clean_comment:
            return None
        answer = ChecklistAnswer(
            response=response,
            question=question,
            value=clean_value,
            comment=clean_comment or "",
            answered_by=actor,
        )
        comment_changed = bool(clean_comment)
    else:
        new_comment = answer.comment if clean_comment is None else clean_comment
        comment_changed = new_comment != answer.comment
        if answer.value == clean_value and not comment_changed:
            return answer
        answer.value = clean_value
        answer.comment = new_comment
        answer.answered_by = actor
    answer.full_clean(exclude=["response", "question", "answered_by"], validate_unique=False)
    answer.save()
    ChecklistResponse.objects.filter(pk=response.pk).update(updated_at=answer.updated_at)
    audit_record(
        actor=actor,
        action=AuditAction.CHECKLIST_ANSWERED,
        target=response,
        data={
            "question": question.code,
            **_audit_value(question, clean_value),
            "comment_changed": comment_changed,
        },
        context=context,
    )
    return answer


@dataclass(frozen=True)
class AnswerInput:
    """One answer sent as data (the API): the question by its code."""

    question: str
    value: Any
    comment: str | None = None


@transaction.atomic
def checklist_answers_save(
    *,
    actor: User,
    response: ChecklistResponse,
    answers: Sequence[AnswerInput],
    context: RequestContext | None = None,
) -> list[ChecklistAnswer | None]:
    """Save several answers at once, all or nothing: every answer is checked first, and
    errors come back keyed by position (`"2.value"`)."""
    _require_answering(actor, response.visit)
    questions = {q.code: q for q in ChecklistQuestion.objects.filter(template=response.template_id)}
    errors: dict[str, list[str]] = {}
    resolved: list[ChecklistQuestion] = []
    seen: set[str] = set()
    for index, item in enumerate(answers):
        question = questions.get(item.question)
        if question is None or not question.is_active:
            errors[f"{index}.question"] = [
                _("There is no question “%(code)s” in this checklist.") % {"code": item.question}
            ]
            continue
        if item.question in seen:
            errors[f"{index}.question"] = [_("This question is answered twice in the list.")]
            continue
        seen.add(item.question)
        resolved.append(question)
        try:
            checklist_value_clean(question, item.value)
            checklist_comment_clean(item.comment)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors[f"{index}.{name}"] = messages
    if errors:
        raise ValidationError(errors)
    return [
        checklist_answer(
            actor=actor,
            response=response,
            question=question,
            value=item.value,
            comment=item.comment,
            context=context,
        )
        for question, item in zip(resolved, answers, strict=True)
    ]
