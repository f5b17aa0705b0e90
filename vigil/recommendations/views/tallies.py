"""The tallies page: per agency (with its sub-units) and year — issued, implemented, in
implementation, not accepted, no response, overdue, implementation rate — each figure
linking to the list of the recommendations behind it.

`?agency=CODE&year=YYYY`; without an agency, the agencies at the top of the hierarchy (a
liaison: its own agency). A liaison asking for an agency outside its subtree gets 404.
"""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_safe

from vigil.accounts.http import user_of
from vigil.accounts.models import User
from vigil.reference.models import Agency

from ..deadlines import DeadlineWindow
from ..enums import State, Tally
from ..permissions import (
    can_view_recommendation_list,
    is_agency_scoped,
    tally_agencies_visible_to,
)
from ..selectors.tallies import (
    FIGURES,
    TallyRow,
    agency_tally_table,
    tally_agency,
    tally_by_year,
    tally_roots,
    tally_years,
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
    try:
        base = reverse(name)
    except NoReverseMatch:  # the list page is not there (yet): no link
        return ""
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
    sub_units: list["DisplayRow"]
    tally_url: str  # this agency's own tally page


def _display(user: User, row: TallyRow, year: int | None) -> DisplayRow:
    agency = row.agency
    cells = [
        Cell(name, getattr(row.counts, name), figure_url(user, agency, year, name))
        for name in FIGURES
    ]
    page = reverse("recommendations:tallies")
    params = {"agency": agency.code} if agency is not None else {}
    if year is not None:
        params["year"] = str(year)
    return DisplayRow(
        row=row,
        cells=cells,
        issued_url=cells[0].url,
        implemented_url=cells[1].url,
        sub_units=[_display(user, sub, year) for sub in row.sub_units],
        tally_url=f"{page}?{urlencode(params)}",
    )


@require_safe
def tally_page(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not can_view_recommendation_list(user):
        raise PermissionDenied
    agency = tally_agency(user, request.GET.get("agency"))
    year = tally_year(request.GET.get("year"))
    window = DeadlineWindow.on()
    roots = [agency] if agency is not None else tally_roots(user)
    table = agency_tally_table(user, roots, year, window=window)
    by_year = tally_by_year(user, agency, window=window) if agency is not None else []
    return render(
        request,
        "recommendations/tallies.html",
        {
            "agency": agency,
            "year": year,
            "years": tally_years(user),
            "agencies": _agency_choices(user),
            "rows": [_display(user, row, year) for row in table],
            "by_year": [_display(user, row, row.year) for row in by_year],
            "today": window.today,
        },
    )


def _agency_choices(user: User) -> list[Agency]:
    return list(tally_agencies_visible_to(user).order_by("code"))
