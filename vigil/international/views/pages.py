"""Pages of the UN follow-up: the list of documents, a document with its paragraphs, a
paragraph with its assessments, evidence and timeline, and the coordinators' forms.

Thin edge: who sees what is `..permissions`, reads are `..selectors`, writes `..services`.
A document or paragraph the user may not see answers 404; a form the user may not use on
something it sees, 403.
"""

import datetime
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from vigil.accounts.http import user_of
from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.core.forms import add_service_errors
from vigil.core.listing import list_response
from vigil.recommendations.permissions import can_use_agency_portal, can_view_systemic_issues
from vigil.visits.enums import Theme

from ..enums import AssessmentSource, EventKind, LinkKind
from ..forms.pages import AssessmentForm, DocumentForm, ParagraphForm
from ..listings import DOCUMENT_LIST
from ..models import LANGUAGES, Assessment, Document, Paragraph, ParagraphEvent, ParagraphLink
from ..permissions import (
    can_manage_international,
    can_see_recorders,
    can_view_international,
    can_view_link_suggestions,
    documents_visible_to,
    paragraphs_visible_to,
)
from ..selectors import (
    Evidence,
    assessment_history,
    confirmed_links,
    current_assessments,
    document_paragraphs,
    evidence_examples,
    evidence_of,
)
from ..services import (
    assessment_record,
    document_create,
    document_update,
    paragraph_create,
    paragraph_update,
)

LANGUAGE_NAMES = {"en": "English", "ru": "Русский", "kk": "Қазақша"}
"""Each language named in itself, as the language switcher names it."""

SOURCE_ORDER = {source: n for n, source in enumerate(AssessmentSource.values)}


def _document(user: User, public_id: uuid.UUID) -> Document:
    """Fetch and authorize: 404 for a document missing or not visible."""
    return get_object_or_404(documents_visible_to(user), public_id=public_id)


def _paragraph(user: User, public_id: uuid.UUID) -> Paragraph:
    """Fetch and authorize: 404 for a paragraph missing or not visible."""
    return get_object_or_404(
        paragraphs_visible_to(user).select_related("document"), public_id=public_id
    )


def _manager(user: User) -> None:
    if not can_manage_international(user):
        raise PermissionDenied


def _source_key(assessment: Assessment) -> tuple[int, str]:
    return (SOURCE_ORDER.get(assessment.source, len(SOURCE_ORDER)), assessment.source_name)


# ---------------------------------------------------------------------------- list


@require_safe
def document_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not can_view_international(user):
        raise PermissionDenied
    return list_response(
        request,
        DOCUMENT_LIST,
        template="international/document_list.html",
        partial="international/_document_table.html",
        results_id="document-results",
        context={"can_create": can_manage_international(user)},
    )


# ------------------------------------------------------------------------ document


@dataclass(frozen=True)
class SourceColumn:
    """One column of assessments on a document's page: a source (one per organisation)."""

    source: str
    source_name: str
    label: str


@dataclass(frozen=True)
class ParagraphRow:
    paragraph: Paragraph
    assessments: list[Assessment | None]
    evidence: Evidence


def assessment_columns(current: dict[int, list[Assessment]]) -> list[SourceColumn]:
    """The sources present among the paragraphs' current assessments, in the sources' order
    (state, NPM, each civil-society organisation by name, the UN body)."""
    found: dict[tuple[str, str], Assessment] = {}
    for assessments in current.values():
        for assessment in assessments:
            found.setdefault((assessment.source, assessment.source_name), assessment)
    return [
        SourceColumn(a.source, a.source_name, a.source_label)
        for a in sorted(found.values(), key=_source_key)
    ]


def paragraph_rows(
    paragraphs: Sequence[Paragraph],
    columns: Sequence[SourceColumn],
    current: dict[int, list[Assessment]],
    evidence: dict[int, Evidence],
) -> list[ParagraphRow]:
    rows = []
    for paragraph in paragraphs:
        by_source = {(a.source, a.source_name): a for a in current.get(paragraph.pk, [])}
        cells = [by_source.get((c.source, c.source_name)) for c in columns]
        rows.append(ParagraphRow(paragraph, cells, evidence[paragraph.pk]))
    return rows


@require_safe
def document_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = user_of(request)
    document = _document(user, public_id)
    paragraphs = list(document_paragraphs(user, document))
    current = current_assessments(user, paragraphs)
    columns = assessment_columns(current)
    return render(
        request,
        "international/document_detail.html",
        {
            "document": document,
            "columns": columns,
            "rows": paragraph_rows(paragraphs, columns, current, evidence_of(user, paragraphs)),
            "can_manage": can_manage_international(user),
            "report_languages": settings.LANGUAGES,
        },
    )


def document_create_view(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    _manager(user)
    form = DocumentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            document = document_create(
                actor=user, context=RequestContext.from_request(request), **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Document added."))
            return redirect("international:document_detail", public_id=document.public_id)
    return render(
        request,
        "international/document_form.html",
        {"form": form, "title": _("New UN document"), "document": None},
    )


def document_edit_view(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = user_of(request)
    document = _document(user, public_id)
    _manager(user)
    form = DocumentForm(request.POST if request.method == "POST" else None, instance=document)
    if request.method == "POST" and form.is_valid():
        changed = form.has_changed()
        try:
            document_update(
                actor=user,
                document=Document.objects.get(pk=document.pk),
                context=RequestContext.from_request(request),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if changed:
                messages.success(request, _("Changes saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("international:document_detail", public_id=document.public_id)
    return render(
        request,
        "international/document_form.html",
        {
            "form": form,
            "title": _("Edit %(symbol)s") % {"symbol": document.symbol},
            "document": document,
        },
    )


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
    document = _document(user, public_id)
    _manager(user)
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
    paragraph = _paragraph(user, public_id)
    _manager(user)
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


def _links_url(paragraph: Paragraph) -> str | None:
    """The page where a coordinator links evidence, where the URLconf has it."""
    try:
        return reverse("international:paragraph_links", kwargs={"public_id": paragraph.public_id})
    except NoReverseMatch:
        return None


@require_safe
def paragraph_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = user_of(request)
    paragraph = _paragraph(user, public_id)
    history = list(assessment_history(user, paragraph))
    current = sorted(current_assessments(user, [paragraph]).get(paragraph.pk, []), key=_source_key)
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
            "links_url": _links_url(paragraph) if can_manage else None,
        },
    )


def assessment_create_view(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = user_of(request)
    paragraph = _paragraph(user, public_id)
    _manager(user)
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
    current = sorted(current_assessments(user, [paragraph]).get(paragraph.pk, []), key=_source_key)
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
