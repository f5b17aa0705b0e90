"""The escalations-due queue: the recommendations that qualify for escalation, most overdue
first, with the filters of the job (addressee with its sub-units, region, institution type,
theme, reason, level, overdue by more than N days).

The rows carry what the page shows without a query per row (addressee, institution, region and
type joined); the reasons and the days overdue are computed in Python from the row's fields,
for the page only (`queue_rows`). The default order (`DUE_ORDER`: deadline, id) follows the
index on `deadline, id`, so deep pages cost what the first page costs.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from vigil.accounts.models import User
from vigil.core.forms import StyledForm
from vigil.reference.filters import AgencySubtreeFilter, RegionFilter
from vigil.reference.models import InstitutionType, Region
from vigil.visits.enums import Theme

from ..deadlines import DeadlineWindow
from ..enums import REASON_LABELS, EscalationReason, Level
from ..models import Recommendation
from ..services.escalation import (
    DUE_ORDER,
    escalation_candidates,
    escalation_reasons,
    reason_q,
)


class EscalationQueueFilter(django_filters.FilterSet):
    agency = AgencySubtreeFilter(
        field_name="addressee_id",
        label=_("Addressee"),
        empty_label=_("All addressees"),
        help_text=_("Includes its sub-units."),
    )
    region = RegionFilter(
        method="filter_region",
        empty_label=_("All regions"),
        help_text=_("The institution's region, or a regional department's."),
    )
    institution_type = django_filters.ModelChoiceFilter(
        label=_("Institution type"),
        queryset=InstitutionType.objects.order_by("code"),
        to_field_name="code",
        field_name="institution__type",
        empty_label=_("All types"),
    )
    theme = django_filters.ChoiceFilter(
        label=_("Theme"), choices=Theme.choices, empty_label=_("All themes")
    )
    reason = django_filters.ChoiceFilter(
        label=_("Why"),
        choices=EscalationReason.choices,
        method="filter_reason",
        empty_label=_("Any reason"),
    )
    level = django_filters.ChoiceFilter(
        label=_("Level"), choices=Level.choices, empty_label=_("All levels")
    )
    overdue_days = django_filters.NumberFilter(
        label=_("Overdue by more than (days)"),
        method="filter_overdue_days",
        min_value=0,
        max_value=36_500,
        help_text=_("Calendar days since the deadline."),
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        empty_label=_("Most overdue first (default)"),
        fields=(("deadline", "deadline"), ("issued_on", "issued"), ("reference", "reference")),
    )

    class Meta:
        model = Recommendation
        form = StyledForm
        fields = (
            "agency",
            "region",
            "institution_type",
            "theme",
            "reason",
            "level",
            "overdue_days",
        )

    def __init__(self, *args: Any, window: DeadlineWindow, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.window = window

    def filter_queryset(self, queryset: QuerySet[Recommendation]) -> QuerySet[Recommendation]:
        qs = super().filter_queryset(queryset)
        chosen = [key for key in self.form.cleaned_data.get("ordering") or [] if key]
        if not chosen or chosen == ["deadline"]:
            return qs.order_by(*DUE_ORDER)
        if chosen == ["-deadline"]:
            return qs.order_by("-deadline", "-pk")
        return qs.order_by(*qs.query.order_by, "pk")

    def filter_region(
        self, qs: QuerySet[Recommendation], name: str, value: Region
    ) -> QuerySet[Recommendation]:
        return qs.filter(
            Q(institution__region=value) | Q(institution__isnull=True, addressee__region=value)
        )

    def filter_reason(
        self, qs: QuerySet[Recommendation], name: str, value: str
    ) -> QuerySet[Recommendation]:
        return qs.filter(reason_q(value, self.window))

    def filter_overdue_days(
        self, qs: QuerySet[Recommendation], name: str, value: Any
    ) -> QuerySet[Recommendation]:
        before = self.window.today - datetime.timedelta(days=int(value))
        return qs.filter(self.window.overdue_q(), deadline__lt=before)


def escalation_queue(
    user: User | None, params: QueryDict, window: DeadlineWindow | None = None
) -> EscalationQueueFilter:
    """The queue as the user may see it, filtered by these parameters (its `qs` in order,
    nothing joined: read the ids of a page, then `queue_records` for those rows)."""
    window = window or DeadlineWindow.on()
    qs = escalation_candidates(user, window=window).select_related(None)
    return EscalationQueueFilter(params, queryset=qs, window=window)


def queue_records(ids: Sequence[int]) -> list[Recommendation]:
    """The rows of these ids, in their order, with what a queue row shows (one query)."""
    found = (
        Recommendation.objects.filter(pk__in=ids)
        .select_related("addressee", "institution__region", "institution__type")
        .defer("text", "indicator", "source_document")
        .in_bulk()
    )
    return [found[pk] for pk in ids if pk in found]


@dataclass(frozen=True)
class QueueRow:
    rec: Recommendation
    reasons: list[str]  # labels, in the user's language
    days_overdue: int | None


def days_overdue(rec: Recommendation, window: DeadlineWindow) -> int | None:
    """Calendar days since the deadline, for an overdue recommendation (None otherwise)."""
    if rec.deadline is None or not window.is_overdue(rec.state, rec.deadline):
        return None
    return (window.today - rec.deadline).days


def queue_row(rec: Recommendation, window: DeadlineWindow) -> QueueRow:
    reasons = [str(REASON_LABELS[reason]) for reason in escalation_reasons(rec, window)]
    return QueueRow(rec, reasons, days_overdue(rec, window))
