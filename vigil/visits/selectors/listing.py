"""The visits list: its filters (one definition for the page, its export and the API), the
rule of a made visit, and the visible visits it lists.
Already filtered for the user (`visits_visible_to`), so that an agency liaison never meets a
visit that has not started — in a list, a count or a search."""

from typing import Any

import django_filters
from django import forms
from django.db.models import (
    Case,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from vigil.accounts.models import User
from vigil.core.forms import StyledForm
from vigil.core.listing import nulls_last
from vigil.core.search import search_filter
from vigil.reference.filters import AgencySubtreeFilter, RegionFilter
from vigil.reference.models import Agency, InstitutionType
from vigil.reference.selectors import agency_subtree_ids
from vigil.registry.filters import name_field
from vigil.registry.models import Institution
from vigil.registry.permissions import institutions_visible_to
from vigil.registry.selectors import institution_search

from ..enums import NOT_STARTED_STATES, VisitMode, VisitState, VisitType
from ..models import (
    Visit,
)
from ..permissions import can_see_visit_details, visits_visible_to


class VisitOrdering(django_filters.OrderingFilter):
    """`date` is the date the row shows (the planned start; for agency liaisons, the actual
    start), `institution` the first institution shown, `state` the life-cycle order."""

    def filter(self, qs: QuerySet[Visit], value: Any) -> QuerySet[Visit]:
        keys = {param.lstrip("-") for param in value or ()}
        if "institution" in keys:
            parent = self.parent
            assert isinstance(parent, VisitFilter)  # noqa: S101 (declared on it)
            shown = institutions_visible_to(parent.user).filter(visits=OuterRef("pk"))
            qs = qs.annotate(
                first_institution=Subquery(shown.order_by("pk").values(name_field())[:1])
            )
        if "state" in keys:
            steps = [When(state=state, then=n) for n, state in enumerate(VisitState.values)]
            qs = qs.annotate(state_step=Case(*steps, output_field=IntegerField()))
        return super().filter(qs, value)  # type: ignore[no-any-return]


def made_visits_q() -> Q:
    """A visit that was made: it started (its actual start is recorded) and was not called off.
    The year of a made visit is the year it started. Statistics count visits by this rule, and
    the visits list's `made_in` filter shows the visits behind each figure."""
    not_made = {*NOT_STARTED_STATES, VisitState.CANCELLED}
    return Q(started_at__isnull=False) & ~Q(state__in=not_made)


class VisitFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Reference or institution"), method="filter_q")
    year = django_filters.NumberFilter(
        label=_("Year"), method="filter_year", min_value=1990, max_value=2999
    )
    made_in = django_filters.NumberFilter(
        label=_("Made in"),
        method="filter_made_in",
        min_value=1990,
        max_value=2999,
        help_text=_("Visits that took place in this year (by their actual start)."),
    )
    month = django_filters.NumberFilter(
        label=_("Month"), method="filter_month", min_value=1, max_value=12
    )
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=VisitState.choices, empty_label=_("Any state")
    )
    type = django_filters.ChoiceFilter(
        label=_("Type"), choices=VisitType.choices, empty_label=_("Any type")
    )
    mode = django_filters.ChoiceFilter(
        label=_("Mode"), choices=VisitMode.choices, empty_label=_("Any mode")
    )
    region = RegionFilter()
    # One visit meets one institution once: the join adds no duplicate row.
    institution = django_filters.UUIDFilter(
        label=_("Institution"), field_name="institutions__public_id", widget=forms.HiddenInput
    )
    agency = AgencySubtreeFilter(method="filter_agency")
    institution_type = django_filters.ModelChoiceFilter(
        label=_("Institution type"),
        queryset=InstitutionType.objects.order_by("category", "code"),
        to_field_name="code",
        empty_label=_("All types"),
        method="filter_institution_type",
    )
    ordering = VisitOrdering(
        label=_("Sort by"),
        empty_label=_("Date, newest first (default)"),
        fields=(
            ("planned_start", "date"),
            ("reference", "reference"),
            ("first_institution", "institution"),
            ("region__code", "region"),
            ("state_step", "state"),
        ),
    )

    class Meta:
        model = Visit
        form = StyledForm
        fields = (
            "q",
            "year",
            "made_in",
            "month",
            "state",
            "type",
            "mode",
            "region",
            "agency",
            "institution_type",
            "institution",
        )

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user or getattr(self.request, "user", None)
        self.date_field = "planned_start"
        if not can_see_visit_details(self.user):
            # An agency liaison sees the actual start, never the planned one: sort by it.
            self.date_field = "started_at"
            ordering = self.filters["ordering"]
            assert isinstance(ordering, VisitOrdering)  # noqa: S101 (declared above)
            ordering.param_map["date"] = "started_at"

    def filter_queryset(self, queryset: QuerySet[Visit]) -> QuerySet[Visit]:
        qs = super().filter_queryset(queryset)
        # Newest first by default; the primary key last, so that pages never overlap.
        ordering = [str(o) for o in qs.query.order_by] or [f"-{self.date_field}"]
        tiebreak = "-pk" if ordering[-1].startswith("-") else "pk"
        return qs.order_by(*nulls_last(ordering), tiebreak)

    def filter_q(self, qs: QuerySet[Visit], name: str, value: str) -> QuerySet[Visit]:
        visible = institutions_visible_to(self.user)

        def at_institution(word: str) -> Q:
            places = institution_search(visible, word)
            return Q(pk__in=Visit.objects.filter(institutions__in=places).values("pk"))

        return search_filter(qs, value, ["reference"], also=at_institution)

    def filter_year(self, qs: QuerySet[Visit], name: str, value: Any) -> QuerySet[Visit]:
        """The plan's year; for an agency liaison the year the visit actually started (the
        plan is embargoed)."""
        if value is None:
            return qs
        if self.date_field == "started_at":
            return qs.filter(started_at__year=int(value))
        return qs.filter(plan__year=int(value))

    def filter_month(self, qs: QuerySet[Visit], name: str, value: Any) -> QuerySet[Visit]:
        """The planned month; for an agency liaison the month the visit actually started, so
        that a filter never reveals an embargoed planned date."""
        if value is None:
            return qs
        return qs.filter(**{f"{self.date_field}__month": int(value)})

    def filter_agency(self, qs: QuerySet[Visit], name: str, value: Agency) -> QuerySet[Visit]:
        places = Institution.objects.filter(agency_id__in=agency_subtree_ids(value))
        return qs.filter(pk__in=Visit.objects.filter(institutions__in=places).values("pk"))

    def filter_institution_type(
        self, qs: QuerySet[Visit], name: str, value: InstitutionType
    ) -> QuerySet[Visit]:
        places = Institution.objects.filter(type=value)
        return qs.filter(pk__in=Visit.objects.filter(institutions__in=places).values("pk"))

    def filter_made_in(self, qs: QuerySet[Visit], name: str, value: Any) -> QuerySet[Visit]:
        if value is None:
            return qs
        return qs.filter(made_visits_q(), started_at__year=int(value))


def visits_for_listing(user: User | None) -> QuerySet[Visit]:
    """Visible visits, each with the institutions the user may see in the registry."""
    shown = institutions_visible_to(user).select_related("region").order_by("pk")
    return (
        visits_visible_to(user)
        .select_related("region", "plan")
        .prefetch_related(Prefetch("institutions", queryset=shown))
    )


def visit_listing(user: User, params: QueryDict) -> VisitFilter:
    """The visits a user may see, with the list page's (and the API's) filters."""
    return VisitFilter(params, queryset=visits_for_listing(user), user=user)


def listed_institution(user: User | None, form: Any) -> Institution | None:
    """The institution a list is narrowed to (`?institution=`), if the user may see it."""
    key = form.cleaned_data.get("institution") if form.is_valid() else None
    return institutions_visible_to(user).filter(public_id=key).first() if key else None


# ---------------------------------------------------------------- annual plan
