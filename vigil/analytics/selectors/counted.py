"""The records each statistic counts, for an audience and the filters: made visits, the
institutions they covered, institutions in operation and unvisited, issued recommendations;
and the agencies at the top of the tree that the figures are grouped by. The rules are the
floors' own (`made_visits_q`, the official tally, `in_regions_q`); `statistics` builds on these,
and open data counts through them too."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from vigil.core.models import localized_name
from vigil.recommendations.models import Recommendation
from vigil.recommendations.permissions import in_regions_q
from vigil.recommendations.tally import NOT_ISSUED
from vigil.reference.enums import AgencyLevel
from vigil.reference.models import Agency
from vigil.reference.selectors import agency_subtree_ids
from vigil.registry.enums import InstitutionStatus
from vigil.registry.models import Institution
from vigil.visits.models import Visit
from vigil.visits.selectors.listing import made_visits_q

from ..filters import StatisticsFilters
from ..permissions import (
    Audience,
    institutions_counted,
    recommendations_counted,
    visits_counted,
)

# ------------------------------------------------------------------ top agencies


def top_agencies() -> tuple[list[Agency], dict[int, int]]:
    """The agencies at the top of the tree (the ministries, and the bodies that answer to no
    ministry, below the government) in code order, and each agency's top agency."""
    agencies = {a.pk: a for a in Agency.objects.all()}

    def is_top(agency: Agency) -> bool:
        parent = agencies.get(agency.parent_id or 0)
        return agency.level != AgencyLevel.GOVERNMENT and (
            parent is None or parent.level == AgencyLevel.GOVERNMENT
        )

    top_of: dict[int, int] = {}
    for pk, agency in agencies.items():
        current, seen = agency, {pk}
        while not is_top(current) and current.parent_id in agencies:
            current = agencies[current.parent_id]  # type: ignore[index]
            if current.pk in seen:
                break
            seen.add(current.pk)
        if is_top(current):
            top_of[pk] = current.pk
    tops = sorted({agencies[pk] for pk in top_of.values()}, key=lambda a: a.code)
    return tops, top_of


def agency_label(agency: Agency) -> str:
    """The agency's short name in the active language, else its name."""
    return localized_name(agency, field="short_name") or agency.name


# ------------------------------------------------------------------ the records counted


def counted_visits(audience: Audience, f: StatisticsFilters) -> QuerySet[Visit]:
    """The made visits of the filters (year of the actual start)."""
    qs = visits_counted(audience).filter(made_visits_q())
    if f.year is not None:
        qs = qs.filter(started_at__year=f.year)
    if f.region is not None:
        qs = qs.filter(region=f.region)
    # Each filter on its own, as the visits list applies them: a visit to a prison of the
    # agency and to a hospital of the type counts for the agency and for the type.
    if f.agency is not None:
        places = Institution.objects.filter(agency_id__in=agency_subtree_ids(f.agency))
        qs = qs.filter(pk__in=Visit.objects.filter(institutions__in=places).values("pk"))
    if f.institution_type is not None:
        places = Institution.objects.filter(type=f.institution_type)
        qs = qs.filter(pk__in=Visit.objects.filter(institutions__in=places).values("pk"))
    return qs


def _institutions(audience: Audience, f: StatisticsFilters) -> QuerySet[Institution]:
    qs = institutions_counted(audience)
    if f.region is not None:
        qs = qs.filter(region=f.region)
    if f.agency is not None:
        qs = qs.filter(agency_id__in=agency_subtree_ids(f.agency))
    if f.institution_type is not None:
        qs = qs.filter(type=f.institution_type)
    return qs


def visited_institutions(audience: Audience, f: StatisticsFilters) -> QuerySet[Institution]:
    """The distinct institutions of the filters that the counted visits covered."""
    visits = counted_visits(audience, f)
    return _institutions(audience, f).filter(
        pk__in=Visit.institutions.through.objects.filter(visit__in=visits).values("institution")
    )


def operating_institutions(audience: Audience, f: StatisticsFilters) -> QuerySet[Institution]:
    """The institutions of the filters that are not closed (coverage is counted over them)."""
    return _institutions(audience, f).exclude(status=InstitutionStatus.CLOSED)


def unvisited_since_q(years: int, today: datetime.date | None = None) -> Q:
    """Never visited, or last visited `years` years ago or more."""
    today = today or timezone.localdate()
    try:
        since = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        since = today.replace(year=today.year - years, day=28)
    return Q(last_visited_on__isnull=True) | Q(last_visited_on__lte=since)


def counted_recommendations(audience: Audience, f: StatisticsFilters) -> QuerySet[Recommendation]:
    """The recommendations issued in the year, of the region, agency and institution type."""
    qs = recommendations_counted(audience).exclude(state__in=NOT_ISSUED)
    if f.year is not None:
        qs = qs.filter(issued_on__year=f.year)
    if f.region is not None:
        qs = qs.filter(in_regions_q([f.region.pk]))
    if f.agency is not None:
        qs = qs.filter(addressee_id__in=agency_subtree_ids(f.agency))
    if f.institution_type is not None:
        qs = qs.filter(institution__type=f.institution_type)
    return qs
