"""The systemic-issues page as a list: the widespread issues, then the recurring ones, paged
together (50 a page), each with its implementation record; the export is that table.

`?agency=CODE` (with its sub-units), `?year=YYYY` (the widespread issues), `?min=N`
(institutions). The rows are the selectors' issues; a page's rows are hydrated and linked
(`page_context`), the export's in chunks.
"""

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page
from django.http import Http404, QueryDict
from django.urls import reverse
from django.utils.translation import ngettext_lazy

from vigil.accounts.models import User
from vigil.core.collation import sort_key
from vigil.core.listing import Column, Filtered, Listing, applied_filters, ordered_rows
from vigil.reference.models import Agency
from vigil.visits.enums import Theme

from ..deadlines import DeadlineWindow
from ..permissions import can_view_systemic_issues
from ..selectors.systemic import (
    RecurringIssue,
    WidespreadIssue,
    hydrate,
    min_institutions,
    systemic_issues,
)
from ..selectors.tallies import FIGURES, figure_sort_keys, through
from .tallies import FIGURE_FILTERS

Issue = WidespreadIssue | RecurringIssue


@dataclass(frozen=True)
class Figure:
    name: str
    value: int
    url: str


@dataclass(frozen=True)
class Row:
    issue: Any
    kind: str  # "widespread" or the recurring issue's kind
    theme_label: str
    figures: list[Figure]
    record: Any
    issued_url: str


def _list_url(params: dict[str, Any]) -> str:
    return reverse("recommendations:list") + "?" + urlencode(params)


def _params(issue: Issue) -> dict[str, Any]:
    if isinstance(issue, WidespreadIssue):
        params: dict[str, Any] = {"theme": issue.theme, "agency": issue.branch.code}
        if issue.year is not None:
            params["year"] = issue.year
        return params
    params = {"theme": issue.theme}
    if issue.chain:
        params["repeated"] = "true"
    if issue.institution is not None:
        params["institution"] = str(issue.institution.public_id)
    elif issue.addressee is not None:
        params["agency"] = issue.addressee.code
    return params


def _row(issue: Issue) -> Row:
    params = _params(issue)
    return Row(
        issue=issue,
        kind="widespread" if isinstance(issue, WidespreadIssue) else issue.kind,
        theme_label=str(Theme(issue.theme).label),
        figures=[
            Figure(name, getattr(issue.record, name), _list_url({**params, **extra}))
            for name, extra in FIGURE_FILTERS.items()
        ],
        record=issue.record,
        issued_url=_list_url(params),
    )


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


@dataclass(frozen=True)
class SystemicParams:
    agency: Agency | None
    year: int | None
    minimum: int


def systemic_params(params: QueryDict) -> SystemicParams:
    """The page's parameters (404 for an unknown agency or a number out of range)."""
    code = (params.get("agency") or "").strip()
    agency = Agency.objects.filter(code=code).first() if code else None
    if code and agency is None:
        raise Http404
    return SystemicParams(
        agency=agency,
        year=_int(params.get("year"), 1900, 2999),
        minimum=_int(params.get("min"), 2, 10_000) or min_institutions(),
    )


def _where_code(issue: Issue) -> str:
    if isinstance(issue, WidespreadIssue):
        return issue.branch.code
    if issue.institution is not None:
        return issue.institution.external_code or str(issue.institution.public_id)
    return issue.addressee.code if issue.addressee is not None else ""


def _where_name(issue: Issue) -> str:
    if isinstance(issue, WidespreadIssue):
        return issue.branch.name
    if issue.institution is not None:
        return issue.institution.name
    return issue.addressee.name if issue.addressee is not None else ""


def _years(issue: Issue) -> str:
    if isinstance(issue, WidespreadIssue):
        return f"{issue.first_year}-{issue.last_year}"
    return ",".join(str(year) for year in issue.years)


def _figure(name: str) -> Column[Issue]:
    return Column(name, lambda issue: getattr(issue.record, name))


CHART_WIDTH = 400
CHART_ROWS = 10
_SEGMENTS = (  # the official tally's parts, and what remains (no answer yet, no response)
    ("implemented", "#1a7f37"),
    ("in_implementation", "#0969da"),
    ("not_accepted", "#cf222e"),
)


@dataclass(frozen=True)
class Bar:
    label: str
    y: int
    segments: list[tuple[str, int, int, str, int]]  # figure, x, width, colour, value


def chart_bars(rows: list[Row]) -> list[Bar]:
    """The most widespread issues of the page as bars of their implementation record (shares
    of the recommendations issued), for a server-drawn SVG next to the table it summarises."""
    bars = []
    for n, row in enumerate(rows[:CHART_ROWS]):
        record, x, segments = row.record, 0, []
        for figure, colour in _SEGMENTS:
            value = getattr(record, figure)
            width = round(CHART_WIDTH * value / record.issued) if record.issued else 0
            segments.append((figure, x, width, colour, value))
            x += width
        label = f"{row.issue.theme} · {row.issue.branch.code}"
        bars.append(Bar(label, n * 24, segments))
    return bars


_SORT_KEYS: dict[str, Callable[[Issue], Any]] = {
    **through(figure_sort_keys(), attrgetter("record")),
    "theme": lambda i: sort_key(str(Theme(i.theme).label)),
    "institutions": lambda i: i.institutions if isinstance(i, WidespreadIssue) else 0,
    "run": lambda i: len(i.run) if isinstance(i, RecurringIssue) else 0,
}
"""`?ordering=` of the page (each table keeps its rows' relative order: the sort is stable)."""


class SystemicListing(Listing[Issue]):
    name = "systemic-issues"
    count_label = ngettext_lazy("%(count)s issue", "%(count)s issues", "n")

    def allowed(self, user: User) -> bool:
        return can_view_systemic_issues(user)

    def filtered(self, user: User, params: QueryDict) -> Filtered[Issue]:
        chosen = systemic_params(params)
        window = DeadlineWindow.on()
        return Filtered(
            form=None,
            rows=ordered_rows(
                systemic_issues(
                    user,
                    minimum=chosen.minimum,
                    year=chosen.year,
                    agency=chosen.agency,
                    window=window,
                ),
                params,
                _SORT_KEYS,
            ),
            applied=applied_filters(params, ("agency", "year", "min", "ordering")),
        )

    def columns(self, user: User) -> Sequence[Column[Issue]]:
        return [
            Column("kind", lambda i: "widespread" if isinstance(i, WidespreadIssue) else i.kind),
            Column("theme", lambda i: i.theme),
            Column("where_code", _where_code),
            Column("where_name", _where_name),
            Column(
                "institutions",
                lambda i: i.institutions if isinstance(i, WidespreadIssue) else None,
            ),
            Column("years", _years),
            Column(
                "consecutive_years",
                lambda i: len(i.run) if isinstance(i, RecurringIssue) else None,
            ),
            *(_figure(name) for name in FIGURES),
        ]

    def export_rows(self, rows: Any) -> Iterator[Issue]:
        issues = list(rows)
        for start in range(0, len(issues), self.export_chunk):
            chunk = issues[start : start + self.export_chunk]
            recurring = iter(hydrate(i for i in chunk if isinstance(i, RecurringIssue)))
            for issue in chunk:
                yield issue if isinstance(issue, WidespreadIssue) else next(recurring)

    def page_context(self, user: User, filtered: Filtered[Issue], page: Page) -> Mapping[str, Any]:
        rows = [_row(issue) for issue in self.export_rows(page.object_list)]
        widespread = [row for row in rows if row.kind == "widespread"]
        return {
            "widespread": widespread,
            "recurring": [row for row in rows if row.kind != "widespread"],
            "chart": chart_bars(widespread),
            "bar_width": CHART_WIDTH,
            "chart_width": CHART_WIDTH + 170,
            "chart_height": 24 * min(len(widespread), CHART_ROWS),
        }


SYSTEMIC_LIST = SystemicListing()
