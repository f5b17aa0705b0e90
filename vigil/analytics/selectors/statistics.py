"""The statistics of the NPM's work for one set of filters: the ONE source of the figures on the
dashboards, in the consolidated annual report and (after suppression) in open data.

What counts (each rule has one home, named here):
- **visits**: made visits (`visits.selectors.visits.made_visits_q`: started and not called off)
  whose actual start falls in the year; by type, mode, region (the visit's), and agency (the
  agencies at the top of the tree whose institutions the visit covered: a visit to a prison and
  a police cell counts once under each ministry, once in the total); `institutions`: the
  distinct institutions those visits covered, closed since or not (`coverage=visited`);
- **coverage**: the institutions in operation (not closed) of the filters; those the year's
  visits covered (`coverage=covered`); never visited; not visited for `years` years or more
  (the registry's `last_visited_on`);
- **recommendations**: issued in the year (the official tally, `recommendations.tally`), per
  top agency, the implementation rate's trend per agency and year, overdue, escalated; the
  region of a recommendation is its institution's or its regional addressee's
  (`recommendations.permissions.in_regions_q`);
- **themes**: issued recommendations by theme (T1–T8), and the systemic issues;
- **appeals, the art. 146 funnel, accountability**: `appeals.selectors.funnel` (appeals by
  subject and channel, allegations → referred → registered → in court → convicted, officials
  held accountable by initiative);
- **incidents**: reprisals and other incidents that occurred in the year, by kind.

Every figure links to the list page behind it with the same filters (`Figure.url`).
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from vigil.appeals.enums import IncidentKind
from vigil.appeals.selectors.funnel import Funnel, funnel
from vigil.appeals.selectors.incidents import IncidentFilters, incident_counts, incident_rows
from vigil.core.figures import Figure
from vigil.recommendations.deadlines import DeadlineWindow
from vigil.recommendations.enums import State, Tally
from vigil.recommendations.selectors.systemic import (
    RecurringIssue,
    WidespreadIssue,
    systemic_issues,
)
from vigil.recommendations.selectors.tallies import (
    TallyCounts,
    tally_aggregates,
    tally_counts_of,
)
from vigil.reference.models import Agency, Region
from vigil.registry.enums import InstitutionStatus
from vigil.visits.enums import Theme, VisitMode, VisitType
from vigil.visits.models import Visit

from ..filters import StatisticsFilters
from ..permissions import (
    SECTIONS,
    Audience,
    Published,
    funnel_bases,
)
from .counted import (
    agency_label,
    counted_recommendations,
    counted_visits,
    operating_institutions,
    top_agencies,
    unvisited_since_q,
    visited_institutions,
)

VISITS_LIST = "visits:visit_list"
RECOMMENDATIONS_LIST = "recommendations:list"
COVERAGE_LIST = "analytics:institutions"
INCIDENTS_LIST = "appeals:incident_list"
DEFAULT_YEARS_UNVISITED = 3


# ------------------------------------------------------------------ the sections


@dataclass(frozen=True)
class VisitStatistics:
    total: Figure
    by_type: list[Figure]
    by_mode: list[Figure]
    by_agency: list[Figure]
    by_region: list[Figure]
    institutions: Figure


@dataclass(frozen=True)
class CoverageStatistics:
    institutions: Figure
    covered: Figure
    never_visited: Figure
    not_visited: Figure
    years: int


@dataclass(frozen=True)
class AgencyTally:
    agency: Agency
    label: str
    counts: TallyCounts
    figures: list[Figure]


@dataclass(frozen=True)
class TrendPoint:
    agency: Agency
    label: str
    year: int
    counts: TallyCounts


@dataclass(frozen=True)
class RecommendationStatistics:
    counts: TallyCounts
    figures: list[Figure]
    escalated: Figure
    by_agency: list[AgencyTally]
    trend: list[TrendPoint]


@dataclass(frozen=True)
class ThemeStatistics:
    by_theme: list[Figure]
    systemic: list[WidespreadIssue | RecurringIssue]


@dataclass(frozen=True)
class Statistics:
    filters: StatisticsFilters
    sections: frozenset[str]
    visits: VisitStatistics | None = None
    coverage: CoverageStatistics | None = None
    recommendations: RecommendationStatistics | None = None
    themes: ThemeStatistics | None = None
    funnel: Funnel | None = None
    incidents: list[Figure] = field(default_factory=list)


def _with(query: Mapping[str, str], **extra: str) -> dict[str, str]:
    return {**query, **extra}


def _visit_query(f: StatisticsFilters) -> dict[str, str]:
    query = {k: v for k, v in f.params().items() if k != "year"}
    if f.year is not None:
        query["made_in"] = str(f.year)
    return query


def _counted_by(
    rows: Iterable[tuple[str, Any]],
    counts: Counter[str],
    total: int,
    key: str,
    query: dict[str, str],
) -> list[Figure]:
    return [
        Figure(
            code, str(label), counts.get(code, 0), VISITS_LIST, _with(query, **{key: code})
        ).shared(total)
        for code, label in rows
    ]


def visit_statistics(audience: Audience, f: StatisticsFilters) -> VisitStatistics:
    visits = counted_visits(audience, f)
    query = _visit_query(f)
    rows = list(visits.order_by().values_list("pk", "type", "mode", "region__code"))
    total = len(rows)
    by_type = _counted_by(VisitType.choices, Counter(r[1] for r in rows), total, "type", query)
    by_mode = _counted_by(VisitMode.choices, Counter(r[2] for r in rows), total, "mode", query)
    region_counts = Counter(r[3] for r in rows if r[3])
    regions = Region.objects.filter(code__in=region_counts).order_by("code")
    by_region = _counted_by(
        [(r.code, r.name) for r in regions], region_counts, total, "region", query
    )
    tops, top_of = top_agencies()
    touched: dict[int, set[int]] = defaultdict(set)
    pairs = Visit.institutions.through.objects.filter(visit__in=visits).values_list(
        "visit_id", "institution__agency_id"
    )
    for visit_id, agency_id in pairs:
        if agency_id in top_of:
            touched[top_of[agency_id]].add(visit_id)
    by_agency = [
        Figure(
            agency.code,
            agency_label(agency),
            len(touched.get(agency.pk, ())),
            VISITS_LIST,
            _with(query, agency=agency.code),
        ).shared(total)
        for agency in tops
        if touched.get(agency.pk)
    ]
    institutions = visited_institutions(audience, f).count()
    return VisitStatistics(
        total=Figure("visits", _("Visits made"), total, VISITS_LIST, query),
        by_type=by_type,
        by_mode=by_mode,
        by_agency=by_agency,
        by_region=by_region,
        institutions=Figure(
            "institutions",
            _("Institutions visited"),
            institutions,
            COVERAGE_LIST,
            _with(f.params(), coverage="visited"),
        ),
    )


def coverage_statistics(
    audience: Audience, f: StatisticsFilters, years: int = DEFAULT_YEARS_UNVISITED
) -> CoverageStatistics:
    operating = operating_institutions(audience, f)
    counts = operating.order_by().aggregate(
        total=Count("pk"),
        never=Count("pk", filter=Q(last_visited_on__isnull=True)),
        unvisited=Count("pk", filter=unvisited_since_q(years)),
    )
    total = counts["total"]
    place_query = {k: v for k, v in f.params().items() if k != "year"}
    covered = visited_institutions(audience, f).exclude(status=InstitutionStatus.CLOSED).count()
    return CoverageStatistics(
        institutions=Figure(
            "operating", _("Institutions in operation"), total, COVERAGE_LIST, place_query
        ),
        covered=Figure(
            "covered",
            _("Visited in the year") if f.year else _("Visited"),
            covered,
            COVERAGE_LIST,
            _with(f.params(), coverage="covered"),
        ).shared(total, 1),
        never_visited=Figure(
            "never",
            _("Never visited"),
            counts["never"],
            COVERAGE_LIST,
            _with(place_query, coverage="never"),
        ).shared(total, 1),
        not_visited=Figure(
            "not_visited",
            _("Not visited for %(years)s years or more") % {"years": years},
            counts["unvisited"],
            COVERAGE_LIST,
            _with(place_query, coverage="unvisited", years=str(years)),
        ).shared(total, 1),
        years=years,
    )


def _tally_figures(counts: TallyCounts, query: dict[str, str]) -> list[Figure]:
    """Issued, then the official tally, no response and overdue, each a share of issued."""
    parts = (
        (
            Tally.IMPLEMENTED,
            Tally.IMPLEMENTED.label,
            counts.implemented,
            {"tally": Tally.IMPLEMENTED},
        ),
        (
            Tally.IN_IMPLEMENTATION,
            Tally.IN_IMPLEMENTATION.label,
            counts.in_implementation,
            {"tally": Tally.IN_IMPLEMENTATION},
        ),
        (
            Tally.NOT_ACCEPTED,
            Tally.NOT_ACCEPTED.label,
            counts.not_accepted,
            {"tally": Tally.NOT_ACCEPTED},
        ),
        ("no_response", State.NO_RESPONSE.label, counts.no_response, {"status": State.NO_RESPONSE}),
        ("overdue", _("Overdue"), counts.overdue, {"overdue": "true"}),
    )
    return [
        Figure("issued", _("Issued"), counts.issued, RECOMMENDATIONS_LIST, query),
        *(
            Figure(str(key), str(label), count, RECOMMENDATIONS_LIST, {**query, **extra}).shared(
                counts.issued, 1
            )
            for key, label, count, extra in parts
        ),
    ]


def recommendation_statistics(
    audience: Audience, f: StatisticsFilters, window: DeadlineWindow | None = None
) -> RecommendationStatistics:
    window = window or DeadlineWindow.on()
    issued = counted_recommendations(audience, f)
    query = f.params()
    counts = tally_counts_of(issued.order_by().aggregate(**tally_aggregates(window)))
    tops, top_of = top_agencies()
    per_addressee = {
        row["addressee_id"]: tally_counts_of(row)
        for row in issued.order_by().values("addressee_id").annotate(**tally_aggregates(window))
    }
    per_top: dict[int, TallyCounts] = defaultdict(TallyCounts)
    for addressee_id, row_counts in per_addressee.items():
        if addressee_id in top_of:
            per_top[top_of[addressee_id]] = per_top[top_of[addressee_id]] + row_counts
    by_agency = [
        AgencyTally(
            agency,
            agency_label(agency),
            per_top[agency.pk],
            _tally_figures(per_top[agency.pk], _with(query, agency=agency.code)),
        )
        for agency in tops
        if per_top.get(agency.pk) and per_top[agency.pk].issued
    ]
    trend_base = counted_recommendations(
        audience,
        StatisticsFilters(region=f.region, agency=f.agency, institution_type=f.institution_type),
    )
    per_year: dict[tuple[int, int], TallyCounts] = defaultdict(TallyCounts)
    rows = (
        trend_base.filter(issued_on__isnull=False)
        .order_by()
        .annotate(year=ExtractYear("issued_on"))
        .values("addressee_id", "year")
        .annotate(**tally_aggregates(window))
    )
    for row in rows:
        top = top_of.get(row["addressee_id"])
        if top is not None:
            per_year[(top, int(row["year"]))] = per_year[(top, int(row["year"]))] + tally_counts_of(
                row
            )
    agencies = {a.pk: a for a in tops}
    trend = [
        TrendPoint(agencies[top], agency_label(agencies[top]), year, per_year[(top, year)])
        for top, year in sorted(per_year, key=lambda k: (agencies[k[0]].code, k[1]))
    ]
    escalated = issued.filter(state=State.ESCALATED).count()
    return RecommendationStatistics(
        counts=counts,
        figures=_tally_figures(counts, query),
        escalated=Figure(
            "escalated",
            str(State.ESCALATED.label),
            escalated,
            RECOMMENDATIONS_LIST,
            _with(query, status=State.ESCALATED),
        ).shared(counts.issued, 1),
        by_agency=by_agency,
        trend=trend,
    )


def theme_statistics(
    audience: Audience, f: StatisticsFilters, window: DeadlineWindow | None = None
) -> ThemeStatistics:
    issued = counted_recommendations(audience, f)
    total = issued.count()
    counts = dict(issued.order_by().values_list("theme").annotate(n=Count("pk")))
    by_theme = sorted(
        (
            Figure(
                code,
                str(label),
                counts.get(code, 0),
                RECOMMENDATIONS_LIST,
                _with(f.params(), theme=code),
            ).shared(total, 1)
            for code, label in Theme.choices
            if counts.get(code)
        ),
        key=lambda figure: (-figure.count, figure.key),
    )
    systemic: list[WidespreadIssue | RecurringIssue] = []
    if not isinstance(audience, Published):
        systemic = systemic_issues(audience, year=f.year, agency=f.agency, window=window)
    return ThemeStatistics(by_theme=by_theme, systemic=systemic)


def incident_statistics(audience: Audience, f: StatisticsFilters) -> list[Figure]:
    """Incidents that occurred in the year (recorded and met on visits), by kind."""
    if isinstance(audience, Published):
        return []
    filters = IncidentFilters(
        region=f.region,
        occurred_from=datetime.date(f.year, 1, 1) if f.year else None,
        occurred_to=datetime.date(f.year, 12, 31) if f.year else None,
    )
    counts = incident_counts(incident_rows(audience, filters))
    query: dict[str, str] = {}
    if f.region is not None:
        query["region"] = f.region.code
    if f.year is not None:
        query["occurred_from"] = f"{f.year}-01-01"
        query["occurred_to"] = f"{f.year}-12-31"
    total = sum(counts.values())
    return [
        Figure(
            code, str(label), counts.get(code, 0), INCIDENTS_LIST, _with(query, kind=code)
        ).shared(total, 1)
        for code, label in IncidentKind.choices
    ]


def statistics(
    audience: Audience,
    f: StatisticsFilters,
    sections: Iterable[str] = SECTIONS,
    *,
    years_unvisited: int = DEFAULT_YEARS_UNVISITED,
    window: DeadlineWindow | None = None,
) -> Statistics:
    """The figures of the `sections` asked for, over what `audience` may count."""
    wanted = frozenset(sections)
    window = window or DeadlineWindow.on()
    return Statistics(
        filters=f,
        sections=wanted,
        visits=visit_statistics(audience, f) if "visits" in wanted else None,
        coverage=coverage_statistics(audience, f, years_unvisited)
        if "coverage" in wanted
        else None,
        recommendations=recommendation_statistics(audience, f, window)
        if "recommendations" in wanted
        else None,
        themes=theme_statistics(audience, f, window) if "themes" in wanted else None,
        funnel=funnel(None, f.funnel(), funnel_bases(audience))
        if wanted & {"appeals", "funnel", "accountability"}
        else None,
        incidents=incident_statistics(audience, f) if "incidents" in wanted else [],
    )
