"""Reads for the agency portal and for responses, already filtered for the user.

The portal lists the recommendations addressed to a liaison's agency and its sub-units, once
issued (`recommendations_visible_to`), sorted by due date, with due-soon and overdue flags
computed in working days (`..deadlines`). One filter definition (`PortalFilter`) serves the
page and the tallies' links.
"""

import datetime
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import django_filters
from django import forms
from django.db.models import F, Prefetch, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from vigil.accounts.models import User
from vigil.core.calendar import WorkingCalendar
from vigil.core.collation import SortKey
from vigil.core.forms import StyledForm
from vigil.core.search import NormalisedSearchFilter
from vigil.reference.filters import AgencySubtreeFilter
from vigil.reference.models import Agency
from vigil.registry.filters import name_field
from vigil.registry.models import Institution

from ..deadlines import DeadlineStatus, DeadlineWindow, deadline_status, due_soon_days
from ..enums import State, Tally
from ..models import Assessment, AuthorityResponse, Recommendation
from ..permissions import (
    can_use_agency_portal,
    can_view_responses,
    recommendations_visible_to,
    tally_agencies_visible_to,
)
from ..tally import NOT_ISSUED, states_in

AWAITING_ANSWER_STATES: frozenset[str] = frozenset(
    {State.ISSUED, State.AWAITING_RESPONSE, State.NO_RESPONSE, State.REOPENED}
)
"""States in which the addressee owes an answer: none given yet since the issue or the last
reminder (issued, awaiting, no response), or asked again after reopening."""


PORTAL_ORDER = (F("deadline").asc(nulls_last=True), "-issued_on", "pk")


def portal_recommendations(user: User) -> QuerySet[Recommendation]:
    """What the liaison may see, issued only, nearest deadline first."""
    return (
        recommendations_visible_to(user)
        .exclude(state__in=NOT_ISSUED)
        .select_related("addressee", "institution", "institution__region")
        .order_by(*PORTAL_ORDER)
    )


class _AgencyChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Agency) -> str:
        return obj.name


class _InstitutionChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Institution) -> str:
        return obj.name


class _OurUnitFilter(AgencySubtreeFilter):
    """One of the liaison's own units (the choices are set per user), with its sub-units."""

    field_class = _AgencyChoice


class _InstitutionFilter(django_filters.ModelChoiceFilter):
    field_class = _InstitutionChoice


class PortalFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[c for c in State.choices if c[0] != State.DRAFT],
        field_name="state",
        empty_label=_("Any status"),
    )
    tally = django_filters.ChoiceFilter(
        label=_("Official tally"),
        choices=Tally.choices,
        method="filter_tally",
        empty_label=_("Any"),
    )
    agency = _OurUnitFilter(
        field_name="addressee_id",
        label=_("Addressee"),
        empty_label=_("All our units"),
        help_text=_("Includes its sub-units."),
    )
    institution = _InstitutionFilter(
        label=_("Institution"),
        queryset=Institution.objects.none(),
        to_field_name="public_id",
        empty_label=_("All institutions"),
    )
    year = django_filters.NumberFilter(
        label=_("Year issued"),
        field_name="issued_on",
        lookup_expr="year",
        min_value=1990,
        max_value=2999,
    )
    awaiting = django_filters.BooleanFilter(
        label=_("Awaiting our answer"), method="filter_awaiting", widget=forms.CheckboxInput
    )
    overdue = django_filters.BooleanFilter(
        label=_("Overdue only"), method="filter_overdue", widget=forms.CheckboxInput
    )
    due_soon = django_filters.BooleanFilter(
        label=_("Due soon only"), method="filter_due_soon", widget=forms.CheckboxInput
    )
    search = NormalisedSearchFilter(label=_("Search"), fields=("reference", "text"))
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        empty_label=_("Nearest deadline first (default)"),
        fields=(
            ("deadline", "deadline"),
            ("reference", "reference"),
            ("issued_on", "issued"),
            ("state", "status"),
        ),
    )

    class Meta:
        model = Recommendation
        form = StyledForm
        fields = (
            "search",
            "status",
            "tally",
            "agency",
            "institution",
            "year",
            "awaiting",
            "overdue",
            "due_soon",
        )

    def __init__(
        self,
        data: Any = None,
        queryset: QuerySet[Recommendation] | None = None,
        *,
        user: User,
        window: DeadlineWindow,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, queryset, **kwargs)
        self.window = window
        agencies = tally_agencies_visible_to(user).order_by("code")
        self.filters["agency"].queryset = agencies
        self.form.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
        institutions = Institution.objects.filter(
            pk__in=recommendations_visible_to(user)
            .exclude(institution__isnull=True)
            .values("institution_id")
        ).order_by(SortKey(name_field()), "pk")
        self.filters["institution"].queryset = institutions
        self.form.fields["institution"].queryset = institutions  # type: ignore[attr-defined]
        for flag in ("awaiting", "overdue", "due_soon"):
            self.form.fields[flag].required = False

    def filter_queryset(self, queryset: QuerySet[Recommendation]) -> QuerySet[Recommendation]:
        qs = super().filter_queryset(queryset)
        if not [key for key in self.form.cleaned_data.get("ordering") or [] if key]:
            return qs.order_by(*PORTAL_ORDER)
        return qs.order_by(*qs.query.order_by, "pk")

    def filter_awaiting(
        self, qs: QuerySet[Recommendation], name: str, value: bool
    ) -> QuerySet[Recommendation]:
        return qs.filter(state__in=AWAITING_ANSWER_STATES) if value else qs

    def filter_tally(
        self, qs: QuerySet[Recommendation], name: str, value: str
    ) -> QuerySet[Recommendation]:
        return qs.filter(state__in=states_in(Tally(value)))

    def filter_overdue(
        self, qs: QuerySet[Recommendation], name: str, value: bool
    ) -> QuerySet[Recommendation]:
        return qs.filter(self.window.overdue_q()) if value else qs

    def filter_due_soon(
        self, qs: QuerySet[Recommendation], name: str, value: bool
    ) -> QuerySet[Recommendation]:
        return qs.filter(self.window.due_soon_q()) if value else qs


def portal_listing(
    user: User, params: QueryDict, window: DeadlineWindow | None = None
) -> PortalFilter:
    return PortalFilter(
        params,
        queryset=portal_recommendations(user),
        user=user,
        window=window or DeadlineWindow.on(),
    )


@dataclass(frozen=True)
class PortalRow:
    recommendation: Recommendation
    deadline: DeadlineStatus


def with_deadlines(
    recommendations: list[Recommendation],
    *,
    today: datetime.date | None = None,
    calendar: WorkingCalendar | None = None,
) -> list[PortalRow]:
    """Each recommendation with its due-soon and overdue flags (one calendar for all)."""
    calendar = calendar or WorkingCalendar()
    return [
        PortalRow(rec, deadline_status(rec.state, rec.deadline, today=today, calendar=calendar))
        for rec in recommendations
    ]


# ---------------------------------------------------------------- responses


def responses_for(user: User | None, recommendation: Recommendation) -> list[AuthorityResponse]:
    """The recommendation's responses with their attachments, corrections and assessments
    (oldest first), for whoever sees the recommendation."""
    if not can_view_responses(user, recommendation):
        return []
    return list(
        recommendation.responses.select_related("responding_agency", "submitted_by", "corrects")
        .prefetch_related(
            "attachments",
            "corrections",
            Prefetch(
                "assessments",
                queryset=Assessment.objects.select_related("assessed_by", "visit").order_by(
                    "created_at", "pk"
                ),
            ),
        )
        .order_by("created_at", "pk")
    )


# ---------------------------------------------------------------- the liaison's home block


@dataclass(frozen=True)
class PortalFigure:
    """One figure of the liaison's home: its count equals the count of the portal list its
    `query` opens (the same filter computes both)."""

    key: str
    count: int
    query: str
    label: Any
    explanation: Any


def _figure_definitions() -> list[tuple[str, dict[str, str], Any, Any]]:
    return [
        (
            "awaiting",
            {"awaiting": "true"},
            _("Awaiting our answer"),
            _(
                "No answer sent since the recommendation was issued, or since it was reopened "
                "(statuses issued, awaiting response, no response, reopened)."
            ),
        ),
        (
            "overdue",
            {"overdue": "true"},
            _("Overdue"),
            _(
                "The deadline has passed (working days) and the answer or the implementation is "
                "still owed: answered recommendations still being implemented count too."
            ),
        ),
        (
            "due_soon",
            {"due_soon": "true"},
            _("Due soon"),
            _(
                "Not overdue; the deadline falls within the next %(days)s working days, and the "
                "answer or the implementation is still owed."
            )
            % {"days": due_soon_days()},
        ),
    ]


@dataclass(frozen=True)
class PortalSummary:
    figures: list[PortalFigure]
    next_due: list[PortalRow]


def portal_home_summary(user: User, *, limit: int = 5) -> PortalSummary | None:
    """What a liaison must do next (None for anyone who does not use the portal), for the home
    page: each figure defined once, counted by the very filter of the list it links to, and
    the recommendations awaiting our answer, nearest deadline first."""
    if not can_use_agency_portal(user):
        return None
    calendar = WorkingCalendar()
    window = DeadlineWindow.on(calendar=calendar)
    figures: list[PortalFigure] = []
    awaiting: list[Recommendation] = []
    for key, params, label, explanation in _figure_definitions():
        query = urlencode(params)
        qs = portal_listing(user, QueryDict(query), window).qs
        figures.append(PortalFigure(key, qs.count(), query, label, explanation))
        if key == "awaiting":
            awaiting = list(qs[:limit])
    return PortalSummary(
        figures=figures,
        next_due=with_deadlines(awaiting, today=window.today, calendar=calendar),
    )
