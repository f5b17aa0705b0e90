"""Pages of the UN follow-up's documents: the list, a document with its paragraphs, and
the coordinators' forms to add and edit a document.

Thin edge: who sees what is `..permissions`, reads are `..selectors`, writes `..services`.
A document the user may not see answers 404; a form the user may not use on something it
sees, 403.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from vigil.accounts.http import user_of
from vigil.audit.context import RequestContext
from vigil.core.forms import add_service_errors
from vigil.core.listing import list_response

from ..forms.pages import DocumentForm
from ..listings import DOCUMENT_LIST
from ..models import Assessment, Document, Paragraph
from ..permissions import (
    can_manage_international,
    can_view_international,
)
from ..selectors import (
    Evidence,
    current_assessments,
    document_paragraphs,
    evidence_of,
)
from ..services import (
    document_create,
    document_update,
)
from .common import document_or_404, require_manager, source_key

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
        for a in sorted(found.values(), key=source_key)
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
    document = document_or_404(user, public_id)
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
    require_manager(user)
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
    document = document_or_404(user, public_id)
    require_manager(user)
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
