"""The incidents list (recorded incidents and the visits' access incidents, one list: see
`selectors.incidents`) and the follow-up contacts list."""

from collections.abc import Sequence
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from vigil.accounts.models import User
from vigil.core.forms import StyledForm
from vigil.core.listing import (
    Column,
    Filtered,
    Listing,
    applied_filters,
    from_filterset,
    ordered_rows,
)
from vigil.reference.filters import RegionFilter

from ..enums import FollowUpOutcome
from ..forms.incidents import IncidentFilterForm
from ..models import FollowUpContact
from ..permissions import can_view_follow_ups, can_view_incidents, follow_ups_visible_to
from ..selectors.incidents import ORDERINGS, IncidentRow, incident_rows, linked_label


def _code(obj: Any, attr: str = "code") -> str:
    return str(getattr(obj, attr)) if obj is not None else ""


class IncidentListing(Listing[IncidentRow]):
    name = "incidents"
    count_label = ngettext_lazy("%(count)s incident", "%(count)s incidents", "n")

    def allowed(self, user: User) -> bool:
        return can_view_incidents(user)

    def filtered(self, user: User, params: QueryDict) -> Filtered[IncidentRow]:
        form = IncidentFilterForm(params)
        rows = incident_rows(user, form.filters())
        rows = ordered_rows(rows, params, ORDERINGS)
        return Filtered(form=form, rows=rows, applied=applied_filters(params, form.fields))

    def columns(self, user: User) -> Sequence[Column[IncidentRow]]:
        return [
            Column("reference", lambda r: r.reference),
            Column("source", lambda r: r.source),
            Column("kind", lambda r: r.kind),
            Column("detail", lambda r: r.detail),
            Column("occurred_on", lambda r: r.occurred_on),
            Column("region", lambda r: _code(r.region)),
            Column("institution_id", lambda r: _code(r.institution, "public_id")),
            Column("institution_name", lambda r: r.institution.name if r.institution else ""),
            Column("visit", lambda r: _code(r.visit, "reference")),
            Column("appeal", lambda r: _code(r.appeal, "reference")),
            Column("case", lambda r: _code(r.case, "reference")),
            Column("linked_to", linked_label),
            Column("persons_affected", lambda r: r.persons_affected),
        ]

    def export_note(self, user: User) -> str | None:
        return str(_("Interviewees appear by pseudonym only; no identity is exported."))


STATUS_CHOICES = [
    ("open", _("Open")),
    ("due", _("Due (today or earlier)")),
    ("overdue", _("Overdue")),
    ("done", _("Done")),
]


class FollowUpFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=STATUS_CHOICES, method="filter_status", empty_label=_("Any")
    )
    mine = django_filters.BooleanFilter(
        label=_("Assigned to me"),
        method="filter_mine",
        widget=forms.CheckboxInput,
    )
    region = RegionFilter(method="filter_region")
    outcome = django_filters.ChoiceFilter(
        label=_("Outcome"), choices=FollowUpOutcome.choices, empty_label=_("Any")
    )
    ordering = django_filters.OrderingFilter(
        fields=(("due_on", "due"), ("done_on", "done"), ("outcome", "outcome"))
    )

    class Meta:
        model = FollowUpContact
        fields: list[str] = []
        form = StyledForm

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def filter_status(self, qs: QuerySet[FollowUpContact], name: str, value: str) -> Any:
        today = timezone.localdate()
        if value == "open":
            return qs.filter(done_on__isnull=True)
        if value == "due":
            return qs.filter(done_on__isnull=True, due_on__lte=today)
        if value == "overdue":
            return qs.filter(done_on__isnull=True, due_on__lt=today)
        if value == "done":
            return qs.filter(done_on__isnull=False)
        return qs

    def filter_mine(self, qs: QuerySet[FollowUpContact], name: str, value: bool) -> Any:
        return qs.filter(assigned_to=self.user) if value else qs

    def filter_region(self, qs: QuerySet[FollowUpContact], name: str, value: Any) -> Any:
        if not value:
            return qs
        return qs.filter(Q(appeal__region=value) | Q(interview__visit__region=value))


def follow_up_listing(user: User, params: QueryDict) -> FollowUpFilter:
    data = params.copy()
    if "status" not in data:
        data["status"] = "open"
    qs = follow_ups_visible_to(user).select_related(
        "appeal",
        "interview",
        "interview__visit",
        "interview__institution",
        "appeal__institution",
        "assigned_to",
        "incident",
    )
    return FollowUpFilter(data, queryset=qs.order_by("due_on", "id"), user=user)


def _person(contact: FollowUpContact) -> str:
    if contact.appeal is not None:
        return contact.appeal.reference
    return contact.interview.pseudonym if contact.interview else ""


class FollowUpListing(Listing[FollowUpContact]):
    name = "follow-ups"
    count_label = ngettext_lazy("%(count)s follow-up contact", "%(count)s follow-up contacts", "n")

    def allowed(self, user: User) -> bool:
        return can_view_follow_ups(user)

    def filtered(self, user: User, params: QueryDict) -> Filtered[FollowUpContact]:
        return from_filterset(follow_up_listing(user, params), params)

    def columns(self, user: User) -> Sequence[Column[FollowUpContact]]:
        return [
            Column("id", lambda c: str(c.public_id)),
            Column("due_on", lambda c: c.due_on),
            Column("appeal", lambda c: c.appeal.reference if c.appeal else ""),
            Column("interview_pseudonym", lambda c: c.interview.pseudonym if c.interview else ""),
            Column("visit", lambda c: c.interview.visit.reference if c.interview else ""),
            Column("assigned_to", lambda c: c.assigned_to.email if c.assigned_to else ""),
            Column("done_on", lambda c: c.done_on),
            Column("outcome", lambda c: c.outcome),
            Column("incident", lambda c: c.incident.reference if c.incident else ""),
        ]

    def export_note(self, user: User) -> str | None:
        return str(_("People appear by appeal number or pseudonym; no identity is exported."))


INCIDENT_LIST = IncidentListing()
FOLLOW_UP_LIST = FollowUpListing()
