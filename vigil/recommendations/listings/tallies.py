"""The tallies page as a list: one row per agency of the table (each top agency, then its
direct sub-units), each figure linking to the list behind it; the export is that table.

`?agency=CODE&year=YYYY`; without an agency, the agencies at the top of the hierarchy (a
liaison: its own agency). A liaison asking for an agency outside its subtree gets 404.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from operator import attrgetter
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, QueryDict
from django.urls import reverse
from django.utils.translation import ngettext_lazy

from vigil.accounts.models import User
from vigil.core.collation import sort_key
from vigil.core.listing import Column, Filtered, Listing, applied_filters, ordered_rows
from vigil.reference.models import Agency

from ..deadlines import DeadlineWindow
from ..enums import State, Tally
from ..permissions import can_view_recommendation_list, is_agency_scoped
from ..selectors.tallies import (
    FIGURES,
    TallyRow,
    agency_tally_table,
    figure_sort_keys,
    tally_agency,
    tally_roots,
    through,
)


def tally_year(value: str | None) -> int | None:
    if not value:
        return None
    try:
        year = int(value)
    except ValueError:
        raise Http404 from None
    if not 1900 <= year <= 2999:
        raise Http404
    return year


# The list filter behind each figure (parameters of the portal and the recommendations list).
FIGURE_FILTERS: dict[str, dict[str, str]] = {
    "issued": {},
    "implemented": {"tally": Tally.IMPLEMENTED},
    "in_implementation": {"tally": Tally.IN_IMPLEMENTATION},
    "not_accepted": {"tally": Tally.NOT_ACCEPTED},
    "no_response": {"status": State.NO_RESPONSE},
    "overdue": {"overdue": "true"},
}


def figure_url(user: User, agency: Agency | None, year: int | None, figure: str) -> str:
    """The list behind a figure: the portal for liaisons, the recommendations list otherwise."""
    params: dict[str, Any] = {}
    if agency is not None:
        params["agency"] = agency.code
    if year is not None:
        params["year"] = year
    params.update(FIGURE_FILTERS[figure])
    name = "recommendations:portal_list" if is_agency_scoped(user) else "recommendations:list"
    base = reverse(name)
    return f"{base}?{urlencode(params)}" if params else base


@dataclass(frozen=True)
class Cell:
    figure: str
    value: int
    url: str


@dataclass(frozen=True)
class DisplayRow:
    row: TallyRow
    cells: list[Cell]
    issued_url: str
    implemented_url: str
    tally_url: str  # this agency's own tally page
    parent: Agency | None = None  # set on a sub-unit's row


def display_row(
    user: User, row: TallyRow, year: int | None, parent: Agency | None = None
) -> DisplayRow:
    agency = row.agency
    cells = [
        Cell(name, getattr(row.counts, name), figure_url(user, agency, year, name))
        for name in FIGURES
    ]
    params = {"agency": agency.code} if agency is not None else {}
    if year is not None:
        params["year"] = str(year)
    return DisplayRow(
        row=row,
        cells=cells,
        issued_url=cells[0].url,
        implemented_url=cells[1].url,
        tally_url=f"{reverse('recommendations:tallies')}?{urlencode(params)}",
        parent=parent,
    )


def flattened(user: User, table: list[TallyRow], year: int | None) -> list[DisplayRow]:
    """Each agency's row followed by its direct sub-units' rows."""
    rows: list[DisplayRow] = []
    for row in table:
        rows.append(display_row(user, row, year))
        rows.extend(display_row(user, sub, year, parent=row.agency) for sub in row.sub_units)
    return rows


def _figure(name: str) -> Column[DisplayRow]:
    return Column(name, lambda display: getattr(display.row.counts, name))


class TallyListing(Listing[DisplayRow]):
    name = "tallies"
    count_label = ngettext_lazy("%(count)s agency", "%(count)s agencies", "n")
    page_size = 200

    def allowed(self, user: User) -> bool:
        return can_view_recommendation_list(user)

    def filtered(self, user: User, params: QueryDict) -> Filtered[DisplayRow]:
        agency = tally_agency(user, params.get("agency"))
        year = tally_year(params.get("year"))
        roots = [agency] if agency is not None else tally_roots(user)
        table = agency_tally_table(user, roots, year, window=DeadlineWindow.on())
        # Sorted within each level: agencies among themselves, each one's sub-units under it.
        keys = through(figure_sort_keys(), attrgetter("counts"))
        keys["agency"] = lambda row: sort_key(row.agency.name if row.agency else "")
        table = [
            replace(row, sub_units=ordered_rows(row.sub_units, params, keys))
            for row in ordered_rows(table, params, keys)
        ]
        return Filtered(
            form=None,
            rows=flattened(user, table, year),
            applied=applied_filters(params, ("agency", "year", "ordering")),
        )

    def columns(self, user: User) -> Sequence[Column[DisplayRow]]:
        return [
            Column("agency_code", lambda d: d.row.agency.code if d.row.agency else ""),
            Column("agency_name", lambda d: d.row.agency.name if d.row.agency else ""),
            Column("part_of", lambda d: d.parent.code if d.parent else ""),
            Column("year", lambda d: d.row.year),
            *(_figure(name) for name in FIGURES),
            Column("implementation_rate", lambda d: d.row.counts.implementation_rate),
        ]


TALLY_LIST = TallyListing()
