"""Systemic and recurring issues, each with its implementation record.

- **Widespread**: a theme raised at `N` or more institutions (`VIGIL_SYSTEMIC_MIN_INSTITUTIONS`,
  default 5) within one branch of the agency hierarchy (the addressee's committee or ministry:
  regional departments are rolled up into the body above them), optionally in one year.
- **Recurring**: the same issue raised in two or more consecutive years — the same theme at
  the same institution (or, without an institution, to the same addressee), or a chain of
  recommendations linked as repeats.

Every figure counts issued recommendations the user may see (`recommendations_visible_to`),
and the implementation record maps states through `vigil.recommendations.tally` only (the
`TallyCounts` of the tallies selectors). Aggregation happens in a few grouped queries; the
rolling up and the runs of years in Python.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractYear

from vigil.accounts.models import User
from vigil.registry.enums import AgencyLevel
from vigil.registry.models import Agency, Institution
from vigil.registry.selectors import agency_subtree_ids

from ..deadlines import DeadlineWindow
from ..enums import State, Tally
from ..models import Recommendation
from ..permissions import recommendations_visible_to
from ..tally import NOT_ISSUED, states_in
from .tallies import FIGURES, TallyCounts

DEFAULT_MIN_INSTITUTIONS = 5
_ROLLED_UP = (AgencyLevel.REGIONAL_DEPARTMENT,)


def min_institutions() -> int:
    return int(getattr(settings, "VIGIL_SYSTEMIC_MIN_INSTITUTIONS", DEFAULT_MIN_INSTITUTIONS))


@dataclass(frozen=True)
class WidespreadIssue:
    theme: str
    branch: Agency
    institutions: int
    record: TallyCounts
    first_year: int | None
    last_year: int | None


@dataclass(frozen=True)
class RecurringIssue:
    theme: str
    years: list[int]
    run: list[int]  # the longest run of consecutive years
    record: TallyCounts
    institution: Institution | None = None
    addressee: Agency | None = None
    chain: list[Recommendation] = field(default_factory=list)

    @property
    def kind(self) -> str:
        if self.chain:
            return "chain"
        return "institution" if self.institution is not None else "addressee"


def _aggregates(window: DeadlineWindow) -> dict[str, Any]:
    return {
        "issued": Count("pk"),
        "implemented": Count("pk", filter=Q(state__in=states_in(Tally.IMPLEMENTED))),
        "in_implementation": Count("pk", filter=Q(state__in=states_in(Tally.IN_IMPLEMENTATION))),
        "not_accepted": Count("pk", filter=Q(state__in=states_in(Tally.NOT_ACCEPTED))),
        "no_response": Count("pk", filter=Q(state=State.NO_RESPONSE)),
        "overdue": Count("pk", filter=window.overdue_q()),
    }


def _counts(row: Mapping[str, Any]) -> TallyCounts:
    return TallyCounts(**{name: int(row.get(name) or 0) for name in FIGURES})


def _issued(user: User | None, agency: Agency | None) -> QuerySet[Recommendation]:
    qs = (
        recommendations_visible_to(user)
        .exclude(state__in=NOT_ISSUED)
        .filter(issued_on__isnull=False)
        .order_by()
    )
    if agency is not None:
        qs = qs.filter(addressee_id__in=agency_subtree_ids(agency))
    return qs


def _year_range(qs: QuerySet[Recommendation], year: int | None) -> QuerySet[Recommendation]:
    if year is None:
        return qs
    return qs.filter(
        issued_on__gte=datetime.date(year, 1, 1), issued_on__lte=datetime.date(year, 12, 31)
    )


def _branches() -> tuple[dict[int, int], dict[int, Agency]]:
    """Each agency's branch (itself, or the first body above its regional departments)."""
    agencies = {a.pk: a for a in Agency.objects.all()}
    branch: dict[int, int] = {}
    for pk, agency in agencies.items():
        current, seen = agency, {pk}
        while current.level in _ROLLED_UP and current.parent_id in agencies:
            current = agencies[current.parent_id]
            if current.pk in seen:
                break
            seen.add(current.pk)
        branch[pk] = current.pk
    return branch, agencies


def widespread_issues(
    user: User | None,
    *,
    minimum: int | None = None,
    year: int | None = None,
    agency: Agency | None = None,
    window: DeadlineWindow | None = None,
) -> list[WidespreadIssue]:
    """Themes raised at `minimum` or more institutions within one branch, most widespread first."""
    minimum = minimum or min_institutions()
    window = window or DeadlineWindow.on()
    qs = _year_range(_issued(user, agency), year).filter(institution__isnull=False)
    branch_of, agencies = _branches()
    places: dict[tuple[str, int], set[int]] = defaultdict(set)
    years: dict[tuple[str, int], list[int]] = defaultdict(list)
    grouped = (
        qs.annotate(year=ExtractYear("issued_on"))
        .values("theme", "addressee_id", "institution_id", "year")
        .annotate(n=Count("pk"))
    )
    for place in grouped:
        key = (place["theme"], branch_of[place["addressee_id"]])
        places[key].add(place["institution_id"])
        years[key].append(place["year"])
    wanted = {key for key, found in places.items() if len(found) >= minimum}
    if not wanted:
        return []
    records: dict[tuple[str, int], TallyCounts] = defaultdict(TallyCounts)
    for row in qs.values("theme", "addressee_id").annotate(**_aggregates(window)):
        key = (row["theme"], branch_of[row["addressee_id"]])
        if key in wanted:
            records[key] = records[key] + _counts(row)
    issues = [
        WidespreadIssue(
            theme=theme,
            branch=agencies[branch],
            institutions=len(places[(theme, branch)]),
            record=records[(theme, branch)],
            first_year=min(years[(theme, branch)]),
            last_year=max(years[(theme, branch)]),
        )
        for theme, branch in wanted
    ]
    issues.sort(key=lambda i: (-i.institutions, -i.record.issued, i.theme, i.branch.code))
    return issues


def longest_run(years: Iterable[int]) -> list[int]:
    """The longest run of consecutive years (the earliest one on a tie)."""
    ordered = sorted(set(years))
    best: list[int] = []
    current: list[int] = []
    for year in ordered:
        current = [*current, year] if current and year == current[-1] + 1 else [year]
        if len(current) > len(best):
            best = current
    return best


def _chains(qs: QuerySet[Recommendation]) -> list[list[Recommendation]]:
    """Chains of repeats (each recommendation with what it repeats, transitively)."""
    linked = list(
        qs.filter(Q(repeat_of__isnull=False) | Q(repeats__isnull=False))
        .distinct()
        .select_related("institution", "addressee")
        .order_by("issued_on", "pk")
    )
    parent = {rec.pk: rec.repeat_of_id for rec in linked}

    def root(pk: int) -> int:
        seen = set()
        while parent.get(pk) is not None and pk not in seen:
            seen.add(pk)
            pk = parent[pk]  # type: ignore[assignment]
        return pk

    groups: dict[int, list[Recommendation]] = defaultdict(list)
    for rec in linked:
        groups[root(rec.pk)].append(rec)
    return [group for group in groups.values() if len(group) >= 2]


def _record(recs: Iterable[Recommendation], window: DeadlineWindow) -> TallyCounts:
    totals = dict.fromkeys(FIGURES, 0)
    implemented = set(states_in(Tally.IMPLEMENTED))
    in_implementation = set(states_in(Tally.IN_IMPLEMENTATION))
    not_accepted = set(states_in(Tally.NOT_ACCEPTED))
    for rec in recs:
        totals["issued"] += 1
        totals["implemented"] += rec.state in implemented
        totals["in_implementation"] += rec.state in in_implementation
        totals["not_accepted"] += rec.state in not_accepted
        totals["no_response"] += rec.state == State.NO_RESPONSE
        totals["overdue"] += window.is_overdue(rec.state, rec.deadline)
    return TallyCounts(**totals)


def recurring_issues(
    user: User | None,
    *,
    agency: Agency | None = None,
    window: DeadlineWindow | None = None,
) -> list[RecurringIssue]:
    """Issues raised in two or more consecutive years: chains of repeats first, then themes
    at the same institution, then themes to the same addressee (without an institution);
    longest runs first."""
    window = window or DeadlineWindow.on()
    qs = _issued(user, agency)
    issues: list[RecurringIssue] = []
    for chain in _chains(qs):
        years = [rec.issued_on.year for rec in chain if rec.issued_on]
        run = longest_run(years)
        if len(run) >= 2:
            first = chain[0]
            issues.append(
                RecurringIssue(
                    theme=first.theme,
                    years=sorted(set(years)),
                    run=run,
                    record=_record(chain, window),
                    institution=first.institution,
                    addressee=first.addressee,
                    chain=chain,
                )
            )
    for by in ("institution_id", "addressee_id"):
        subset = (
            qs.filter(institution__isnull=False)
            if by == "institution_id"
            else qs.filter(institution__isnull=True)
        )
        groups: dict[tuple[str, int], list[int]] = defaultdict(list)
        grouped = (
            subset.annotate(year=ExtractYear("issued_on"))
            .values("theme", by, "year")
            .annotate(n=Count("pk"))
        )
        for row in grouped:
            groups[(row["theme"], row[by])].append(row["year"])
        runs = {key: longest_run(ys) for key, ys in groups.items()}
        wanted = {key for key, run in runs.items() if len(run) >= 2}
        if not wanted:
            continue
        records: dict[tuple[str, int], TallyCounts] = {}
        for row in subset.values("theme", by).annotate(**_aggregates(window)):
            key = (row["theme"], row[by])
            if key in wanted:
                records[key] = _counts(row)
        ids = {key[1] for key in wanted}
        if by == "institution_id":
            objects: dict[int, Any] = Institution.objects.in_bulk(ids)
        else:
            objects = Agency.objects.in_bulk(ids)
        for key in wanted:
            theme, pk = key
            issues.append(
                RecurringIssue(
                    theme=theme,
                    years=sorted(set(groups[key])),
                    run=runs[key],
                    record=records[key],
                    institution=objects[pk] if by == "institution_id" else None,
                    addressee=objects[pk] if by == "addressee_id" else None,
                )
            )
    order = {"chain": 0, "institution": 1, "addressee": 2}
    issues.sort(
        key=lambda i: (
            -len(i.run),
            order[i.kind],
            -i.record.issued,
            i.theme,
            getattr(i.institution or i.addressee, "pk", 0),
        )
    )
    return issues
