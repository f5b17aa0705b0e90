"""The dashboard (`/analysis/`): the statistics of the sections the user may see, for the
filters in the URL (year, by default the current one; region; agency; institution type), every
figure a link to the list behind it; and the coverage list behind the coverage figures."""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from vigil.accounts.http import user_of
from vigil.core.figures import Figure
from vigil.core.listing import list_response
from vigil.recommendations.selectors.systemic import RecurringIssue, WidespreadIssue, hydrate
from vigil.recommendations.selectors.tallies import TallyCounts
from vigil.visits.enums import Theme

from ..charts import chart_export_response
from ..dashboard_charts import dashboard_charts
from ..filters import statistics_filters
from ..listings import COVERAGE_LIST
from ..permissions import can_view_dashboard, dashboard_sections
from ..selectors.statistics import Statistics, statistics

SYSTEMIC_SHOWN = 10
"""The systemic issues the dashboard lists (the systemic-issues page has them all)."""


@dataclass(frozen=True)
class SystemicRow:
    theme_label: str
    where: str
    record: TallyCounts


def _systemic_row(issue: WidespreadIssue | RecurringIssue) -> SystemicRow:
    theme = str(Theme(issue.theme).label) if issue.theme in Theme.values else issue.theme
    if isinstance(issue, WidespreadIssue):
        where = str(issue.branch)
    else:
        place = issue.institution or issue.addressee
        where = str(place) if place is not None else ""
    return SystemicRow(theme, where, issue.record)


def _systemic_url(result: Statistics) -> str:
    """The systemic-issues page with the year and agency of the dashboard."""
    f = result.filters
    query: dict[str, str] = {}
    if f.year is not None:
        query["year"] = str(f.year)
    if f.agency is not None:
        query["agency"] = f.agency.code
    path = reverse("recommendations:systemic")
    return f"{path}?{urlencode(query)}" if query else path


@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not can_view_dashboard(user):
        raise PermissionDenied
    form, filters = statistics_filters(user, request.GET, default_year=timezone.localdate().year)
    sections = dashboard_sections(user)
    result = statistics(user, filters, sections)
    charts = dashboard_charts(result)
    if (download := chart_export_response(request, charts.values())) is not None:
        return download
    systemic = list(result.themes.systemic) if result.themes else []
    shown = systemic[:SYSTEMIC_SHOWN]
    recurring = [issue for issue in shown if isinstance(issue, RecurringIssue)]
    loaded = {id(issue): full for issue, full in zip(recurring, hydrate(recurring), strict=True)}
    shown = [loaded.get(id(issue), issue) for issue in shown]
    tally_figures: list[Figure] = []
    if result.recommendations is not None:
        tally_figures = [*result.recommendations.figures, result.recommendations.escalated]
    coverage_figures: list[Figure] = []
    if result.coverage is not None:
        c = result.coverage
        coverage_figures = [c.covered, c.never_visited, c.not_visited]
    context: dict[str, Any] = {
        "list_form": form,
        "results_id": "dashboard-results",
        "stats": result,
        "dash_charts": {key.replace("-", "_"): chart for key, chart in charts.items()},
        "sections": sections,
        "tally_figures": tally_figures,
        "coverage_figures": coverage_figures,
        "systemic": [_systemic_row(issue) for issue in shown],
        "systemic_total": len(systemic),
        "systemic_url": _systemic_url(result),
    }
    chosen = (
        "analytics/_dashboard_results.html"
        if request.headers.get("HX-Request")
        else "analytics/dashboard.html"
    )
    return render(request, chosen, context)


@require_safe
def coverage_list(request: HttpRequest) -> HttpResponse:
    return list_response(
        request,
        COVERAGE_LIST,
        template="analytics/institutions.html",
        partial="analytics/_institution_table.html",
        results_id="coverage-results",
    )
