"""Reads of NPM participants, already filtered for the user; eligibility checks at selection."""

import calendar
import datetime
from collections.abc import Iterable
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from vigil.accounts.models import User
from vigil.core.collation import SortKey, alphabetical
from vigil.core.forms import StyledForm
from vigil.core.listing import nulls_last
from vigil.core.search import NormalisedSearchFilter
from vigil.reference.filters import RegionFilter
from vigil.reference.selectors import agency_subtree_ids
from vigil.registry.models import Institution

from .enums import Profession
from .models import ConflictDeclaration, Participant, ParticipantAbsence
from .permissions import participants_visible_to


def _day(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _reason(conflict: ConflictDeclaration) -> str:
    label = str(conflict.get_kind_display())
    return f"{label} ({conflict.description})" if conflict.description else label


def participant_conflicts(
    participant: Participant,
    institutions: Iterable[Institution],
    on_date: datetime.date,
    *,
    _subtrees: dict[int, set[int]] | None = None,
) -> list[str]:
    """Why the participant may not visit these institutions on that day ([] when free).

    A conflict declared for an institution covers that institution; one declared for an
    agency covers every institution of the agency and of its sub-units. Each message names
    the participant, the institution (and the agency) and the declared reason, once.
    """
    subtrees = _subtrees if _subtrees is not None else {}
    messages: list[str] = []
    places = list(institutions)
    for conflict in participant.conflicts.all():
        if not conflict.applies_on(on_date):
            continue
        for institution in places:
            if conflict.institution_id is not None and conflict.institution_id == institution.pk:
                messages.append(
                    gettext(
                        "%(participant)s has declared a conflict of interest with "
                        "%(institution)s: %(reason)s."
                    )
                    % {
                        "participant": participant,
                        "institution": institution.name,
                        "reason": _reason(conflict),
                    }
                )
            elif conflict.agency_id is not None:
                if conflict.agency_id not in subtrees:
                    subtrees[conflict.agency_id] = set(agency_subtree_ids(conflict.agency))
                if institution.agency_id in subtrees[conflict.agency_id]:
                    messages.append(
                        gettext(
                            "%(participant)s has declared a conflict of interest with "
                            "%(agency)s, which is responsible for %(institution)s: %(reason)s."
                        )
                        % {
                            "participant": participant,
                            "agency": conflict.agency.name,  # type: ignore[union-attr]
                            "institution": institution.name,
                            "reason": _reason(conflict),
                        }
                    )
    return list(dict.fromkeys(messages))  # declarations made twice before they were refused


def participant_accreditation_errors(
    participant: Participant, start: datetime.date, end: datetime.date | None = None
) -> list[str]:
    """Why the participant may not be on a visit from `start` to `end` ([] when accredited)."""
    errors: list[str] = []
    if not participant.user.is_active:
        errors.append(
            gettext("The account of %(participant)s is disabled.") % {"participant": participant}
        )
    for day in dict.fromkeys(d for d in (start, end) if d is not None):
        if not participant.is_accredited_on(day):
            if participant.accredited_to is None:
                period = gettext("from %(start)s") % {"start": _day(participant.accredited_from)}
            else:
                period = gettext("%(start)s to %(end)s") % {
                    "start": _day(participant.accredited_from),
                    "end": _day(participant.accredited_to),
                }
            errors.append(
                gettext(
                    "%(participant)s is not accredited on %(date)s (accreditation: %(period)s)."
                )
                % {"participant": participant, "date": _day(day), "period": period}
            )
            break
    return errors


def participant_eligibility_errors(
    participant: Participant,
    institutions: Iterable[Institution],
    start: datetime.date,
    end: datetime.date | None = None,
    *,
    _subtrees: dict[int, set[int]] | None = None,
) -> list[str]:
    """Everything that keeps a participant off a visit: accreditation and conflicts."""
    return participant_accreditation_errors(participant, start, end) + participant_conflicts(
        participant, institutions, start, _subtrees=_subtrees
    )


def eligibility_by_participant(
    participants: Iterable[Participant],
    institutions: Iterable[Institution],
    start: datetime.date,
    end: datetime.date | None = None,
) -> dict[int, list[str]]:
    """participant pk → the reasons they may not go (empty list when eligible)."""
    places = list(institutions)
    subtrees: dict[int, set[int]] = {}
    return {
        p.pk: participant_eligibility_errors(p, places, start, end, _subtrees=subtrees)
        for p in participants
    }


# ---------------------------------------------------------------- listing


class ParticipantFilter(django_filters.FilterSet):
    search = NormalisedSearchFilter(
        label=_("Name or e-mail"), fields=("user__full_name", "user__email", "organisation")
    )
    profession = django_filters.ChoiceFilter(
        label=_("Profession"), choices=Profession.choices, empty_label=_("All professions")
    )
    region = RegionFilter()
    accredited_now = django_filters.BooleanFilter(
        label=_("Accredited today"),
        method="filter_accredited_now",
        widget=forms.Select(
            choices=[("", _("Any")), ("true", _("Accredited")), ("false", _("Not accredited"))]
        ),
    )
    active = django_filters.BooleanFilter(
        label=_("Account"),
        field_name="user__is_active",
        widget=forms.Select(
            choices=[("", _("Any")), ("true", _("Active")), ("false", _("Deactivated"))]
        ),
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        empty_label=_("Name (default)"),
        fields=(
            ("user__full_name", "name"),
            ("profession", "profession"),
            ("region__code", "region"),
            ("accredited_from", "accredited"),
        ),
    )

    class Meta:
        model = Participant
        form = StyledForm
        fields = ("search", "profession", "region", "accredited_now", "active")

    def filter_queryset(self, queryset: QuerySet[Participant]) -> QuerySet[Participant]:
        qs = super().filter_queryset(queryset)
        # By name (in alphabet order) by default; the primary key last, so pages never overlap.
        ordering = list(qs.query.order_by) or ["user__full_name"]
        return qs.order_by(*nulls_last(alphabetical(ordering, {"user__full_name"})), "pk")

    def filter_accredited_now(
        self, qs: QuerySet[Participant], name: str, value: Any
    ) -> QuerySet[Participant]:
        if value is None:
            return qs
        today = timezone.localdate()
        accredited = Q(accredited_from__lte=today) & (
            Q(accredited_to__isnull=True) | Q(accredited_to__gte=today)
        )
        return qs.filter(accredited) if value else qs.exclude(accredited)


def participant_listing(user: User, params: QueryDict) -> ParticipantFilter:
    visible = participants_visible_to(user).select_related("user", "region")
    return ParticipantFilter(params, queryset=visible)


def accreditation_candidates(on_date: datetime.date) -> QuerySet[Participant]:
    """Participants accredited on a day, with what the eligibility check reads."""
    return (
        Participant.objects.filter(accredited_from__lte=on_date, user__is_active=True)
        .filter(Q(accredited_to__isnull=True) | Q(accredited_to__gte=on_date))
        .select_related("user", "region")
        .prefetch_related("conflicts__agency", "conflicts__institution")
        .order_by(SortKey("user__full_name"), "pk")
    )


# ---------------------------------------------------------------- availability for the plan

ALL_MONTHS = frozenset(range(1, 13))


def available_months(participants: Iterable[Participant], year: int) -> dict[int, frozenset[int]]:
    """participant pk → the months of `year` in which they can join visits, in one query.

    The rule: a month is available unless the participant's unavailable periods (both days
    included; overlapping periods count each day once) cover at least half of its days,
    i.e. 14 of February's 28 days, 15 of a 30-day month, 16 of a 31-day month. A visit lasts
    a few days: a person away for less than half the month can still be given a visit in
    the rest of it, and a planned visit's month is only its first guess of a date."""
    keys = [p.pk for p in participants]
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    away: dict[int, set[datetime.date]] = {}
    periods = ParticipantAbsence.objects.filter(
        participant_id__in=keys, starts_on__lte=end, ends_on__gte=start
    ).values_list("participant_id", "starts_on", "ends_on")
    for key, first, last in periods:
        day, stop = max(first, start), min(last, end)
        days = away.setdefault(key, set())
        while day <= stop:
            days.add(day)
            day += datetime.timedelta(days=1)
    result = {}
    for key in keys:
        counts = [0] * 13
        for day in away.get(key, ()):
            counts[day.month] += 1
        result[key] = frozenset(
            m for m in ALL_MONTHS if counts[m] * 2 < calendar.monthrange(year, m)[1]
        )
    return result
