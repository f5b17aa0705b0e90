"""The registry's filters: one definition for the page, the API and the exports."""

from typing import Any

import django_filters
from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from vigil.accounts.models import User
from vigil.core.collation import alphabetical
from vigil.core.forms import DateInput, StyledForm
from vigil.reference.enums import InstitutionCategory
from vigil.reference.filters import AgencySubtreeFilter, RegionFilter
from vigil.reference.models import InstitutionType

from .enums import InstitutionStatus
from .models import Institution
from .permissions import can_see_visit_coverage, institutions_visible_to
from .selectors import institution_search

NAME_COLUMNS = ("name_kk", "name_ru", "name_en")
"""The name columns, ordered alphabetically (Kazakh letters in their place)."""


def name_field() -> str:
    """The name column of the active language, so that lists sort the way they read."""
    lang = (get_language() or "")[:2]
    return f"name_{lang}" if lang in {code for code, _label in settings.LANGUAGES} else "name_ru"


class InstitutionOrdering(django_filters.OrderingFilter):
    """`name` sorts by the name in the active language."""

    def get_ordering_value(self, param: str) -> str:
        if param.lstrip("-") == "name":
            return ("-" if param.startswith("-") else "") + name_field()
        return str(super().get_ordering_value(param))


class InstitutionFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(label=_("Search"), method="filter_search")
    region = RegionFilter()
    agency = AgencySubtreeFilter(field_name="agency_id")
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
        widget=DateInput(),
        help_text=_("Institutions never visited, or last visited before this date."),
    )
    ordering = InstitutionOrdering(
        label=_("Sort by"),
        empty_label=_("Name (default)"),
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

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user is None and self.request is not None:
            user = self.request.user  # the API's filter backend passes the request
        if not can_see_visit_coverage(user):
            # Nothing about visit coverage for a supervised agency: no filter, no sort.
            del self.filters["not_visited_since"]
            ordering = self.filters["ordering"]
            assert isinstance(ordering, InstitutionOrdering)  # noqa: S101 (declared above)
            ordering.param_map.pop("last_visited", None)
            ordering.extra["choices"] = [
                choice
                for choice in ordering.extra["choices"]
                if choice[0].lstrip("-") != "last_visited"
            ]
            # The form field is built once and cached on the filter: a copy of a class filter
            # whose field was built already (by the API schema, say) would keep every choice.
            ordering.__dict__.pop("_field", None)

    def filter_queryset(self, queryset: QuerySet[Institution]) -> QuerySet[Institution]:
        qs = super().filter_queryset(queryset)
        # Default order is by name; the primary key last, so that pages never overlap.
        ordering = [str(o) for o in qs.query.order_by] or [name_field()]
        return qs.order_by(*alphabetical(ordering, NAME_COLUMNS), "pk")

    def filter_search(
        self, qs: QuerySet[Institution], name: str, value: str
    ) -> QuerySet[Institution]:
        return institution_search(qs, value)

    def filter_not_visited_since(
        self, qs: QuerySet[Institution], name: str, value: Any
    ) -> QuerySet[Institution]:
        return qs.filter(Q(last_visited_on__lt=value) | Q(last_visited_on__isnull=True))


def institution_listing(user: User, params: QueryDict) -> InstitutionFilter:
    """The registry as a user sees it with these filters: one home for list page and export."""
    visible = institutions_visible_to(user).select_related("type", "agency", "region")
    return InstitutionFilter(params, queryset=visible, user=user)
