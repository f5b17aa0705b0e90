"""Reads of appeals, already filtered by the policy: the list's filters (one definition for
the page, its export and the API), the home blocks' counts, a visit's appeals."""

import datetime
import uuid
from typing import Any

import django_filters
from django import forms
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vigil.accounts.models import User
from vigil.core.forms import DateInput, StyledForm
from vigil.core.search import NormalisedSearchFilter
from vigil.reference.filters import AgencySubtreeFilter, InstitutionTypeFilter, RegionFilter
from vigil.visits.models import Visit

from ..deadlines import HANDLED_STATES, current_due, due_today_q, overdue_q
from ..enums import AppealState, Channel, Urgency
from ..models import AllegationType, Appeal, AppealIdentity, AppealSubject
from ..permissions import appeals_visible_to, can_see_repeat_writers
from ..services.duplicates import repeat_fingerprints
from .alerts import ill_treatment_q
from .stages import APPEAL_STAGES

URGENCY_RANK = {Urgency.IMMEDIATE: 0, Urgency.URGENT: 1, Urgency.ROUTINE: 2}


def appeal_list(user: User | None) -> QuerySet[Appeal]:
    """The appeals `user` sees, with what a list row shows joined."""
    return appeals_visible_to(user).select_related(
        "institution", "region", "subject", "assigned_to"
    )


def _flag_widget(yes: Any) -> forms.Select:
    return forms.Select(choices=[("", _("Any")), ("true", yes), ("false", _("No"))])


class AppealFilter(django_filters.FilterSet):
    search = NormalisedSearchFilter(
        label=_("Search"),
        fields=("reference", "summary"),
        help_text=_("Reference or words of the summary (never what the appellant wrote)."),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        field_name="state",
        choices=AppealState.choices,
        empty_label=_("Any status"),
    )
    channel = django_filters.ChoiceFilter(
        label=_("Channel"), choices=Channel.choices, empty_label=_("All channels")
    )
    subject = django_filters.ModelChoiceFilter(
        label=_("Subject"),
        queryset=AppealSubject.objects.all(),
        to_field_name="code",
        empty_label=_("All subjects"),
        null_label=_("No subject yet"),
        null_value="none",
    )
    allegation = django_filters.ModelChoiceFilter(
        label=_("Allegation"),
        field_name="allegation_types",
        queryset=AllegationType.objects.all(),
        to_field_name="code",
        empty_label=_("All allegations"),
    )
    ill_treatment = django_filters.BooleanFilter(
        label=_("Ill-treatment"),
        method="filter_ill_treatment",
        widget=_flag_widget(_("Alleging torture or cruel treatment")),
    )
    stage = django_filters.ChoiceFilter(
        label=_("Reached"),
        method="filter_stage",
        choices=[(key, label) for key, (label, _q) in APPEAL_STAGES.items()],
        empty_label=_("Any stage"),
        help_text=_("How far the appeal went through its referrals and criminal cases."),
    )
    urgency = django_filters.ChoiceFilter(
        label=_("Urgency"), choices=Urgency.choices, empty_label=_("Any urgency")
    )
    year = django_filters.NumberFilter(
        label=_("Received in"), field_name="received_on__year", min_value=1990, max_value=2999
    )
    region = RegionFilter()
    agency = AgencySubtreeFilter(field_name="institution__agency")
    institution_type = InstitutionTypeFilter(field_name="institution__type")
    institution = django_filters.CharFilter(
        label=_("Institution"),
        method="filter_institution",
        help_text=_("The institution's id or external code."),
    )
    assigned = django_filters.UUIDFilter(
        label=_("Assigned to"), field_name="assigned_to__public_id", help_text=_("A user's id.")
    )
    visit = django_filters.UUIDFilter(
        label=_("Visit"), field_name="visit__public_id", help_text=_("The visit's id.")
    )
    due_today = django_filters.BooleanFilter(
        label=_("Due today"), method="filter_due_today", widget=_flag_widget(_("Due today"))
    )
    overdue = django_filters.BooleanFilter(
        label=_("Overdue"), method="filter_overdue", widget=_flag_widget(_("Overdue only"))
    )
    mine = django_filters.BooleanFilter(
        label=_("Mine"), method="filter_mine", widget=_flag_widget(_("Assigned to me"))
    )
    repeat_writer = django_filters.BooleanFilter(
        label=_("From a repeat writer"),
        method="filter_repeat_writer",
        widget=_flag_widget(_("Repeat writers only")),
    )
    received_from = django_filters.DateFilter(
        label=_("Received from"), field_name="received_on", lookup_expr="gte", widget=DateInput()
    )
    received_to = django_filters.DateFilter(
        label=_("Received to"), field_name="received_on", lookup_expr="lte", widget=DateInput()
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        empty_label=_("Received, newest first (default)"),
        fields=(
            ("reference", "reference"),
            ("received_on", "received"),
            ("current_due", "due"),
            ("state", "status"),
            ("urgency_rank", "urgency"),
        ),
    )

    class Meta:
        model = Appeal
        form = StyledForm
        fields = ("search", "status", "channel", "urgency")

    def __init__(
        self, *args: Any, user: User | None = None, today: datetime.date | None = None, **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        if user is None and self.request is not None:
            caller = getattr(self.request, "user", None)
            user = caller if isinstance(caller, User) else None
        self.user = user
        self.today = today or timezone.localdate()
        if not can_see_repeat_writers(user):
            del self.filters["repeat_writer"]

    def filter_queryset(self, queryset: QuerySet[Appeal]) -> QuerySet[Appeal]:
        qs = super().filter_queryset(queryset)
        ordering = list(qs.query.order_by)
        if not ordering:
            return qs.order_by("-received_on", "-pk")
        return qs.order_by(
            *(
                F(o[1:]).desc(nulls_last=True) if o.startswith("-") else F(o).asc(nulls_last=True)
                for o in ordering
                if isinstance(o, str)
            ),
            "pk",
        )

    def filter_institution(self, qs: QuerySet[Appeal], name: str, value: str) -> QuerySet[Appeal]:
        value = value.strip()
        if not value:
            return qs
        try:
            return qs.filter(institution__public_id=uuid.UUID(value))
        except ValueError:
            return qs.filter(institution__external_code=value)

    def filter_ill_treatment(
        self, qs: QuerySet[Appeal], name: str, value: bool
    ) -> QuerySet[Appeal]:
        alleging = ill_treatment_q()
        return qs.filter(alleging) if value else qs.exclude(alleging)

    def filter_stage(self, qs: QuerySet[Appeal], name: str, value: str) -> QuerySet[Appeal]:
        return qs.filter(APPEAL_STAGES[value][1]()) if value in APPEAL_STAGES else qs

    def filter_due_today(self, qs: QuerySet[Appeal], name: str, value: bool) -> QuerySet[Appeal]:
        return qs.filter(due_today_q(self.today)) if value else qs.exclude(due_today_q(self.today))

    def filter_overdue(self, qs: QuerySet[Appeal], name: str, value: bool) -> QuerySet[Appeal]:
        return qs.filter(overdue_q(self.today)) if value else qs.exclude(overdue_q(self.today))

    def filter_mine(self, qs: QuerySet[Appeal], name: str, value: bool) -> QuerySet[Appeal]:
        mine = Q(assigned_to=self.user) if self.user is not None else Q(pk__in=[])
        return qs.filter(mine) if value else qs.exclude(mine)

    def filter_repeat_writer(
        self, qs: QuerySet[Appeal], name: str, value: bool
    ) -> QuerySet[Appeal]:
        repeat = Q(identity__fingerprint__in=repeat_fingerprints())
        return qs.filter(repeat) if value else qs.exclude(repeat)


PAGE_FILTERS = (
    "search",
    "status",
    "channel",
    "subject",
    "allegation",
    "urgency",
    "year",
    "region",
    "stage",
    "due_today",
    "overdue",
    "mine",
    "repeat_writer",
    "received_from",
    "received_to",
)
"""The filters shown in the list page's bar (institution, assigned and visit work in the URL)."""


def appeal_rows(user: User | None) -> QuerySet[Appeal]:
    """The appeals `user` sees, annotated for sorting (current due date, urgency rank) and
    with the number of other appeals from the same sealed person (`repeat_count`)."""
    same_person = (
        AppealIdentity.objects.filter(fingerprint=OuterRef("identity__fingerprint"))
        .exclude(fingerprint="")
        .values("fingerprint")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return _annotated(appeal_list(user)).annotate(
        repeat_count=Coalesce(Subquery(same_person), Value(1)) - Value(1)
    )


def _annotated(qs: QuerySet[Appeal]) -> QuerySet[Appeal]:
    return qs.annotate(
        current_due=Coalesce("extended_until", "due_on"),
        urgency_rank=Case(
            *(When(urgency=k, then=Value(v)) for k, v in URGENCY_RANK.items()),
            default=Value(9),
            output_field=IntegerField(),
        ),
    )


def appeal_listing(
    user: User | None, params: QueryDict, today: datetime.date | None = None
) -> AppealFilter:
    """The appeals a user sees with these filters: one home for the page, export and API."""
    return AppealFilter(params, queryset=_annotated(appeal_list(user)), user=user, today=today)


def appeal_counts(user: User, today: datetime.date | None = None) -> dict[str, int]:
    """The home blocks' numbers: due today, overdue, assigned to me."""
    today = today or timezone.localdate()
    return appeals_visible_to(user).aggregate(
        due_today=Count("pk", filter=due_today_q(today)),
        overdue=Count("pk", filter=overdue_q(today)),
        mine=Count("pk", filter=Q(assigned_to=user, state__in=HANDLED_STATES)),
    )


def visit_appeals(user: User, visit: Visit) -> QuerySet[Appeal]:
    """The appeals registered from a visit that `user` sees."""
    return appeal_list(user).filter(visit=visit).order_by("-received_on", "-pk")


def due_flag(appeal: Appeal, today: datetime.date | None = None) -> str:
    """ "overdue", "due_today" or "" (closed, answered, or not yet due)."""
    due = current_due(appeal)
    if due is None or appeal.state not in HANDLED_STATES:
        return ""
    today = today or timezone.localdate()
    if due < today:
        return "overdue"
    return "due_today" if due == today else ""
