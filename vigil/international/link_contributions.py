"""The UN follow-up's part of the recommendation's page: the UN paragraphs a recommendation
is linked to (confirmed links), as far as the viewer may see those paragraphs
(`paragraphs_visible_to`: a confidential report's paragraph only for coordinators, a liaison's
only those addressed to its agency). Registered from `InternationalConfig.ready()`."""

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse

from vigil.accounts.models import User
from vigil.core.contributions import PageSection, register_page_section
from vigil.recommendations.models import Recommendation

from .enums import LinkKind, LinkStatus
from .models import Paragraph
from .permissions import can_manage_international, links_visible_to, paragraphs_visible_to

PAGE = "recommendations.recommendation"
"""The recommendation's page (`recommendations:detail` and the agency portal's page)."""


def paragraphs_linked_to(user: User | None, recommendation: Recommendation) -> QuerySet[Paragraph]:
    """The paragraphs the user sees that a person linked to the recommendation, by document
    (newest first) and the paragraph's order."""
    linked = links_visible_to(user).filter(
        kind=LinkKind.RECOMMENDATION,
        recommendation=recommendation,
        status=LinkStatus.CONFIRMED,
    )
    return (
        paragraphs_visible_to(user)
        .filter(pk__in=linked.values("paragraph_id"))
        .select_related("document")
        .order_by("-document__adopted_on", "document__symbol", "position", "id")
    )


def _paragraph_url_name(user: User | None) -> str | None:
    """Where a paragraph links to: its page when the app has one, else (for those who
    decide links) the paragraph's links page."""
    names = ["international:paragraph_detail"]
    if can_manage_international(user):
        names.append("international:paragraph_links")
    for name in names:
        try:
            reverse(name, args=["00000000-0000-0000-0000-000000000000"])
        except NoReverseMatch:
            continue
        return name
    return None


def recommendation_paragraphs(user: Any, recommendation: Any) -> Mapping[str, Any] | None:
    paragraphs = list(paragraphs_linked_to(user, recommendation))
    if not paragraphs:
        return None
    return {"un_paragraphs": paragraphs, "un_paragraph_url_name": _paragraph_url_name(user)}


def register() -> None:
    register_page_section(
        PAGE,
        PageSection(
            "un_paragraphs",
            "international/links/_recommendation_paragraphs.html",
            50,
            recommendation_paragraphs,
        ),
    )
