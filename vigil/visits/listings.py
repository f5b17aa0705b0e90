"""Lists of visits (`vigil.core.listing`): every visit, my visits and a year's plan, with
their exports.

The export's columns follow the visit's policy: the NPM's roles and auditors get the
planning details (title, planned dates, theme, trigger, the team's lead); an agency liaison
never exports visits (`can_export_visits`), and its columns would be a started visit's
institutions, state and actual dates only. Institutions are those the user may see in the
registry; references are codes and dates ISO, as the import columns.
"""

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.paginator import Page
from django.db.models import Prefetch, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

from vigil.accounts.models import User
from vigil.core.listing import Column, Filtered, Listing, from_filterset
from vigil.people.permissions import can_view_own_visits

from .models import TeamMember, Visit
from .permissions import (
    can_export_visits,
    can_list_visits,
    can_see_visit_details,
    can_view_plans,
    visit_fields_hidden_from,
)
from .selectors.listing import VisitFilter, listed_institution, visit_listing


def _day(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment is not None else None


def _lead(visit: Visit) -> str:
    leads: list[TeamMember] = getattr(visit, "leads", [])
    return "; ".join(member.participant.user.full_name for member in leads)


VISIT_COLUMNS: tuple[Column[Visit], ...] = (
    Column("reference", lambda v: v.reference),
    Column("plan_year", lambda v: v.plan.year),
    Column("type", lambda v: v.type),
    Column("mode", lambda v: v.mode),
    Column("state", lambda v: v.state),
    Column("region", lambda v: v.region.code),
    Column("institutions", lambda v: "; ".join(i.name for i in v.institutions.all())),
    Column("title", lambda v: v.title),
    Column("planned_start", lambda v: v.planned_start),
    Column("planned_end", lambda v: v.planned_end),
    Column("started_on", lambda v: _day(v.started_at)),
    Column("ended_on", lambda v: _day(v.ended_at)),
    Column("theme", lambda v: v.theme),
    Column("trigger_kind", lambda v: v.trigger_kind),
    Column("follow_up_of", lambda v: v.follow_up_of.reference if v.follow_up_of else ""),
    Column("team_lead", _lead),
)
"""Every column a visit export may have."""

POLICY_FIELDS = {"team_lead": "team"}
"""The field of `visit_fields_hidden_from` a column shows, where its name differs."""

LIAISON_COLUMNS = frozenset(
    {"reference", "type", "state", "region", "institutions", "started_on", "ended_on"}
)
"""What an agency liaison sees of a started visit (`can_view_visit_details` is false)."""


class VisitListing(Listing[Visit]):
    """Every visit the user may see (`/visits/`)."""

    name = "visits"
    count_label = ngettext_lazy("%(count)s visit", "%(count)s visits", "n")

    def allowed(self, user: User) -> bool:
        return can_list_visits(user)

    def can_export(self, user: User) -> bool:
        return can_export_visits(user)

    def filterset(self, user: User, params: QueryDict) -> VisitFilter:
        return visit_listing(user, params)

    def filtered(self, user: User, params: QueryDict) -> Filtered[Visit]:
        return from_filterset(self.filterset(user, params), params)

    def page_context(self, user: User, filtered: Filtered[Visit], page: Page) -> Mapping[str, Any]:
        return {"institution": listed_institution(user, filtered.form)}

    def columns(self, user: User) -> Sequence[Column[Visit]]:
        hidden = visit_fields_hidden_from(user)
        details = can_see_visit_details(user)
        return [
            column
            for column in VISIT_COLUMNS
            if POLICY_FIELDS.get(column.name, column.name) not in hidden
            and (details or column.name in LIAISON_COLUMNS)
        ]

    def export_rows(self, rows: Any) -> Any:
        assert isinstance(rows, QuerySet)  # noqa: S101 (a filterset's queryset)
        leads = TeamMember.objects.filter(is_lead=True).select_related("participant__user")
        joined = rows.select_related("follow_up_of").prefetch_related(
            Prefetch("team", queryset=leads, to_attr="leads")
        )
        return super().export_rows(joined)

    def export_note(self, user: User) -> str | None:
        return _(
            "Objectives, trigger details and the team other than its lead are on each "
            "visit's page, not in the export."
        )


class MyVisitListing(VisitListing):
    """The visits whose team the user is on (`/visits/mine/`), in any state."""

    name = "my_visits"

    def allowed(self, user: User) -> bool:
        return can_view_own_visits(user)

    def filterset(self, user: User, params: QueryDict) -> VisitFilter:
        filterset = visit_listing(user, params)
        filterset.queryset = filterset.queryset.filter(
            pk__in=Visit.objects.filter(team__participant__user=user).values("pk")
        )
        return filterset


class PlanVisitListing(VisitListing):
    """A year's plan: its visits (`/visits/plan/<year>/`), filtered like every visit but
    the year, which the page gives."""

    name = "plan_visits"

    def __init__(self, year: int) -> None:
        self.year = year

    def allowed(self, user: User) -> bool:
        return can_view_plans(user)

    def filterset(self, user: User, params: QueryDict) -> VisitFilter:
        filterset = visit_listing(user, params)
        del filterset.filters["year"]
        filterset.queryset = filterset.queryset.filter(plan__year=self.year)
        return filterset


VISIT_LIST = VisitListing()
MY_VISIT_LIST = MyVisitListing()
