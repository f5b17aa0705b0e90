"""Tallies of recommendations per agency (with its sub-units) and year: the ONE source of these
figures for the tallies page and API, and for later reports and dashboards.

- issued: every recommendation that left the NPM (all states but draft, `tally.NOT_ISSUED`);
- implemented / in implementation / not accepted: the official three-way tally, states mapped
  only through `vigil.recommendations.tally`;
- no response: in NO_RESPONSE;
- overdue: still pending and past its deadline in working days (`deadlines.DeadlineWindow`);
- implementation rate: implemented / issued, in per cent (None when nothing was issued).

The year is the year of `issued_on`. The figures are scoped to what the user may see
(`recommendations_visible_to`): a liaison's tallies only ever count its own subtree.
"""

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from operator import attrgetter
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.http import Http404

from vigil.accounts.models import User
from vigil.core.figures import Share
from vigil.reference.models import Agency
from vigil.reference.selectors import agency_subtree_ids

from ..deadlines import DeadlineWindow
from ..enums import State, Tally
from ..models import Recommendation
from ..permissions import can_view_agency_tally, is_agency_scoped, recommendations_visible_to
from ..tally import NOT_ISSUED, states_in

FIGURES = (
    "issued",
    "implemented",
    "in_implementation",
    "not_accepted",
    "no_response",
    "overdue",
)


@dataclass(frozen=True)
class TallyCounts:
    issued: int = 0
    implemented: int = 0
    in_implementation: int = 0
    not_accepted: int = 0
    no_response: int = 0
    overdue: int = 0

    @property
    def implementation_rate(self) -> Decimal | None:
        """Implemented / issued, in per cent, rounded half up to one decimal (36.3)."""
        return Share(self.implemented, self.issued, places=1).percent

    def __add__(self, other: "TallyCounts") -> "TallyCounts":
        return TallyCounts(**{name: getattr(self, name) + getattr(other, name) for name in FIGURES})

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in FIGURES} | {
            "implementation_rate": self.implementation_rate
        }


@dataclass(frozen=True)
class TallyRow:
    """The tally of one agency (its whole subtree) or of one year."""

    counts: TallyCounts
    agency: Agency | None = None
    year: int | None = None
    sub_units: list["TallyRow"] = field(default_factory=list)


def through[T](
    keys: Mapping[str, Callable[[TallyCounts], Any]], counts_of: Callable[[T], TallyCounts]
) -> dict[str, Callable[[T], Any]]:
    """Sort keys on the figures of rows that hold a tally (`counts_of(row)`)."""

    def composed(key: Callable[[TallyCounts], Any]) -> Callable[[T], Any]:
        return lambda row: key(counts_of(row))

    return {name: composed(key) for name, key in keys.items()}


def figure_sort_keys() -> dict[str, Callable[[TallyCounts], Any]]:
    """Sort keys of a tally's figures (`?ordering=overdue`, `-rate`): each figure, and the
    implementation rate with no rate (nothing issued) below every rate."""
    keys: dict[str, Callable[[TallyCounts], Any]] = {name: attrgetter(name) for name in FIGURES}
    keys["rate"] = lambda counts: (
        -1 if counts.implementation_rate is None else counts.implementation_rate
    )
    return keys


def tally_aggregates(window: DeadlineWindow) -> dict[str, Count]:
    return {
        "issued": Count("pk"),
        "implemented": Count("pk", filter=Q(state__in=states_in(Tally.IMPLEMENTED))),
        "in_implementation": Count("pk", filter=Q(state__in=states_in(Tally.IN_IMPLEMENTATION))),
        "not_accepted": Count("pk", filter=Q(state__in=states_in(Tally.NOT_ACCEPTED))),
        "no_response": Count("pk", filter=Q(state=State.NO_RESPONSE)),
        "overdue": Count("pk", filter=window.overdue_q()),
    }


def tally_counts_of(values: Mapping[str, Any]) -> TallyCounts:
    return TallyCounts(**{name: int(values.get(name) or 0) for name in FIGURES})


def issued_recommendations(
    user: User | None, *, agency: Agency | None = None, year: int | None = None
) -> QuerySet[Recommendation]:
    """The issued recommendations the user may see, for an agency's subtree and a year."""
    qs = recommendations_visible_to(user).exclude(state__in=NOT_ISSUED)
    if agency is not None:
        qs = qs.filter(addressee_id__in=agency_subtree_ids(agency))
    if year is not None:
        qs = qs.filter(issued_on__year=year)
    return qs


def tally_of(
    recommendations: QuerySet[Recommendation], *, window: DeadlineWindow | None = None
) -> TallyCounts:
    """The figures of any queryset of recommendations, in one query (drafts left out)."""
    window = window or DeadlineWindow.on()
    qs = recommendations.exclude(state__in=NOT_ISSUED).order_by()
    return tally_counts_of(qs.aggregate(**tally_aggregates(window)))


def agency_tally(
    user: User | None,
    agency: Agency | None,
    year: int | None = None,
    *,
    window: DeadlineWindow | None = None,
) -> TallyCounts:
    """The tally of an agency with its sub-units (all agencies when None) for a year."""
    return tally_of(issued_recommendations(user, agency=agency, year=year), window=window)


def _by_addressee(qs: QuerySet[Recommendation], window: DeadlineWindow) -> dict[int, TallyCounts]:
    rows = qs.order_by().values("addressee_id").annotate(**tally_aggregates(window))
    return {row["addressee_id"]: tally_counts_of(row) for row in rows}


def _subtrees(roots: Iterable[Agency]) -> dict[int, set[int]]:
    """Each root's subtree of agency ids, from one read of the agency tree."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Agency.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    result: dict[int, set[int]] = {}
    for root in roots:
        ids, frontier = {root.pk}, [root.pk]
        while frontier:
            frontier = [c for p in frontier for c in children.get(p, [])]
            ids.update(frontier)
        result[root.pk] = ids
    return result


def _sum(per_addressee: dict[int, TallyCounts], ids: set[int]) -> TallyCounts:
    total = TallyCounts()
    for pk in ids:
        if pk in per_addressee:
            total = total + per_addressee[pk]
    return total


def tally_agency(user: User, code: str | None) -> Agency | None:
    """The agency named by `code`, if the user may see its tally (else Http404)."""
    if not code:
        return None
    agency = Agency.objects.filter(code=code).select_related("parent").first()
    if agency is None or not can_view_agency_tally(user, agency):
        raise Http404
    return agency


def tally_roots(user: User | None) -> list[Agency]:
    """The agencies a tally page starts from: a liaison's own agency; for everyone else the
    agencies at the top of the hierarchy."""
    if is_agency_scoped(user):
        return [user.agency] if user.agency is not None else []
    return list(Agency.objects.filter(parent__isnull=True).order_by("code"))


def agency_tally_table(
    user: User | None,
    agencies: list[Agency],
    year: int | None = None,
    *,
    window: DeadlineWindow | None = None,
) -> list[TallyRow]:
    """A row per agency (its whole subtree), each with a row per direct sub-unit; a fixed
    number of queries for any number of agencies."""
    window = window or DeadlineWindow.on()
    per_addressee = _by_addressee(issued_recommendations(user, year=year), window)
    children: dict[int, list[Agency]] = {agency.pk: [] for agency in agencies}
    for child in Agency.objects.filter(parent__in=agencies).order_by("code"):
        children[child.parent_id].append(child)  # type: ignore[index]
    subtree = _subtrees([*agencies, *(c for kids in children.values() for c in kids)])
    return [
        TallyRow(
            counts=_sum(per_addressee, subtree[agency.pk]),
            agency=agency,
            year=year,
            sub_units=[
                TallyRow(counts=_sum(per_addressee, subtree[child.pk]), agency=child, year=year)
                for child in children[agency.pk]
            ],
        )
        for agency in agencies
    ]


def tally_by_year(
    user: User | None, agency: Agency | None = None, *, window: DeadlineWindow | None = None
) -> list[TallyRow]:
    """One row per year of issue (newest first) for an agency's subtree (or all agencies)."""
    window = window or DeadlineWindow.on()
    rows = (
        issued_recommendations(user, agency=agency)
        .filter(issued_on__isnull=False)
        .order_by()
        .annotate(year=ExtractYear("issued_on"))
        .values("year")
        .annotate(**tally_aggregates(window))
        .order_by("-year")
    )
    return [
        TallyRow(counts=tally_counts_of(row), agency=agency, year=int(row["year"])) for row in rows
    ]


def tally_years(user: User | None) -> list[int]:
    """The years of issue present among the recommendations the user may see, newest first.

    Read year by year down the index on the date of issue (the latest date before the year
    found last), one short query a year, rather than every recommendation's year."""
    issued = issued_recommendations(user).filter(issued_on__isnull=False)
    years: list[int] = []
    while True:
        before = issued.filter(issued_on__lt=datetime.date(years[-1], 1, 1)) if years else issued
        latest = before.aggregate(latest=Max("issued_on"))["latest"]
        if latest is None:
            return years
        years.append(latest.year)
