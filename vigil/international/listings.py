"""The list of UN documents (`vigil.core.listing`): the page and its export.

Filters: the body, the kind of document, the year adopted, a search on the symbol and the
titles, and (for coordinators, who alone see them) whether the document is confidential. Each
row counts the paragraphs the viewer sees (a liaison: those addressed to its agency) and how
many of them are follow-up paragraphs. The export holds what the page shows, with codes for
the body and the kind and ISO dates; the paragraphs' texts stay on the document's page.
"""

from collections.abc import Sequence
from typing import Any

import django_filters
from django import forms
from django.db.models import Count, Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from vigil.accounts.models import User
from vigil.core.forms import StyledForm
from vigil.core.listing import Column, Filtered, Listing, from_filterset, nulls_last
from vigil.core.search import NormalisedSearchFilter

from .enums import Body, DocumentKind
from .models import Document
from .permissions import (
    can_see_confidential_documents,
    can_view_international,
    documents_visible_to,
    paragraphs_visible_to,
)


class DocumentFilter(django_filters.FilterSet):
    search = NormalisedSearchFilter(
        label=_("Symbol or title"), fields=("symbol", "title_en", "title_ru", "title_kk")
    )
    body = django_filters.ChoiceFilter(
        label=_("Body"), choices=Body.choices, empty_label=_("All bodies")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind of document"), choices=DocumentKind.choices, empty_label=_("All kinds")
    )
    year = django_filters.NumberFilter(
        label=_("Year adopted"),
        field_name="adopted_on",
        lookup_expr="year",
        min_value=1945,
        max_value=2999,
    )
    confidential = django_filters.BooleanFilter(
        label=_("Confidential"),
        widget=forms.Select(
            choices=[("", _("Any")), ("true", _("Confidential")), ("false", _("Public"))]
        ),
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        empty_label=_("Adopted, newest first (default)"),
        fields=(
            ("symbol", "symbol"),
            ("body", "body"),
            ("kind", "kind"),
            ("adopted_on", "adopted"),
            ("paragraph_count", "paragraphs"),
        ),
    )

    class Meta:
        model = Document
        form = StyledForm
        fields = ("search", "body", "kind", "year", "confidential")

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not can_see_confidential_documents(user):
            # The others see no unpublished report: the filter would tell them nothing.
            del self.filters["confidential"]

    def filter_queryset(self, queryset: QuerySet[Document]) -> QuerySet[Document]:
        qs = super().filter_queryset(queryset)
        ordering = list(qs.query.order_by) or ["-adopted_on", "symbol"]
        return qs.order_by(*nulls_last(ordering), "pk")


def document_listing(user: User, params: QueryDict) -> DocumentFilter:
    """The documents `user` sees, each with the number of its paragraphs the user sees."""
    seen = Q(paragraphs__in=paragraphs_visible_to(user))
    visible = documents_visible_to(user).annotate(
        paragraph_count=Count("paragraphs", filter=seen, distinct=True),
        follow_up_count=Count(
            "paragraphs", filter=seen & Q(paragraphs__follow_up=True), distinct=True
        ),
    )
    return DocumentFilter(params, queryset=visible, user=user)


DOCUMENT_COLUMNS: tuple[Column[Document], ...] = (
    Column("symbol", lambda d: d.symbol),
    Column("body", lambda d: d.body),
    Column("kind", lambda d: d.kind),
    Column("title_en", lambda d: d.title_en),
    Column("title_ru", lambda d: d.title_ru),
    Column("title_kk", lambda d: d.title_kk),
    Column("adopted_on", lambda d: d.adopted_on),
    Column("confidential", lambda d: d.confidential),
    Column("published_on", lambda d: d.published_on),
    Column("url", lambda d: d.url),
    Column("paragraphs", lambda d: d.paragraph_count),  # type: ignore[attr-defined]
    Column("follow_up_paragraphs", lambda d: d.follow_up_count),  # type: ignore[attr-defined]
)


class DocumentListing(Listing[Document]):
    name = "un-documents"
    count_label = ngettext_lazy("%(count)s document", "%(count)s documents", "n")

    def allowed(self, user: User) -> bool:
        return can_view_international(user)

    def filtered(self, user: User, params: QueryDict) -> Filtered[Document]:
        return from_filterset(document_listing(user, params), params)

    def columns(self, user: User) -> Sequence[Column[Document]]:
        return DOCUMENT_COLUMNS

    def export_note(self, user: User) -> str | None:
        return str(_("The paragraphs' texts and assessments are on each document's page."))


DOCUMENT_LIST = DocumentListing()
