"""Reads of findings and internal notes, already filtered for the user.

Fetch-and-authorize helpers answer `Http404` both for what does not exist and for what the
user may not see, so that neither reveals the other.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from vigil.accounts.models import User

from ..enums import EvidenceKind, QuestionKind, Theme
from ..models import Attachment, ChecklistAnswer, Finding, InternalNote, Visit
from ..permissions import (
    can_view_working_material,
    findings_visible_to,
    working_material_visible_to,
)
from .visits import visit_or_404


def working_visit(user: User, public_id: uuid.UUID | str) -> Visit:
    """The visit, if the user may read its working material; 404 otherwise."""
    visit = visit_or_404(
        working_material_visible_to(user).select_related("region", "plan"), user, public_id
    )
    if not can_view_working_material(user, visit):
        raise Http404
    return visit


def with_details(qs: QuerySet[Finding]) -> QuerySet[Finding]:
    """What a finding's page, list row or API representation shows, in a fixed number of
    queries."""
    return qs.select_related(
        "visit", "institution", "institution__type", "created_by"
    ).prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.order_by("created_at", "id")),
        Prefetch(
            "answers",
            queryset=ChecklistAnswer.objects.select_related(
                "question", "response", "response__institution"
            ).order_by("question__theme", "question__order", "id"),
        ),
    )


def finding_for(user: User, public_id: uuid.UUID | str) -> Finding:
    """The finding, if the user may read its visit's working material; 404 otherwise."""
    finding = with_details(findings_visible_to(user)).filter(public_id=public_id).first()
    if finding is None:
        raise Http404
    return finding


def findings_of(visit: Visit) -> QuerySet[Finding]:
    return with_details(Finding.objects.filter(visit=visit)).order_by("theme", "id")


def answered_answers(visit: Visit) -> QuerySet[ChecklistAnswer]:
    """The checklist answers of a visit that hold an answer: what a finding may link to."""
    return (
        ChecklistAnswer.objects.filter(response__visit=visit, value__isnull=False)
        .select_related("question", "response__institution")
        .order_by("response__institution_id", "question__theme", "question__order", "id")
    )


def notes_of(visit: Visit) -> QuerySet[InternalNote]:
    return InternalNote.objects.filter(visit=visit).select_related("author")


def notes_visible_to(user: User | None) -> QuerySet[InternalNote]:
    return InternalNote.objects.filter(visit__in=working_material_visible_to(user))


@dataclass(frozen=True)
class EvidenceSummary:
    """How many kinds of evidence support a finding, e.g. "3 of 4 kinds: …"."""

    count: int
    total: int
    labels: Sequence[str | Promise]


def evidence_summary(finding: Finding) -> EvidenceSummary:
    kinds = set(finding.evidence_kinds or [])
    # In the enum's order, so that the same kinds always read the same way.
    labels = [kind.label for kind in EvidenceKind if kind.value in kinds]
    return EvidenceSummary(count=len(labels), total=len(EvidenceKind), labels=labels)


@dataclass(frozen=True)
class ThemeGroup:
    theme: str
    label: str | Promise
    findings: list[Finding]


def group_by_theme(findings: list[Finding]) -> list[ThemeGroup]:
    """Findings by theme of the taxonomy, in the taxonomy's order; empty themes left out."""
    groups = []
    for theme in Theme:
        items = [f for f in findings if f.theme == theme.value]
        if items:
            groups.append(ThemeGroup(theme=theme.value, label=theme.label, findings=items))
    return groups


def _option_label(options: Any, code: Any) -> str:
    lang = (get_language() or "ru")[:2]
    for option in options if isinstance(options, list) else []:
        if isinstance(option, dict) and option.get("code") == code:
            for key in (lang, "ru", "kk", "en"):
                if option.get(key):
                    return str(option[key])
    return str(code)


def answer_text(answer: ChecklistAnswer) -> str:
    """A checklist answer as a person reads it: option labels in the active language."""
    value = answer.value
    question = answer.question
    if value is None or value == "" or value == []:
        return "—"
    if question.kind == QuestionKind.YES_NO_PARTIAL:
        plain = {"yes": _("Yes"), "no": _("No"), "partial": _("Partly")}
        return str(plain.get(str(value), value))
    if isinstance(value, list):
        return ", ".join(_option_label(question.options, v) for v in value)
    if question.kind == QuestionKind.SINGLE_CHOICE:
        return _option_label(question.options, value)
    return str(value)
