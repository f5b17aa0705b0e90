"""The open datasets: each a table of one year's counts, computed only from the analytics
selectors over every record (`PUBLISHED`), then suppressed (`.suppression`).

Dimensions are given by code with their reference names in each language (regions, agencies,
institution categories, the product's fixed labels); nothing else: no person's or
institution's name, no free text, no date (a year is that of made visits, recommendations
issued, appeals received or decisions taken).

The tables are kept in the cache under a stamp of the data (`data_stamp`): when a record is
added, changed or removed, the stamp changes and the tables are computed again. The stamp is
read at most once per `VIGIL_OPEN_DATA_CACHE_SECONDS`, the time pages may be cached anyway, so
serving a page costs no query over the records.
"""

import datetime
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Min, Model
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vigil.appeals.enums import Channel, Initiative
from vigil.appeals.models import AccountabilityRecord, Appeal
from vigil.appeals.selectors.cases import accountability_by_initiative
from vigil.appeals.selectors.funnel import FunnelFilters, filter_accountability, filter_appeals
from vigil.core.models import localized_name
from vigil.core.stamps import data_stamp as stamp_of
from vigil.core.stamps import kept
from vigil.recommendations.enums import Tally
from vigil.recommendations.models import Recommendation
from vigil.reference.enums import InstitutionCategory
from vigil.reference.models import Agency, InstitutionType, Region
from vigil.registry.models import Institution
from vigil.visits.enums import VisitType
from vigil.visits.models import Visit

from ..filters import StatisticsFilters
from ..permissions import PUBLISHED, funnel_bases
from ..selectors.counted import (
    counted_recommendations,
    counted_visits,
    top_agencies,
    visited_institutions,
)
from ..selectors.statistics import statistics
from .suppression import SuppressedList, SuppressedTable, suppress_list, suppress_table

LANGUAGES = ("kk", "ru", "en")
TOTAL = "total"
"""The code of the totals' row (and column) in the downloads."""
UNKNOWN = "unknown"
"""The code of a row of records without the dimension (an appeal whose region is not known)."""
VERSION = 2
"""Part of every cache key: raise it when a table's shape changes."""


@dataclass(frozen=True)
class Member:
    """One value of a dimension: its code and its name in each language."""

    code: str
    names: tuple[tuple[str, str], ...]

    def name(self, language: str | None = None) -> str:
        wanted = (language or translation.get_language() or "en")[:2]
        names = dict(self.names)
        return names.get(wanted) or names.get("en") or self.code


@dataclass(frozen=True)
class Dimension:
    key: str
    title: Promise
    """The dimension's name (translated when shown)."""


REGION = Dimension("region", _("Region"))
VISIT_TYPE = Dimension("visit_type", _("Visit type"))
AGENCY = Dimension("agency", _("Agency"))
CATEGORY = Dimension("institution_category", _("Institution category"))
TALLY = Dimension("tally", _("Official tally"))
CHANNEL = Dimension("channel", _("Channel"))
INITIATIVE = Dimension("initiative", _("Initiative"))


@dataclass(frozen=True)
class Table:
    """One dataset's year: the rows (None for a plain list) and columns by code, and the
    suppressed counts."""

    dataset: str
    year: int
    rows: tuple[Member, ...] | None
    columns: tuple[Member, ...]
    values: SuppressedTable | SuppressedList
    row_key: str = ""
    """The row dimension's key ("" for a list)."""


type Counts = tuple[list[Member], list[Member], list[list[int]]]


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: Promise
    description: Promise
    unit: Promise
    rows: Dimension | None
    columns: Dimension
    compute: Callable[[int], Counts] | Callable[[int], tuple[list[Member], list[int]]]


# ------------------------------------------------------------------ names


def _names(name_of: Callable[[str], str]) -> tuple[tuple[str, str], ...]:
    names = []
    for language in LANGUAGES:
        with translation.override(language):
            names.append((language, str(name_of(language))))
    return tuple(names)


def _label(label: Any) -> Callable[[str], str]:
    return lambda _language: str(label)  # translated in the language `_names` switches to


def _choices(choices: Iterable[tuple[str, Any]]) -> list[Member]:
    return [Member(str(code), _names(_label(label))) for code, label in choices]


def _reference(obj: Model, field: str = "name") -> tuple[tuple[str, str], ...]:
    return _names(lambda lang: localized_name(obj, lang, field=field) or localized_name(obj, lang))


def _regions(year: int, counted: Iterable[str | None]) -> list[Member]:
    """The regions that existed in the year, and any region counted; then records without."""
    counted = set(counted)
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    members = [
        Member(region.code, _reference(region))
        for region in Region.objects.order_by("code")
        if region.code in counted
        or (
            (region.valid_from is None or region.valid_from <= end)
            and (region.valid_to is None or region.valid_to > start)
        )
    ]
    if None in counted:
        members.append(Member(UNKNOWN, _names(_label(_("Region not known")))))
    return members


def _grid(rows: list[Member], columns: list[Member], counts: Counter[Any]) -> list[list[int]]:
    return [[counts.get((row.code, column.code), 0) for column in columns] for row in rows]


# ------------------------------------------------------------------ the datasets


OTHER_VISITS = "other"
VISIT_KINDS = [
    (VisitType.PLANNED, VisitType.PLANNED.label),
    (VisitType.SPECIAL, VisitType.SPECIAL.label),
    (OTHER_VISITS, pgettext_lazy("visit type", "Other kinds")),
]
"""The NPM's published format: planned, special, and the other kinds (follow-up, thematic
and joint visits) together."""


def _visits(year: int) -> Counts:
    """Made visits (the year they started) by region and kind (planned, special, other)."""
    rows = (
        counted_visits(PUBLISHED, StatisticsFilters(year=year))
        .order_by()
        .values_list("region__code", "type")
        .annotate(n=Count("pk"))
    )
    kinds = {VisitType.PLANNED.value, VisitType.SPECIAL.value}
    counts: Counter[tuple[str, str]] = Counter()
    for region, kind, n in rows:
        counts[(region, kind if kind in kinds else OTHER_VISITS)] += n
    regions = _regions(year, (region for region, _kind in counts))
    types = _choices(VISIT_KINDS)
    return regions, types, _grid(regions, types, counts)


def _agencies() -> tuple[list[Member], dict[int, str]]:
    tops, top_of = top_agencies()
    codes = {agency.pk: agency.code for agency in tops}
    members = [Member(agency.code, _reference(agency, "short_name")) for agency in tops]
    return members, {pk: codes[top] for pk, top in top_of.items()}


def _institutions(year: int) -> Counts:
    """The distinct institutions visited in the year by top agency and category."""
    rows = (
        visited_institutions(PUBLISHED, StatisticsFilters(year=year))
        .order_by()
        .values_list("agency_id", "type__category")
        .annotate(n=Count("pk"))
    )
    agencies, top_code = _agencies()
    counts: Counter[tuple[str, str]] = Counter()
    for agency_id, category, n in rows:
        counts[(top_code.get(agency_id, UNKNOWN), category)] += n
    if any(code == UNKNOWN for code, _category in counts):
        agencies.append(Member(UNKNOWN, _names(_label(pgettext_lazy("agency", "Other")))))
    categories = _choices(InstitutionCategory.choices)
    return agencies, categories, _grid(agencies, categories, counts)


OTHER_TALLY = "other"
TALLIES = [*Tally.choices, (OTHER_TALLY, pgettext_lazy("tally", "Other"))]


def _recommendations(year: int) -> Counts:
    """Recommendations issued in the year by top agency and the official tally (other: issued
    and in none of the three)."""
    found = statistics(PUBLISHED, StatisticsFilters(year=year), ["recommendations"])
    by_agency = found.recommendations.by_agency if found.recommendations else []
    counts: Counter[tuple[str, str]] = Counter()
    for row in by_agency:
        tally = row.counts
        other = tally.issued - tally.implemented - tally.in_implementation - tally.not_accepted
        for code, n in (
            (Tally.IMPLEMENTED, tally.implemented),
            (Tally.IN_IMPLEMENTATION, tally.in_implementation),
            (Tally.NOT_ACCEPTED, tally.not_accepted),
            (OTHER_TALLY, other),
        ):
            counts[(row.agency.code, str(code))] = n
    agencies, _top_code = _agencies()
    tallies = _choices(TALLIES)
    return agencies, tallies, _grid(agencies, tallies, counts)


def _appeals(year: int) -> Counts:
    """Appeals received in the year by region and channel (the funnel's rule)."""
    appeals = filter_appeals(funnel_bases(PUBLISHED).appeals, FunnelFilters(year=year))
    rows = appeals.order_by().values_list("region__code", "channel").annotate(n=Count("pk"))
    counts = Counter(
        {(region if region is not None else UNKNOWN, channel): n for region, channel, n in rows}
    )
    regions = _regions(year, (None if r == UNKNOWN else r for r, _channel in counts))
    channels = _choices(Channel.choices)
    return regions, channels, _grid(regions, channels, counts)


def _accountability(year: int) -> tuple[list[Member], list[int]]:
    """Officials held accountable by decisions of the year, by initiative (the funnel's rule)."""
    records = filter_accountability(
        funnel_bases(PUBLISHED).accountability, FunnelFilters(year=year)
    )
    counts = accountability_by_initiative(records)
    initiatives = _choices(Initiative.choices)
    return initiatives, [counts.get(member.code, 0) for member in initiatives]


DATASETS: dict[str, Dataset] = {
    dataset.slug: dataset
    for dataset in (
        Dataset(
            "visits",
            _("Visits made"),
            _(
                "Visits made in the year (by the year they started), by region and kind: "
                "planned, special, and other kinds (follow-up, thematic and joint visits)."
            ),
            _("visits"),
            REGION,
            VISIT_TYPE,
            _visits,
        ),
        Dataset(
            "institutions",
            _("Institutions visited"),
            _(
                "Institutions visited at least once in the year, each counted once, by the "
                "ministry or body at the top of its agency and by category."
            ),
            _("institutions"),
            AGENCY,
            CATEGORY,
            _institutions,
        ),
        Dataset(
            "recommendations",
            _("Recommendations issued"),
            _(
                "Recommendations issued in the year, by the ministry or body at the top of the "
                "addressee and by the official tally (other: no response yet or under review)."
            ),
            _("recommendations"),
            AGENCY,
            TALLY,
            _recommendations,
        ),
        Dataset(
            "appeals",
            _("Appeals received"),
            _("Appeals received in the year, by region and channel."),
            _("appeals"),
            REGION,
            CHANNEL,
            _appeals,
        ),
        Dataset(
            "accountability",
            _("Officials held accountable"),
            _("Officials held accountable by decisions of the year, by whose initiative."),
            _("officials"),
            None,
            INITIATIVE,
            _accountability,
        ),
    )
}


# ------------------------------------------------------------------ years and the cache


def last_year() -> int:
    """The last year published: the setting, else the year before the current one."""
    configured = settings.VIGIL_OPEN_DATA_LAST_YEAR
    return int(configured) if configured else timezone.localdate().year - 1


def _first_year() -> int | None:
    everything = StatisticsFilters()
    firsts = [
        counted_visits(PUBLISHED, everything).aggregate(first=Min("started_at"))["first"],
        counted_recommendations(PUBLISHED, everything).aggregate(first=Min("issued_on"))["first"],
        funnel_bases(PUBLISHED).appeals.aggregate(first=Min("received_on"))["first"],
        funnel_bases(PUBLISHED).accountability.aggregate(first=Min("decided_on"))["first"],
    ]
    years = [
        timezone.localtime(first).year if hasattr(first, "tzinfo") else first.year
        for first in firsts
        if first is not None
    ]
    return min(years) if years else None


STAMPED: tuple[type[Model], ...] = (
    Visit,
    Institution,
    Recommendation,
    Appeal,
    AccountabilityRecord,
    Agency,
    Region,
    InstitutionType,
)
"""The records the datasets are computed from: a change to any of them changes the stamp."""


def data_stamp() -> str:
    """A fingerprint of the data (`core.stamps.data_stamp` of `STAMPED`, read again at most
    every `VIGIL_OPEN_DATA_CACHE_SECONDS`) and of the last year published."""
    records = stamp_of("opendata", STAMPED, settings.VIGIL_OPEN_DATA_CACHE_SECONDS)
    return f"{last_year()}:{records}"


def _cached[T](name: str, compute: Callable[[], T]) -> T:
    return kept(f"opendata:v{VERSION}:{data_stamp()}:{name}", compute, 24 * 3600)


def published_years() -> list[int]:
    """The years published, newest first: from the first year with data to `last_year()`."""

    def compute() -> list[int]:
        first, last = _first_year(), last_year()
        return [] if first is None else list(range(last, first - 1, -1))

    return _cached("years", compute)


def _table(dataset: Dataset, year: int) -> Table:
    if dataset.rows is None:
        columns, values = dataset.compute(year)  # type: ignore[misc]
        return Table(dataset.slug, year, None, tuple(columns), suppress_list(values))
    rows, columns, cells = dataset.compute(year)  # type: ignore[misc]
    suppressed = suppress_table(cells)
    return Table(dataset.slug, year, tuple(rows), tuple(columns), suppressed, dataset.rows.key)


def published_table(slug: str, year: int) -> Table | None:
    """The dataset's suppressed table for a published year (None: no such dataset or year)."""
    dataset = DATASETS.get(slug)
    if dataset is None or year not in published_years():
        return None
    return _cached(f"{slug}:{year}", lambda: _table(dataset, year))
