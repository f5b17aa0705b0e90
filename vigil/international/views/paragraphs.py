"""Pages of the UN follow-up's paragraphs: a paragraph with its assessments, evidence and
timeline, and the coordinators' forms to add and edit a paragraph and to assess it.

Thin edge: who sees what is `..permissions`, reads are `..selectors`, writes `..services`.
A paragraph the user may not see answers 404; a form the user may not use on something it
sees, 403.
"""

import datetime
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from vigil.accounts.http import user_of
from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.core.forms import add_service_errors
from vigil.recommendations.permissions import can_use_agency_portal, can_view_systemic_issues
from vigil.visits.enums import Theme

from ..enums import AssessmentSource, EventKind, LinkKind
from ..forms.pages import AssessmentForm, ParagraphForm
from ..models import LANGUAGES, Assessment, Document, Paragraph, ParagraphEvent, ParagraphLink
from ..permissions import (
    can_manage_international,
    can_see_recorders,
    can_view_link_suggestions,
)
from ..selectors import (
    Evidence,
    assessment_history,
    confirmed_links,
    current_assessments,
    evidence_examples,
    evidence_of,
)
from ..services import (
    assessment_record,
    paragraph_create,
    paragraph_update,
)
from .common import document_or_404, paragraph_or_404, require_manager, source_key

LANGUAGE_NAMES = {"en": "English", "ru": "Русский", "kk": "Қазақша"}
"""Each language named in itself, as the language switcher names it."""


# ----------------------------------------------------------------------- paragraph


def _number_taken(form: ParagraphForm, document: Document, paragraph: Paragraph | None) -> bool:
    """Put the error on the number when the document already has a paragraph with it."""
    number = (form.cleaned_data.get("number") or "").strip()
    others = document.paragraphs.filter(number=number)
    if paragraph is not None:
        others = others.exclude(pk=paragraph.pk)
    if number and others.exists():
        form.add_error(
            "number",
            _("This document already has a paragraph %(number)s.") % {"number": number},
        )
        return True
    return False


def paragraph_create_view(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = user_of(request)
    document = document_or_404(user, public_id)
    require_manager(user)
    form = ParagraphForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and not _number_taken(form, document, None):
        try:
            paragraph = paragraph_create(
                actor=user,
                document=document,
                addressees=form.cleaned_data["addressees"],
                context=RequestContext.from_request(request),
                **form.service_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Paragraph added."))
            return redirect("international:paragraph_detail", public_id=paragraph.public_id)
    return render(
        request,
        "international/paragraph_form.html",
        {
            "form": form,
            "title": _("New paragraph of %(symbol)s") % {"symbol": document.symbol},
            "document": document,
            "paragraph": None,
        },
    )


def paragraph_edit_view(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = user_of(request)
    paragraph = paragraph_or_404(user, public_id)
    require_manager(user)
    document = paragraph.document
    form = ParagraphForm(request.POST if request.method == "POST" else None, instance=paragraph)
    if (
        request.method == "POST"
        and form.is_valid()
        and not _number_taken(form, document, paragraph)
    ):
        changed = form.has_changed()
        try:
            paragraph_update(
                actor=user,
                paragraph=Paragraph.objects.get(pk=paragraph.pk),
                addressees=form.cleaned_data["addressees"],
                context=RequestContext.from_request(request),
                **form.service_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if changed:
                messages.success(request, _("Changes saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("international:paragraph_detail", public_id=paragraph.public_id)
    return render(
        request,
        "international/paragraph_form.html",
        {
            "form": form,
            "title": _("Edit paragraph %(number)s of %(symbol)s")
            % {"number": paragraph.number, "symbol": document.symbol},
            "document": document,
            "paragraph": paragraph,
        },
    )


@dataclass(frozen=True)
class LinkedItem:
    """One confirmed link as the reader may see it: what it is, and its page if any."""

    kind: str
    kind_label: str
    label: str
    detail: str
    url: str | None


def _recommendation_url_name(user: User) -> str:
    """A liaison opens its agency's recommendations in the agency portal."""
    return (
        "recommendations:portal_detail" if can_use_agency_portal(user) else "recommendations:detail"
    )


def _systemic_url(user: User, branch_code: str) -> str | None:
    if not can_view_systemic_issues(user):
        return None
    return f"{reverse('recommendations:systemic')}?{urlencode({'agency': branch_code})}"


def linked_items(
    user: User, links: Iterable[ParagraphLink], evidence: Evidence
) -> list[LinkedItem]:
    """The confirmed links whose records the reader may see (`evidence` holds only those),
    each with a link to its page; a systemic issue (a theme across a branch of the agency
    tree) is named to everyone, linked for those who may open the systemic-issues page."""
    kinds = dict(LinkKind.choices)
    themes = dict(Theme.choices)
    rec_url = _recommendation_url_name(user)
    items = []
    for link in links:
        label_kind = str(kinds[link.kind])
        if link.kind == LinkKind.FINDING and link.finding is not None:
            if link.finding_id not in evidence.finding_ids:
                continue
            finding = link.finding
            items.append(
                LinkedItem(
                    link.kind,
                    label_kind,
                    finding.title,
                    f"{finding.theme} · {finding.visit.reference}",
                    reverse("visits:finding_detail", args=[finding.public_id]),
                )
            )
        elif link.kind == LinkKind.RECOMMENDATION and link.recommendation is not None:
            if link.recommendation_id not in evidence.recommendation_ids:
                continue
            rec = link.recommendation
            items.append(
                LinkedItem(
                    link.kind,
                    label_kind,
                    rec.reference,
                    f"{rec.theme} · {rec.get_state_display()}",
                    reverse(rec_url, args=[rec.public_id]),
                )
            )
        elif link.kind == LinkKind.SYSTEMIC and link.systemic_branch is not None:
            branch = link.systemic_branch
            items.append(
                LinkedItem(
                    link.kind,
                    label_kind,
                    str(themes.get(link.systemic_theme, link.systemic_theme)),
                    f"{branch.name} ({branch.code})",
                    _systemic_url(user, branch.code),
                )
            )
    return items


@dataclass(frozen=True)
class TimelineEntry:
    """One line of a paragraph's timeline: an event (a moment, maybe who) or an assessment
    (the day it was given)."""

    day: datetime.date
    moment: datetime.datetime | None
    label: str
    detail: str
    actor: User | None
    note: str

    @property
    def sort_key(self) -> tuple[datetime.date, int, datetime.datetime | None]:
        return (self.day, 0 if self.moment is None else 1, self.moment)


def _changed_fields(names: Iterable[str]) -> str:
    labels = []
    for name in names:
        try:
            field = Paragraph._meta.get_field(name)
        except FieldDoesNotExist:
            labels.append(name)
            continue
        labels.append(str(getattr(field, "verbose_name", name)))
    return ", ".join(labels)


def _event_detail(event: ParagraphEvent) -> str:
    data = event.data or {}
    if event.kind == EventKind.EDITED:
        return _changed_fields(data.get("changed", []))
    if event.kind in (EventKind.LINKED, EventKind.UNLINKED, EventKind.LINK_REJECTED):
        kind = data.get("kind", "")
        return str(dict(LinkKind.choices).get(kind, kind))
    if event.kind == EventKind.ASSESSED:
        source = data.get("source_name") or str(
            dict(AssessmentSource.choices).get(data.get("source", ""), "")
        )
        return f"{source}: {data.get('grade', '')}"
    if event.kind == EventKind.PUBLISHED and data.get("published_on"):
        try:
            day = datetime.date.fromisoformat(data["published_on"])
        except ValueError:
            return ""
        return date_format(day, "SHORT_DATE_FORMAT")
    return ""


def paragraph_timeline(
    user: User, paragraph: Paragraph, history: Sequence[Assessment]
) -> list[TimelineEntry]:
    """The paragraph's events (a rejected suggestion only for those who decide links; who
    did it only for those who may see recorders) and its assessments on the days they were
    given, oldest first."""
    events = paragraph.events.select_related("actor").order_by("occurred_at", "id")
    if not can_view_link_suggestions(user):
        events = events.exclude(kind=EventKind.LINK_REJECTED)
    named = can_see_recorders(user)
    entries = [
        TimelineEntry(
            day=timezone.localdate(event.occurred_at),
            moment=event.occurred_at,
            label=str(event.get_kind_display()),
            detail=_event_detail(event),
            actor=event.actor if named else None,
            # an assessment's reason shows on its own line, on the day it was given
            note=event.note if event.kind != EventKind.ASSESSED else "",
        )
        for event in events
    ]
    entries += [
        TimelineEntry(
            day=assessment.assessed_on,
            moment=None,
            label=_("Assessed by %(source)s") % {"source": assessment.source_label},
            detail=f"{assessment.grade.code} — {assessment.grade.name}",
            actor=None,
            note=assessment.reason,
        )
        for assessment in history
    ]
    return sorted(entries, key=lambda entry: entry.sort_key)


@require_safe
def paragraph_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = user_of(request)
    paragraph = paragraph_or_404(user, public_id)
    history = list(assessment_history(user, paragraph))
    current = sorted(current_assessments(user, [paragraph]).get(paragraph.pk, []), key=source_key)
    evidence = evidence_of(user, [paragraph])[paragraph.pk]
    example_recs, example_findings = evidence_examples(user, evidence)
    can_manage = can_manage_international(user)
    texts = [
        (lang, LANGUAGE_NAMES[lang], getattr(paragraph, f"text_{lang}"))
        for lang in LANGUAGES
        if getattr(paragraph, f"text_{lang}").strip()
    ]
    return render(
        request,
        "international/paragraph_detail.html",
        {
            "paragraph": paragraph,
            "document": paragraph.document,
            "addressees": list(paragraph.addressees.order_by("code")),
            "texts": texts,
            "current": current,
            "history": history,
            "show_recorders": can_see_recorders(user),
            "evidence": evidence,
            "linked": linked_items(user, confirmed_links(user, paragraph), evidence),
            "example_recs": example_recs,
            "example_findings": example_findings,
            "recommendation_url_name": _recommendation_url_name(user),
            "timeline": paragraph_timeline(user, paragraph, history),
            "can_manage": can_manage,
            "links_url": (
                reverse("international:paragraph_links", args=[paragraph.public_id])
                if can_manage
                else None
            ),
        },
    )


def assessment_create_view(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = user_of(request)
    paragraph = paragraph_or_404(user, public_id)
    require_manager(user)
    form = AssessmentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assessment_record(
                actor=user,
                paragraph=paragraph,
                source=data["source"],
                source_name=data["source_name"],
                grade=data["grade"],
                assessed_on=data["assessed_on"],
                reason=data["reason"],
                reference=data["reference"],
                context=RequestContext.from_request(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Assessment recorded."))
            return redirect("international:paragraph_detail", public_id=paragraph.public_id)
    current = sorted(current_assessments(user, [paragraph]).get(paragraph.pk, []), key=source_key)
    return render(
        request,
        "international/assessment_form.html",
        {
            "form": form,
            "paragraph": paragraph,
            "document": paragraph.document,
            "current": current,
            "title": _("Assess paragraph %(number)s of %(symbol)s")
            % {"number": paragraph.number, "symbol": paragraph.document.symbol},
        },
    )
