"""A document's paragraphs and assessments as a file in exactly the import's format.

One row per assessment (a paragraph without one: one row with the assessment columns
empty), every row carrying its document's and paragraph's values, in the document's order and
each paragraph's assessments by date. Importing the file into another Vigil gives the same
document, paragraphs and assessments, and exporting that gives the same file.

What a user exports is what they see: the paragraphs and assessments of the policy
(`paragraphs_visible_to`, `assessments_visible_to`); the export is audited as list exports are.
"""

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import PermissionDenied

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_record
from vigil.core.importing.writing import build_file

from ..models import Assessment, Document, Paragraph
from ..permissions import assessments_visible_to, can_view_document, paragraphs_visible_to
from .columns import COLUMNS

EXPORT_LIST = "un_paragraphs"


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _document_cells(document: Document) -> list[Any]:
    return [
        document.symbol,
        document.body,
        document.kind,
        document.adopted_on,
        document.title_en,
        document.title_ru,
        document.title_kk,
        _yes_no(document.confidential),
        document.published_on,
        document.url,
    ]


def _paragraph_cells(paragraph: Paragraph) -> list[Any]:
    return [
        paragraph.number,
        paragraph.text_en,
        paragraph.text_ru,
        paragraph.text_kk,
        _yes_no(paragraph.follow_up),
        paragraph.themes,
        " ".join(sorted(agency.code for agency in paragraph.addressees.all())),
    ]


def _assessment_cells(assessment: Assessment | None) -> list[Any]:
    if assessment is None:
        return [None] * 7
    return [
        assessment.source,
        assessment.source_name,
        assessment.grade.scale.code,
        assessment.grade.code,
        assessment.reason,
        assessment.assessed_on,
        assessment.reference,
    ]


def document_rows(user: User | None, document: Document) -> Iterator[list[Any]]:
    """The rows of the document's export for `user` (what the user may see)."""
    paragraphs = list(
        paragraphs_visible_to(user)
        .filter(document=document)
        .prefetch_related("addressees")
        .order_by("position", "id")
    )
    by_paragraph: dict[int, list[Assessment]] = defaultdict(list)
    assessments = (
        assessments_visible_to(user)
        .filter(paragraph__in=paragraphs)
        .select_related("grade", "grade__scale")
        .order_by("assessed_on", "source", "source_name", "id")
    )
    for graded_one in assessments:
        by_paragraph[graded_one.paragraph_id].append(graded_one)
    head = _document_cells(document)
    for paragraph in paragraphs:
        cells = _paragraph_cells(paragraph)
        graded: list[Assessment | None] = [*by_paragraph.get(paragraph.pk, [])]
        for each in graded or [None]:
            yield [*head, *cells, *_assessment_cells(each)]


def document_export(
    *, actor: User, document: Document, fmt: str, context: RequestContext | None = None
) -> bytes:
    """The document's file for `actor` in `fmt` ("csv" or "xlsx"), audited with its rows."""
    if not can_view_document(actor, document):
        raise PermissionDenied
    rows = list(document_rows(actor, document))
    content = build_file(fmt, rows, list(COLUMNS), "paragraphs")
    audit_record(
        actor=actor,
        action=AuditAction.LIST_EXPORTED,
        target=document,
        data={"list": EXPORT_LIST, "document": document.symbol, "format": fmt, "rows": len(rows)},
        context=context,
    )
    return content


def export_file_name(document: Document) -> str:
    """The file's name without the extension: the symbol with its slashes as hyphens."""
    safe = "".join(c if c.isalnum() or c in "-." else "-" for c in document.symbol)
    return safe.strip("-") or "document"
