"""Systemic and recurring issues, each with its implementation record.

- **Widespread**: a theme raised at `N` or more institutions (`VIGIL_SYSTEMIC_MIN_INSTITUTIONS`,
  default 5) within one branch of the agency hierarchy (the addressee's committee or ministry:
  regional departments are rolled up into the body above them), optionally in one year.
- **Recurring**: the same issue raised in two or more consecutive years — the same theme at
  the same institution (or, without an institution, to the same addressee), or a chain of
  recommendations linked as repeats.

Every figure counts issued recommendations the user may see (`recommendations_visible_to`),
and the implementation record maps states through `vigil.recommendations.tally` only (the
`TallyCounts` of the tallies selectors). The database aggregates: the widespread issues in one
grouped query (regional departments mapped to their branch there), the runs of consecutive
years as gaps and islands (window functions); only the chains of repeats are followed in
Python.
"""

import datetime
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    Max,
    Min,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Substr

from vigil.accounts.models import User
from vigil.core.stamps import data_stamp, kept
from vigil.reference.enums import AgencyLevel
from vigil.reference.models import Agency
from vigil.reference.selectors import agency_subtree_ids
from vigil.registry.models import Institution

from ..deadlines import DeadlineWindow
from ..enums import State, Tally
from ..models import Recommendation
from ..permissions import recommendations_visible_to
from ..tally import NOT_ISSUED, states_in
from .tallies import FIGURES, TallyCounts, tally_aggregates, tally_counts_of

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
    year: int | None = None  # the year of issue asked for (None: every year)


@dataclass(frozen=True)
class RecurringIssue:
    """One issue raised in consecutive years. The selector fills in the ids; `hydrate` loads
    the institution, the addressee and the chain's recommendations (for a page at a time)."""

    theme: str
    years: list[int]
    run: list[int]  # the longest run of consecutive years
    record: TallyCounts
    institution_id: int | None = None
    addressee_id: int | None = None
    chain_ids: tuple[int, ...] = ()
    institution: Institution | None = None
    addressee: Agency | None = None
    chain: list[Recommendation] = field(default_factory=list)

    @property
    def kind(self) -> str:
        if self.chain_ids:
            return "chain"
        return "institution" if self.institution_id is not None else "addressee"


def _year() -> Cast:
    """The year of issue as the database computes it fastest: the first four characters of
    the ISO date (SQLite's date functions run in Python, once per row)."""
    return Cast(Substr(Cast("issued_on", CharField()), 1, 4), IntegerField())


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


def _branch_expression(branch_of: Mapping[int, int]) -> Case | F:
    """The addressee's branch as the database computes it (`_branches`, rolled up)."""
    members: dict[int, list[int]] = defaultdict(list)
    for pk, branch in branch_of.items():
        if pk != branch:
            members[branch].append(pk)
    if not members:
        return F("addressee_id")
    return Case(
        *(When(addressee_id__in=pks, then=Value(branch)) for branch, pks in members.items()),
        default=F("addressee_id"),
        output_field=IntegerField(),
    )


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
    rows = (
        qs.annotate(branch=_branch_expression(branch_of), y=_year())
        .values("theme", "branch")
        .annotate(
            institutions=Count("institution_id", distinct=True),
            first_year=Min("y"),
            last_year=Max("y"),
            **tally_aggregates(window),
        )
        .filter(institutions__gte=minimum)
        .order_by()
    )
    issues = [
        WidespreadIssue(
            theme=row["theme"],
            branch=agencies[row["branch"]],
            institutions=row["institutions"],
            record=tally_counts_of(row),
            first_year=row["first_year"],
            last_year=row["last_year"],
            year=year,
        )
        for row in rows
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


_CHAIN_FIELDS = (
    "pk",
    "repeat_of_id",
    "issued_on",
    "state",
    "deadline",
    "theme",
    "institution_id",
    "addressee_id",
)


def _chains(qs: QuerySet[Recommendation]) -> list[list[dict[str, Any]]]:
    """Chains of repeats: each recommendation with what it repeats, transitively (as rows)."""
    repeated = qs.filter(repeat_of__isnull=False).values("repeat_of_id")
    rows = list(
        qs.filter(Q(repeat_of__isnull=False) | Q(pk__in=repeated))
        .values(*_CHAIN_FIELDS)
        .order_by("issued_on", "pk")
    )
    parent = {row["pk"]: row["repeat_of_id"] for row in rows}

    def root(pk: int) -> int:
        seen = set()
        while parent.get(pk) is not None and pk not in seen:
            seen.add(pk)
            pk = parent[pk]  # type: ignore[assignment]
        return pk

    groups: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[root(row["pk"])].append(row)
    return [group for group in groups.values() if len(group) >= 2]


def _record(rows: Iterable[Mapping[str, Any]], window: DeadlineWindow) -> TallyCounts:
    totals = dict.fromkeys(FIGURES, 0)
    implemented = set(states_in(Tally.IMPLEMENTED))
    in_implementation = set(states_in(Tally.IN_IMPLEMENTATION))
    not_accepted = set(states_in(Tally.NOT_ACCEPTED))
    for row in rows:
        state = row["state"]
        totals["issued"] += 1
        totals["implemented"] += state in implemented
        totals["in_implementation"] += state in in_implementation
        totals["not_accepted"] += state in not_accepted
        totals["no_response"] += state == State.NO_RESPONSE
        totals["overdue"] += window.is_overdue(state, row["deadline"])
    return TallyCounts(**totals)


_RUNS_SQL = """
WITH g AS ({grouped}),
i AS (SELECT g.*, y - ROW_NUMBER() OVER (PARTITION BY theme, {by} ORDER BY y) AS island FROM g),
r AS (SELECT i.*, COUNT(*) OVER (PARTITION BY theme, {by}, island) AS len,
             MIN(y) OVER (PARTITION BY theme, {by}, island) AS first_y FROM i),
b AS (SELECT r.*, MAX(len) OVER (PARTITION BY theme, {by}) AS best FROM r)
SELECT theme, {by}, {years}, {sums}, MAX(best), MIN(CASE WHEN len = best THEN first_y END)
FROM b GROUP BY theme, {by} HAVING MAX(best) >= 2
"""


def _keyed_runs(
    subset: QuerySet[Recommendation], by: str, window: DeadlineWindow
) -> list[RecurringIssue]:
    """The same theme at the same institution (or to the same addressee) in two or more
    consecutive years, found by the database (runs of years as gaps and islands), with the
    record summed there: one query, one row per issue."""
    grouped = (
        subset.annotate(y=_year())
        .values("theme", by, "y")
        .annotate(**tally_aggregates(window))
        .order_by()
    )
    inner, params = grouped.query.sql_with_params()
    if connection.vendor == "postgresql":
        years = "STRING_AGG(CAST(y AS TEXT), ',')"
    else:
        years = "GROUP_CONCAT(y, ',')"
    sql = _RUNS_SQL.format(
        grouped=inner,
        by=by,
        years=years,
        sums=", ".join(f"SUM({name})" for name in FIGURES),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    issues = []
    for theme, pk, years_raised, *figures, run, first in found:
        issues.append(
            RecurringIssue(
                theme=theme,
                years=sorted({int(year) for year in str(years_raised).split(",")}),
                run=list(range(int(first), int(first) + int(run))),
                record=TallyCounts(*(int(value or 0) for value in figures)),
                institution_id=pk if by == "institution_id" else None,
                addressee_id=pk if by == "addressee_id" else None,
            )
        )
    return issues


def recurring_issues(
    user: User | None,
    *,
    agency: Agency | None = None,
    window: DeadlineWindow | None = None,
) -> list[RecurringIssue]:
    """Issues raised in two or more consecutive years: chains of repeats first, then themes
    at the same institution, then themes to the same addressee (without an institution);
    longest runs first. Only ids are filled in: `hydrate` the ones shown."""
    window = window or DeadlineWindow.on()
    qs = _issued(user, agency)
    issues: list[RecurringIssue] = []
    for chain in _chains(qs):
        years = [row["issued_on"].year for row in chain if row["issued_on"]]
        run = longest_run(years)
        if len(run) >= 2:
            first = chain[0]
            issues.append(
                RecurringIssue(
                    theme=first["theme"],
                    years=sorted(set(years)),
                    run=run,
                    record=_record(chain, window),
                    institution_id=first["institution_id"],
                    addressee_id=first["addressee_id"],
                    chain_ids=tuple(row["pk"] for row in chain),
                )
            )
    for by in ("institution_id", "addressee_id"):
        subset = qs.filter(institution__isnull=by == "addressee_id")
        issues.extend(_keyed_runs(subset, by, window))
    order = {"chain": 0, "institution": 1, "addressee": 2}
    issues.sort(
        key=lambda i: (
            -len(i.run),
            order[i.kind],
            -i.record.issued,
            i.theme,
            i.institution_id or 0,
            i.addressee_id or 0,
        )
    )
    return issues


ANALYSIS_TIMEOUT = 6 * 3600


def systemic_issues(
    user: User | None,
    *,
    minimum: int | None = None,
    year: int | None = None,
    agency: Agency | None = None,
    window: DeadlineWindow | None = None,
) -> list[WidespreadIssue | RecurringIssue]:
    """The widespread issues, then the recurring ones (as the systemic-issues page lists them).

    The analysis reads every issued recommendation the user may see, so its result is kept
    (`core.stamps.kept`) until the data change (a recommendation or an agency added, changed or
    removed: their `data_stamp`, read at most every `VIGIL_ANALYSIS_STAMP_SECONDS`), the
    deadline window moves (overdue figures), or the user's role does."""
    minimum = minimum or min_institutions()
    window = window or DeadlineWindow.on()
    parts = (
        getattr(user, "pk", None),
        getattr(user, "role", None),
        agency.pk if agency else None,
        year,
        minimum,
        window.overdue_until,
        window.due_soon_until,
        data_stamp("systemic", (Recommendation, Agency), settings.VIGIL_ANALYSIS_STAMP_SECONDS),
    )
    key = "systemic:" + hashlib.sha256(repr(parts).encode()).hexdigest()

    def analyse() -> list[WidespreadIssue | RecurringIssue]:
        return [
            *widespread_issues(user, minimum=minimum, year=year, agency=agency, window=window),
            *recurring_issues(user, agency=agency, window=window),
        ]

    return list(kept(key, analyse, ANALYSIS_TIMEOUT))


def hydrate(issues: Iterable[RecurringIssue]) -> list[RecurringIssue]:
    """The issues with their institution, addressee and chain loaded (three queries)."""
    issues = list(issues)
    institutions = Institution.objects.in_bulk(
        {i.institution_id for i in issues if i.institution_id is not None}
    )
    agencies = Agency.objects.in_bulk({i.addressee_id for i in issues if i.addressee_id})
    chains = Recommendation.objects.in_bulk({pk for i in issues for pk in i.chain_ids})
    return [
        replace(
            issue,
            institution=institutions.get(issue.institution_id or 0),
            addressee=agencies.get(issue.addressee_id or 0),
            chain=[chains[pk] for pk in issue.chain_ids if pk in chains],
        )
        for issue in issues
    ]
