"""The UN follow-up's part of the site shell: its menu entry (in the "UN follow-up" group,
which the app's other pages may join), and the links from the audit log to a document and a
paragraph."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from vigil.audit.links import PublicIdLinks, register_target
from vigil.core.contributions import (
    MenuEntry,
    PageSection,
    register_menu_entry,
    register_page_section,
)

from .models import Document
from .permissions import (
    can_view_international,
    documents_visible_to,
    hidden_fields,
    paragraphs_visible_to,
)
from .selectors import paragraphs_linked_to

UN_FOLLOW_UP = _("UN follow-up")
"""The main menu's group of the app's pages (one entry alone shows as a plain entry)."""


def recommendation_paragraphs(user: Any, recommendation: Any) -> Mapping[str, Any] | None:
    """The section of the recommendation's page (and the agency portal's): the UN paragraphs
    it is evidence for, as far as the viewer sees them."""
    paragraphs = list(paragraphs_linked_to(user, recommendation))
    if not paragraphs:
        return None
    return {"un_paragraphs": paragraphs}


def register() -> None:
    register_page_section(
        "recommendations.recommendation",
        PageSection(
            "un_paragraphs",
            "international/links/_recommendation_paragraphs.html",
            50,
            recommendation_paragraphs,
        ),
    )
    register_menu_entry(
        MenuEntry(
            "international",
            _("UN documents"),
            "international:document_list",
            45,
            can_view_international,
            UN_FOLLOW_UP,
        )
    )
    register_target(
        "international.document",
        PublicIdLinks(documents_visible_to, "international:document_detail"),
        _document_fields_hidden_from,
    )
    register_target(
        "international.paragraph",
        PublicIdLinks(paragraphs_visible_to, "international:paragraph_detail"),
    )


def _document_fields_hidden_from(user: object) -> frozenset[str]:
    return hidden_fields(user, Document)  # type: ignore[arg-type]
