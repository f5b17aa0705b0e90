"""The systemic-issues page: themes raised at many institutions and issues raised in
consecutive years, each with its implementation record; every figure links to its list."""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from vigil.accounts.http import user_of
from vigil.reference.models import Agency
from vigil.visits.enums import Theme

from ..deadlines import DeadlineWindow
from ..enums import State, Tally
from ..permissions import can_view_systemic_issues
from ..selectors.systemic import (
    RecurringIssue,
    WidespreadIssue,
    hydrate,
    min_institutions,
    recurring_issues,
    widespread_issues,
)
from ..selectors.tallies import TallyCounts

PAGE_SIZE = 50
FIGURE_FILTERS: dict[str, dict[str, str]] = {
    "issued": {},
    "implemented": {"tally": Tally.IMPLEMENTED},
    "in_implementation": {"tally": Tally.IN_IMPLEMENTATION},
    "not_accepted": {"tally": Tally.NOT_ACCEPTED},
    "no_response": {"status": State.NO_RESPONSE},
    "overdue": {"overdue": "true"},
}


@dataclass(frozen=True)
class Figure:
    name: str
    value: int
    url: str


@dataclass(frozen=True)
class Row:
    issue: Any
    theme_label: str
    figures: list[Figure]
    record: TallyCounts
    issued_url: str


def _list_url(params: dict[str, Any]) -> str:
    return reverse("recommendations:list") + "?" + urlencode(params)


def _row(issue: WidespreadIssue | RecurringIssue, params: dict[str, Any]) -> Row:
    figures = [
        Figure(name, getattr(issue.record, name), _list_url({**params, **extra}))
        for name, extra in FIGURE_FILTERS.items()
    ]
    return Row(
        issue=issue,
        theme_label=str(Theme(issue.theme).label),
        figures=figures,
        record=issue.record,
        issued_url=_list_url(params),
    )


def _recurring_params(issue: RecurringIssue) -> dict[str, Any]:
    params: dict[str, Any] = {"theme": issue.theme}
    if issue.chain:
        params["repeated"] = "true"
    if issue.institution is not None:
        params["institution"] = str(issue.institution.public_id)
    elif issue.addressee is not None:
        params["agency"] = issue.addressee.code
    return params


def _int(value: str | None, low: int, high: int) -> int | None:
    if not value:
        return None
    try:
        number = int(value)
    except ValueError:
        raise Http404 from None
    if not low <= number <= high:
        raise Http404
    return number


@require_safe
def systemic_issues(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not can_view_systemic_issues(user):
        raise PermissionDenied
    code = (request.GET.get("agency") or "").strip()
    agency = Agency.objects.filter(code=code).first() if code else None
    if code and agency is None:
        raise Http404
    year = _int(request.GET.get("year"), 1900, 2999)
    minimum = _int(request.GET.get("min"), 2, 10_000) or min_institutions()
    window = DeadlineWindow.on()

    widespread = []
    for issue in widespread_issues(user, minimum=minimum, year=year, agency=agency, window=window):
        params: dict[str, Any] = {"theme": issue.theme, "agency": issue.branch.code}
        if year is not None:
            params["year"] = year
        widespread.append(_row(issue, params))

    recurring = recurring_issues(user, agency=agency, window=window)
    page = Paginator(recurring, PAGE_SIZE).get_page(request.GET.get("page"))
    recurring_rows = []
    for recurring_issue in hydrate(page):
        recurring_rows.append(_row(recurring_issue, _recurring_params(recurring_issue)))

    agencies = Agency.objects.filter(parent__isnull=True).order_by("code") | Agency.objects.filter(
        children__isnull=False
    ).order_by("code")
    return render(
        request,
        "recommendations/systemic.html",
        {
            "agency": agency,
            "year": year,
            "minimum": minimum,
            "widespread": widespread,
            "recurring": recurring_rows,
            "page": page,
            "agencies": agencies.distinct().order_by("code"),
            "figure_names": list(FIGURE_FILTERS),
        },
    )
