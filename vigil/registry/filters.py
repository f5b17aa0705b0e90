"""The registry's filters: one definition for the page, the API and the exports."""

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from vigil.core.forms import StyledForm

from .enums import InstitutionCategory, InstitutionStatus
from .models import Agency, Institution, InstitutionType, Region
from .selectors import agency_subtree_ids, institution_search


class InstitutionFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(label=_("Search"), method="filter_search")
    region = django_filters.ModelChoiceFilter(
        label=_("Region"),
        queryset=Region.objects.order_by("code"),
        to_field_name="code",
        empty_label=_("All regions"),
    )
    agency = django_filters.ModelChoiceFilter(
        label=_("Agency"),
        queryset=Agency.objects.order_by("code"),
        to_field_name="code",
        method="filter_agency",
        empty_label=_("All agencies"),
        help_text=_("Includes the agency's sub-units."),
    )
    type = django_filters.ModelChoiceFilter(
        label=_("Type"),
        queryset=InstitutionType.objects.order_by("category", "code"),
        to_field_name="code",
        empty_label=_("All types"),
    )
    category = django_filters.ChoiceFilter(
        label=_("Category"),
        field_name="type__category",
        choices=InstitutionCategory.choices,
        empty_label=_("All categories"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=InstitutionStatus.choices, empty_label=_("Any status")
    )
    not_visited_since = django_filters.DateFilter(
        label=_("Not visited since"),
        method="filter_not_visited_since",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Institutions never visited, or last visited before this date."),
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(
            ("name_ru", "name"),
            ("region__code", "region"),
            ("capacity", "capacity"),
            ("last_visited_on", "last_visited"),
        ),
    )

    class Meta:
        model = Institution
        form = StyledForm
        fields = ("search", "region", "agency", "type", "category", "status")

    def filter_search(
        self, qs: QuerySet[Institution], name: str, value: str
    ) -> QuerySet[Institution]:
        return institution_search(qs, value)

    def filter_agency(
        self, qs: QuerySet[Institution], name: str, value: Agency
    ) -> QuerySet[Institution]:
        return qs.filter(agency_id__in=agency_subtree_ids(value))

    def filter_not_visited_since(
        self, qs: QuerySet[Institution], name: str, value: Any
    ) -> QuerySet[Institution]:
        return qs.filter(Q(last_visited_on__lt=value) | Q(last_visited_on__isnull=True))
