"""A checklist template imported from an XLSForm: read (`xlsform.reading`), written with the
template rules of `load_checklists` (`checklist_templates.checklist_template_import`: a new
version when the questions change), then converted to an XForm by pyxform, which proves the
form is one ODK tools can fill. All or nothing: any problem names the sheet, row and column,
and nothing is kept."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.core.importing import ImportIssue

from ..models import ChecklistTemplate
from ..permissions import can_manage_checklist_templates
from ..xlsform.reading import XLSFormError, xlsform_document
from ..xlsform.writing import xlsform_to_xform
from .checklist_templates import ChecklistDataError, checklist_template_import


def _xform_or_error(content: bytes) -> None:
    try:
        xlsform_to_xform(content)
    except Exception as exc:  # pyxform raises PyXFormError and others for a form it refuses
        raise XLSFormError(
            [
                ImportIssue(
                    None, "", _("pyxform cannot convert the form: %(error)s") % {"error": exc}
                )
            ]
        ) from None


def checklist_template_xlsform_import(
    *,
    content: bytes,
    file_name: str,
    actor: User | None,
    context: RequestContext | None = None,
) -> tuple[ChecklistTemplate, dict[str, int]]:
    """Create or update the template an XLSForm describes; returns it and the counts of
    `checklist_template_import`. Raises XLSFormError (nothing written) for a bad file and
    PermissionDenied for someone who may not manage templates. `actor=None` is the system."""
    if actor is not None and not can_manage_checklist_templates(actor):
        raise PermissionDenied
    document, places = xlsform_document(content, file_name)
    audit: dict[str, Any] = {"format": "xlsform", "file_name": file_name}
    with transaction.atomic():
        try:
            template, counts = checklist_template_import(
                document=document,
                source=file_name,
                actor=actor,
                context=context,
                audit_data=audit,
            )
        except ChecklistDataError as exc:
            issue = places.issue(question=exc.question, key=exc.field, message=exc.detail)
            raise XLSFormError([issue]) from None
        _xform_or_error(content)  # raising here undoes the writes above
    return template, counts
