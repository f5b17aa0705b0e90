"""Filters of the UN follow-up's lists (django-filter), defined once for the API and the pages;
applied to what the caller already sees (`permissions.*_visible_to`)."""

import uuid

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from vigil.reference.models import Agency
from vigil.reference.selectors import agency_subtree_ids
from vigil.visits.enums import Theme

from .enums import AssessmentSource, Body, DocumentKind, LinkKind, LinkStatus
from .models import Assessment, Document, Paragraph, ParagraphLink


class DocumentFilter(django_filters.FilterSet):
    body = django_filters.ChoiceFilter(label=_("Body"), choices=Body.choices)
    kind = django_filters.ChoiceFilter(label=_("Kind of document"), choices=DocumentKind.choices)
    year = django_filters.NumberFilter(
        label=_("Adopted in"), field_name="adopted_on__year", min_value=1900, max_value=2099
    )
    adopted_from = django_filters.DateFilter(
        label=_("Adopted from"), field_name="adopted_on", lookup_expr="gte"
    )
    adopted_to = django_filters.DateFilter(
        label=_("Adopted to"), field_name="adopted_on", lookup_expr="lte"
    )
    follow_up = django_filters.BooleanFilter(
        label=_("With follow-up paragraphs"),
        method="filter_follow_up",
        help_text=_("Documents with (true) or without (false) a follow-up paragraph."),
    )

    class Meta:
        model = Document
        fields = ("body", "kind", "year", "adopted_from", "adopted_to", "follow_up")

    def filter_follow_up(
        self, qs: QuerySet[Document], name: str, value: bool | None
    ) -> QuerySet[Document]:
        if value is None:
            return qs
        with_follow_up = Paragraph.objects.filter(follow_up=True).values("document_id")
        return qs.filter(pk__in=with_follow_up) if value else qs.exclude(pk__in=with_follow_up)


class ParagraphFilter(django_filters.FilterSet):
    document = django_filters.CharFilter(
        label=_("Document"),
        method="filter_document",
        help_text=_("The document's id or symbol, e.g. CAT/C/KAZ/CO/4."),
    )
    theme = django_filters.ChoiceFilter(
        label=_("Theme"), choices=Theme.choices, method="filter_theme"
    )
    follow_up = django_filters.BooleanFilter(label=_("Follow-up paragraph"))
    addressee = django_filters.ModelChoiceFilter(
        label=_("Addressed to"),
        queryset=Agency.objects.order_by("code"),
        to_field_name="code",
        method="filter_addressee",
        help_text=_("An agency's code; includes its sub-units."),
    )

    class Meta:
        model = Paragraph
        fields = ("document", "theme", "follow_up", "addressee")

    def filter_document(
        self, qs: QuerySet[Paragraph], name: str, value: str
    ) -> QuerySet[Paragraph]:
        value = value.strip()
        if not value:
            return qs
        try:
            return qs.filter(document__public_id=uuid.UUID(value))
        except ValueError:
            return qs.filter(document__symbol=value)

    def filter_theme(self, qs: QuerySet[Paragraph], name: str, value: str) -> QuerySet[Paragraph]:
        # The codes T1–T8 are kept space-separated; none is a part of another.
        return qs.filter(themes__contains=value) if value else qs

    def filter_addressee(
        self, qs: QuerySet[Paragraph], name: str, value: Agency | None
    ) -> QuerySet[Paragraph]:
        if value is None:
            return qs
        addressed = Paragraph.objects.filter(addressees__in=agency_subtree_ids(value))
        return qs.filter(pk__in=addressed.values("pk"))


def _paragraph() -> django_filters.UUIDFilter:
    return django_filters.UUIDFilter(
        label=_("Paragraph"), field_name="paragraph__public_id", help_text=_("The paragraph's id.")
    )


class AssessmentFilter(django_filters.FilterSet):
    paragraph = _paragraph()
    document = django_filters.UUIDFilter(
        label=_("Document"),
        field_name="paragraph__document__public_id",
        help_text=_("The document's id."),
    )
    source = django_filters.ChoiceFilter(label=_("Source"), choices=AssessmentSource.choices)
    source_name = django_filters.CharFilter(
        label=_("Assessed by"), field_name="source_name", lookup_expr="iexact"
    )
    scale = django_filters.CharFilter(
        label=_("Scale"), field_name="grade__scale__code", help_text=_("The scale's code.")
    )

    class Meta:
        model = Assessment
        fields = ("paragraph", "document", "source", "source_name", "scale")


class LinkFilter(django_filters.FilterSet):
    paragraph = _paragraph()
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=LinkKind.choices)
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=LinkStatus.choices,
        help_text=_("Rejected suggestions are listed to coordinators only."),
    )

    class Meta:
        model = ParagraphLink
        fields = ("paragraph", "kind", "status")
