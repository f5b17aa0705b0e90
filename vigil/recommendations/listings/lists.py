"""The recommendations list, the agency portal's list and the visits awaiting issuing.

Export columns are stable, machine-friendly names (codes for references, ISO dates); a column
naming NPM staff is left out for whom `recommendation_fields_hidden_from` hides it, and a
liaison's export holds only its agency's recommendations (the list's own scope).
"""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import django_filters
from django.core.paginator import Page
from django.db.models import F, Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from vigil.accounts.models import User
from vigil.core.forms import StyledForm
from vigil.core.listing import Column, Filtered, Listing, from_filterset
from vigil.core.search import NormalisedSearchFilter
from vigil.reference.filters import RegionFilter
from vigil.visits.models import Visit

from ..deadlines import DeadlineWindow
from ..filters import recommendation_listing
from ..models import Recommendation
from ..permissions import (
    can_issue_recommendations,
    can_use_agency_portal,
    can_view_recommendation_list,
    recommendation_fields_hidden_from,
)
from ..selectors.core import visits_with_approved_reports
from ..selectors.portal import portal_listing, with_deadlines


def _code(attr: str) -> Any:
    def value(rec: Recommendation) -> str:
        related = getattr(rec, attr)
        return related.code if related is not None else ""

    return value


def _institution(rec: Recommendation) -> str:
    institution = rec.institution
    if institution is None:
        return ""
    return institution.external_code or str(institution.public_id)


def _common_columns(window: DeadlineWindow) -> list[tuple[str, Column[Recommendation]]]:
    """(the model field a column reveals, the column), in the export's order."""
    return [
        ("reference", Column("reference", lambda r: r.reference)),
        ("external_ref", Column("external_ref", lambda r: r.external_ref or "")),
        ("source", Column("source", lambda r: r.source)),
        ("addressee", Column("addressee_code", _code("addressee"))),
        ("addressee", Column("addressee_name", lambda r: r.addressee.name)),
        ("institution", Column("institution_code", _institution)),
        (
            "institution",
            Column("institution_name", lambda r: r.institution.name if r.institution else ""),
        ),
        ("theme", Column("theme", lambda r: r.theme)),
        ("level", Column("level", lambda r: r.level)),
        ("issued_on", Column("issued_on", lambda r: r.issued_on)),
        ("deadline", Column("deadline", lambda r: r.deadline)),
        ("state", Column("state", lambda r: r.state)),
        ("deadline", Column("overdue", lambda r: window.is_overdue(r.state, r.deadline))),
        ("claimed_status", Column("claimed_status", lambda r: r.claimed_status)),
        ("assessed_verdict", Column("assessed_verdict", lambda r: r.assessed_verdict)),
        ("repeat_of", Column("repeat_of", lambda r: r.repeat_of.reference if r.repeat_of else "")),
        ("text", Column("text", lambda r: r.text)),
        ("indicator", Column("indicator", lambda r: r.indicator)),
        ("created_by", Column("created_by", lambda r: r.created_by.email if r.created_by else "")),
    ]


def recommendation_columns(user: User, window: DeadlineWindow) -> list[Column[Recommendation]]:
    hidden = recommendation_fields_hidden_from(user)
    return [column for field, column in _common_columns(window) if field not in hidden]


def _export_note(user: User) -> str | None:
    if recommendation_fields_hidden_from(user):
        return str(_("The export leaves out who at the NPM drafted each recommendation."))
    return None


class RecommendationListing(Listing[Recommendation]):
    name = "recommendations"
    count_label = ngettext_lazy("%(count)s recommendation", "%(count)s recommendations", "n")

    def allowed(self, user: User) -> bool:
        return can_view_recommendation_list(user)

    def filtered(self, user: User, params: QueryDict) -> Filtered[Recommendation]:
        return from_filterset(recommendation_listing(user, params), params)

    def columns(self, user: User) -> Sequence[Column[Recommendation]]:
        return recommendation_columns(user, DeadlineWindow.on())

    def export_rows(self, rows: Any) -> Iterable[Recommendation]:
        assert isinstance(rows, QuerySet)  # noqa: S101 (a filterset's queryset)
        return super().export_rows(rows.select_related("created_by"))

    def export_note(self, user: User) -> str | None:
        return _export_note(user)


class PortalListing(Listing[Recommendation]):
    name = "our-recommendations"
    count_label = ngettext_lazy("%(count)s recommendation", "%(count)s recommendations", "n")

    def allowed(self, user: User) -> bool:
        return can_use_agency_portal(user)

    def filtered(self, user: User, params: QueryDict) -> Filtered[Recommendation]:
        return from_filterset(portal_listing(user, params), params)

    def columns(self, user: User) -> Sequence[Column[Recommendation]]:
        return recommendation_columns(user, DeadlineWindow.on())

    def export_note(self, user: User) -> str | None:
        return _export_note(user)

    def page_context(
        self, user: User, filtered: Filtered[Recommendation], page: Page
    ) -> Mapping[str, Any]:
        return {"rows": with_deadlines(list(page.object_list))}


class ApprovedReportFilter(django_filters.FilterSet):
    search = NormalisedSearchFilter(label=_("Search"), fields=("reference", "title"))
    region = RegionFilter()
    drafts = django_filters.BooleanFilter(
        label=_("Drafts to issue"),
        method="filter_drafts",
        widget=django_filters.widgets.BooleanWidget(),
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        empty_label=_("Report approved, newest first (default)"),
        fields=(("reference", "reference"), ("report__approved_at", "approved")),
    )

    class Meta:
        model = Visit
        form = StyledForm
        fields = ("search", "region", "drafts")

    def filter_queryset(self, queryset: QuerySet[Visit]) -> QuerySet[Visit]:
        qs = super().filter_queryset(queryset)
        if not [key for key in self.form.cleaned_data.get("ordering") or [] if key]:
            return qs.order_by(F("report__approved_at").desc(nulls_last=True), "-pk")
        return qs.order_by(*qs.query.order_by, "pk")

    def filter_drafts(self, qs: QuerySet[Visit], name: str, value: bool) -> QuerySet[Visit]:
        # `draft_count` is the annotation of `visits_with_approved_reports`
        return qs.filter(Q(draft_count__gt=0) if value else Q(draft_count=0))


def _approved_on(visit: Visit) -> datetime.date | None:
    approved = visit.report.approved_at
    return timezone.localdate(approved) if approved is not None else None


class ApprovedReportListing(Listing[Visit]):
    """Visits whose report is approved, with the drafts that wait to be issued."""

    name = "approved-reports"
    count_label = ngettext_lazy("%(count)s approved report", "%(count)s approved reports", "n")

    def allowed(self, user: User) -> bool:
        return can_issue_recommendations(user)

    def filtered(self, user: User, params: QueryDict) -> Filtered[Visit]:
        return from_filterset(
            ApprovedReportFilter(params, queryset=visits_with_approved_reports(user)), params
        )

    def columns(self, user: User) -> Sequence[Column[Visit]]:
        return [
            Column("visit_reference", lambda v: v.reference),
            Column("title", lambda v: v.title),
            Column("region_code", lambda v: v.region.code if v.region else ""),
            Column("report_approved_on", _approved_on),
            Column("drafts", lambda v: v.draft_count),
            Column("issued", lambda v: v.issued_count),
        ]


RECOMMENDATION_LIST = RecommendationListing()
PORTAL_LIST = PortalListing()
APPROVED_REPORTS = ApprovedReportListing()
