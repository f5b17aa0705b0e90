"""What the UN follow-up's pages share: fetching a document or paragraph the user may
see (404 otherwise), the coordinators' gate (403), and the order of assessment sources."""

import uuid

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from vigil.accounts.models import User

from ..enums import AssessmentSource
from ..models import Assessment, Document, Paragraph
from ..permissions import (
    can_manage_international,
    documents_visible_to,
    paragraphs_visible_to,
)

SOURCE_ORDER = {source: n for n, source in enumerate(AssessmentSource.values)}


def document_or_404(user: User, public_id: uuid.UUID) -> Document:
    """Fetch and authorize: 404 for a document missing or not visible."""
    return get_object_or_404(documents_visible_to(user), public_id=public_id)


def paragraph_or_404(user: User, public_id: uuid.UUID) -> Paragraph:
    """Fetch and authorize: 404 for a paragraph missing or not visible."""
    return get_object_or_404(
        paragraphs_visible_to(user).select_related("document"), public_id=public_id
    )


def require_manager(user: User) -> None:
    if not can_manage_international(user):
        raise PermissionDenied


def source_key(assessment: Assessment) -> tuple[int, str]:
    return (SOURCE_ORDER.get(assessment.source, len(SOURCE_ORDER)), assessment.source_name)
