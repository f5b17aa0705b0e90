"""The UN follow-up's part of the site shell: its menu entry (in the "UN follow-up" group,
which the app's other pages may join), and the links from the audit log to a document and a
paragraph."""

from django.utils.translation import gettext_lazy as _

from vigil.audit.links import PublicIdLinks, register_target
from vigil.core.contributions import MenuEntry, register_menu_entry

from .models import Document
from .permissions import (
    can_view_international,
    documents_visible_to,
    hidden_fields,
    paragraphs_visible_to,
)

UN_FOLLOW_UP = _("UN follow-up")
"""The main menu's group of the app's pages (one entry alone shows as a plain entry)."""


def register() -> None:
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
