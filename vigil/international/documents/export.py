"""The follow-up report as a file: built for its reader in kk, ru or en, as PDF or DOCX, and
audited (who downloaded which document's report, in which format and language, how many
paragraphs it showed), as every other document download is."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_record
from vigil.core.documents import CONTENT_TYPES, DocumentFormat

from ..models import Document
from ..permissions import can_view_document
from .content import followup_report
from .pdf import build_report_pdf
from .word import build_report_docx

REPORT_LANGUAGES = ("kk", "ru", "en")


@dataclass(frozen=True)
class ExportedReport:
    content: bytes
    filename: str
    content_type: str


@transaction.atomic
def followup_report_export(
    *,
    actor: User,
    document: Document,
    fmt: str,
    language: str,
    context: RequestContext | None = None,
) -> ExportedReport:
    """The document's follow-up report as `actor` may read it; each download is audited."""
    if not can_view_document(actor, document):
        raise PermissionDenied(_("You may not see this document."))
    if fmt not in DocumentFormat.__members__.values():
        raise ValidationError({"format": _("Choose PDF or DOCX.")})
    if language not in REPORT_LANGUAGES:
        raise ValidationError({"language": _("Choose the language of the report: kk, ru or en.")})
    with translation.override(language):
        report = followup_report(actor, document, language)
        content = (
            build_report_pdf(report) if fmt == DocumentFormat.PDF else build_report_docx(report)
        )
    audit_record(
        actor=actor,
        action=AuditAction.UN_REPORT_EXPORTED,
        target=document,
        data={
            "symbol": document.symbol,
            "format": fmt,
            "language": language,
            "paragraphs": len(report.paragraphs),
        },
        context=context,
    )
    return ExportedReport(
        content=content,
        filename=f"{report.filename_stem}.{fmt}",
        content_type=CONTENT_TYPES[fmt],
    )
