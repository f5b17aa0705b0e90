"""The recommendations' filters: one definition for the list page, the API and exports.

Every figure elsewhere (tallies, dashboards) links to this list with the same parameters:
`agency` (a code; includes its sub-units), `institution` (id or external code), `status`
(a life-cycle state), `tally` (implemented / in_implementation / not_accepted), `year`
(of issue), `overdue` and `due_soon` (working days), `theme`, `level`, `source`, `visit`,
`repeated`, `search`.
"""

import datetime
import uuid
from typing import Any

import django_filters
from django import forms
from django.db.models import F, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from vigil.accounts.models import User
from vigil.core.forms import StyledForm
from vigil.core.search import NormalisedSearchFilter
from vigil.reference.filters import AgencySubtreeFilter, RegionFilter
from vigil.reference.models import InstitutionType, Region
from vigil.visits.enums import Theme

from .deadlines import DeadlineWindow
from .enums import Level, Source, State, Tally
from .models import Recommendation
from .permissions import in_regions_q
from .selectors.core import recommendation_list
from .tally import states_in


def _flag_widget(yes: Any, no: Any) -> forms.Select:
    return forms.Select(choices=[("", _("Any")), ("true", yes), ("false", no)])


class RecommendationFilter(django_filters.FilterSet):
    search = NormalisedSearchFilter(
        label=_("Search"),
        fields=("reference", "external_ref", "text", "indicator"),
        help_text=_("Reference, external reference or words of the text."),
    )
    agency = AgencySubtreeFilter(
        field_name="addressee_id",
        label=_("Addressee"),
        help_text=_("An agency's code; includes its sub-units."),
    )
    region = RegionFilter(
        method="filter_region",
        help_text=_("About an institution of the region, or addressed to its department."),
    )
    institution_type = django_filters.ModelChoiceFilter(
        label=_("Institution type"),
        queryset=InstitutionType.objects.order_by("category", "code"),
        to_field_name="code",
        empty_label=_("All types"),
        field_name="institution__type",
    )
    institution = django_filters.CharFilter(
        label=_("Institution"),
        method="filter_institution",
        help_text=_("The institution's id or external code."),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), field_name="state", choices=State.choices, empty_label=_("Any status")
    )
    tally = django_filters.ChoiceFilter(
        label=_("Official tally"),
        choices=Tally.choices,
        method="filter_tally",
        empty_label=_("Any"),
        help_text=_("Implemented, in implementation or not accepted, as published."),
    )
    year = django_filters.NumberFilter(
        label=_("Year issued"), method="filter_year", min_value=1990, max_value=2999
    )
    overdue = django_filters.BooleanFilter(
        label=_("Overdue"),
        method="filter_overdue",
        widget=_flag_widget(_("Overdue only"), _("Not overdue")),
        help_text=_("The deadline has passed (working days) and the answer is still owed."),
    )
    due_soon = django_filters.BooleanFilter(
        label=_("Due soon"),
        method="filter_due_soon",
        widget=_flag_widget(_("Due soon only"), _("Not due soon")),
    )
    theme = django_filters.ChoiceFilter(
        label=_("Theme"), choices=Theme.choices, empty_label=_("All themes")
    )
    level = django_filters.ChoiceFilter(
        label=_("Level"), choices=Level.choices, empty_label=_("All levels")
    )
    source = django_filters.ChoiceFilter(
        label=_("Source"), choices=Source.choices, empty_label=_("All sources")
    )
    visit = django_filters.UUIDFilter(
        label=_("Visit"), field_name="visit__public_id", help_text=_("The visit's id.")
    )
    repeated = django_filters.BooleanFilter(
        label=_("Repeated"),
        field_name="repeat_of",
        lookup_expr="isnull",
        exclude=True,
        widget=_flag_widget(_("Repeats only"), _("First raised")),
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        empty_label=_("Issue date, newest first (default)"),
        fields=(
            ("reference", "reference"),
            ("issued_on", "issued"),
            ("deadline", "deadline"),
            ("state", "status"),
            ("addressee__code", "addressee"),
        ),
    )

    class Meta:
        model = Recommendation
        form = StyledForm
        fields = ("search", "agency", "status", "tally", "year", "overdue", "theme", "level")

    def __init__(self, *args: Any, window: DeadlineWindow | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._window = window

    @property
    def window(self) -> DeadlineWindow:
        if self._window is None:
            self._window = DeadlineWindow.on()
        return self._window

    def filter_queryset(self, queryset: QuerySet[Recommendation]) -> QuerySet[Recommendation]:
        qs = super().filter_queryset(queryset)
        ordering = list(qs.query.order_by)
        if not ordering:
            return qs.order_by(F("issued_on").desc(nulls_first=True), "-pk")
        return qs.order_by(*ordering, "pk")

    def filter_institution(
        self, qs: QuerySet[Recommendation], name: str, value: str
    ) -> QuerySet[Recommendation]:
        value = value.strip()
        if not value:
            return qs
        try:
            return qs.filter(institution__public_id=uuid.UUID(value))
        except ValueError:
            return qs.filter(institution__external_code=value)

    def filter_region(
        self, qs: QuerySet[Recommendation], name: str, value: Region | None
    ) -> QuerySet[Recommendation]:
        return qs.filter(in_regions_q([value.pk])) if value else qs

    def filter_tally(
        self, qs: QuerySet[Recommendation], name: str, value: str
    ) -> QuerySet[Recommendation]:
        return qs.filter(state__in=states_in(Tally(value)))

    def filter_year(
        self, qs: QuerySet[Recommendation], name: str, value: Any
    ) -> QuerySet[Recommendation]:
        year = int(value)
        return qs.filter(
            issued_on__gte=datetime.date(year, 1, 1), issued_on__lte=datetime.date(year, 12, 31)
        )

    def filter_overdue(
        self, qs: QuerySet[Recommendation], name: str, value: bool
    ) -> QuerySet[Recommendation]:
        condition = self.window.overdue_q()
        return qs.filter(condition) if value else qs.exclude(condition)

    def filter_due_soon(
        self, qs: QuerySet[Recommendation], name: str, value: bool
    ) -> QuerySet[Recommendation]:
        condition = self.window.due_soon_q()
        return qs.filter(condition) if value else qs.exclude(condition)


PAGE_FILTERS = (
    "search",
    "agency",
    "region",
    "institution_type",
    "status",
    "tally",
    "year",
    "overdue",
    "due_soon",
    "theme",
    "level",
    "source",
    "repeated",
    "institution",
)
"""The filters shown in the list page's filter bar (the others work in the URL)."""


def recommendation_listing(
    user: User | None, params: QueryDict, window: DeadlineWindow | None = None
) -> RecommendationFilter:
    """The recommendations a user sees with these filters: one home for page, API, export."""
    window = window or DeadlineWindow.on()
    return RecommendationFilter(params, queryset=recommendation_list(user, window), window=window)
