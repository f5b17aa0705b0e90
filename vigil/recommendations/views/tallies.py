"""The tallies page: per agency (with its sub-units) and year — issued, implemented, in
implementation, not accepted, no response, overdue, implementation rate — each figure
linking to the list of the recommendations behind it; the table exports as CSV or XLSX
(`..listings.tallies`)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from vigil.accounts.http import user_of
from vigil.accounts.models import User
from vigil.core.listing import list_response

from ..deadlines import DeadlineWindow
from ..listings.tallies import TALLY_LIST, display_row, tally_year
from ..permissions import tally_agencies_visible_to
from ..selectors.tallies import tally_agency, tally_by_year, tally_years


def _context(user: User, request: HttpRequest) -> dict[str, Any]:
    if not TALLY_LIST.allowed(user):  # list_response answers 403 before anything is read
        return {}
    agency = tally_agency(user, request.GET.get("agency"))
    window = DeadlineWindow.on()
    by_year = tally_by_year(user, agency, window=window) if agency is not None else []
    return {
        "agency": agency,
        "year": tally_year(request.GET.get("year")),
        "years": tally_years(user),
        "agencies": list(tally_agencies_visible_to(user).order_by("code")),
        "by_year": [display_row(user, row, row.year) for row in by_year],
        "today": window.today,
    }


@require_safe
def tally_page(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    return list_response(
        request,
        TALLY_LIST,
        template="recommendations/tallies.html",
        results_id="tallies-results",
        partial="recommendations/tallies.html",
        context=_context(user, request) if not request.GET.get("export") else {},
    )
