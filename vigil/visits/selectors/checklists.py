"""Reads of checklists: templates (not sensitive), and responses already filtered with the
visits policy — only those who may read a visit's working material see its checklists
(never an agency liaison)."""

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import get_language

from vigil.accounts.models import User
from vigil.registry.models import Institution

from ..enums import Theme
from ..models import (
    ChecklistAnswer,
    ChecklistQuestion,
    ChecklistResponse,
    ChecklistTemplate,
    DeviceSubmission,
    Visit,
)
from ..permissions import can_view_working_material, working_material_visible_to
from .visits import visit_or_404


def active_questions() -> QuerySet[ChecklistQuestion]:
    return ChecklistQuestion.objects.filter(is_active=True).order_by("theme", "order", "id")


def checklist_templates() -> QuerySet[ChecklistTemplate]:
    """The templates in use, each with its number of questions (`question_count`)."""
    return (
        ChecklistTemplate.objects.filter(is_active=True)
        .annotate(question_count=Count("questions", filter=Q(questions__is_active=True)))
        .order_by("category", "code")
    )


def checklist_template_detail() -> QuerySet[ChecklistTemplate]:
    """Templates with their questions in order (`questions_in_order`)."""
    return checklist_templates().prefetch_related(
        Prefetch("questions", queryset=active_questions(), to_attr="questions_in_order")
    )


def template_for_institution(institution: Institution) -> ChecklistTemplate | None:
    """The template in use for the category of the institution's type."""
    return (
        ChecklistTemplate.objects.filter(category=institution.type.category, is_active=True)
        .order_by("code")
        .first()
    )


def option_label(option: dict[str, Any], language: str | None = None) -> str:
    """An option's label in the active language, else the first one filled."""
    lang = (language or get_language() or "ru")[:2]
    for code in (lang, "ru", "kk", "en"):
        if option.get(code):
            return str(option[code])
    return str(option.get("code", ""))


def with_progress(qs: QuerySet[ChecklistResponse]) -> QuerySet[ChecklistResponse]:
    """Annotate `answered` (questions in use with an answer) and `total` (questions in use)."""
    totals = (
        ChecklistQuestion.objects.filter(template=OuterRef("template"), is_active=True)
        .order_by()
        .values("template")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.annotate(
        answered=Count(
            "answers",
            filter=Q(answers__value__isnull=False, answers__question__is_active=True),
        ),
        total=Subquery(totals, output_field=IntegerField()),
    )


def checklist_responses_visible_to(user: User | None) -> QuerySet[ChecklistResponse]:
    """Checklists of the visits whose working material the user may read, with progress."""
    return with_progress(
        ChecklistResponse.objects.filter(visit__in=working_material_visible_to(user))
    ).select_related("visit", "institution", "template", "started_by")


def checklist_visit_for(user: User, public_id: Any) -> Visit:
    """The visit, if the user may read its checklists; 404 when missing or not allowed."""
    visit = visit_or_404(
        working_material_visible_to(user).select_related("region"), user, public_id
    )
    if not can_view_working_material(user, visit):
        raise Http404
    return visit


def checklist_response_for(visit: Visit, public_id: Any) -> ChecklistResponse:
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise Http404 from None
    response = (
        with_progress(ChecklistResponse.objects.filter(visit=visit, public_id=key))
        .select_related("institution__type", "template", "started_by")
        .first()
    )
    if response is None:
        raise Http404
    return response


@dataclass(frozen=True)
class ChecklistRow:
    """One visited institution on the checklists page."""

    institution: Institution
    template: ChecklistTemplate | None
    response: ChecklistResponse | None
    answered: int
    total: int


def checklist_overview(visit: Visit) -> list[ChecklistRow]:
    responses = {
        r.institution_id: r
        for r in with_progress(ChecklistResponse.objects.filter(visit=visit)).select_related(
            "template"
        )
    }
    templates: dict[str, ChecklistTemplate] = {}
    for template in checklist_templates().order_by("-code"):
        templates[template.category] = template  # the first by code wins
    rows = []
    for institution in visit.institutions.select_related("type").order_by("pk"):
        response = responses.get(institution.pk)
        if response is not None:
            rows.append(
                ChecklistRow(
                    institution,
                    response.template,
                    response,
                    response.answered,  # type: ignore[attr-defined]
                    response.total or 0,  # type: ignore[attr-defined]
                )
            )
        else:
            fallback = templates.get(institution.type.category)
            total = fallback.question_count if fallback else 0  # type: ignore[attr-defined]
            rows.append(ChecklistRow(institution, fallback, None, 0, total))
    return rows


@dataclass
class ThemeSection:
    """The questions of one theme of a checklist, as one page of the fill form."""

    theme: str
    label: str
    questions: list[ChecklistQuestion]
    answered: int

    @property
    def total(self) -> int:
        return len(self.questions)


def checklist_sections(
    response: ChecklistResponse,
) -> tuple[list[ThemeSection], dict[int, ChecklistAnswer]]:
    """The response's questions grouped by theme (taxonomy order) and its answers by question."""
    answers = {
        a.question_id: a
        for a in ChecklistAnswer.objects.filter(response=response).select_related("answered_by")
    }
    by_theme: dict[str, list[ChecklistQuestion]] = {}
    for question in active_questions().filter(template=response.template_id):
        by_theme.setdefault(question.theme, []).append(question)
    sections = []
    for theme in Theme:
        questions = by_theme.get(theme.value)
        if questions:
            answered = sum(
                1 for q in questions if q.pk in answers and answers[q.pk].value is not None
            )
            sections.append(ThemeSection(theme.value, str(theme.label), questions, answered))
    return sections, answers


def answers_of(response: ChecklistResponse) -> QuerySet[ChecklistAnswer]:
    """The answers given, in the order of the questions (the API's detail)."""
    return (
        ChecklistAnswer.objects.filter(response=response)
        .select_related("question", "answered_by")
        .order_by("question__theme", "question__order", "question__id")
    )


def device_submissions(response: ChecklistResponse) -> QuerySet[DeviceSubmission]:
    """What devices sent for a checklist (OpenRosa, imports), newest first: read where the
    checklist is read (its page)."""
    return (
        DeviceSubmission.objects.filter(response=response)
        .select_related("submitted_by", "replaces")
        .order_by("-created_at", "-id")
    )
