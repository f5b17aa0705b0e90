"""The dashboard's charts (`vigil.analytics.charts`), built from the statistics: visits by
type and by agency, the official tally per agency (stacked), the implementation rate's trend
per agency (a line) and appeals by channel. Each bar or point links to the list behind its
figure; a chart of shares keeps its base ("36.3% of 758") in its table."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vigil.core.figures import Figure
from vigil.recommendations.enums import Tally

from .charts import Chart, ChartRow
from .selectors.statistics import RECOMMENDATIONS_LIST, Statistics

TALLY_SERIES = (Tally.IMPLEMENTED, Tally.IN_IMPLEMENTATION, Tally.NOT_ACCEPTED, "no_response")
"""The parts of an agency's stacked bar: the figures of its tally, by key."""


def _shares(figures: list[Figure], base: int) -> list[ChartRow]:
    return [ChartRow(f.label, f.count, url=f.url or "", base=base) for f in figures]


def _trend_url(result: Statistics, agency: str, year: int) -> str:
    query = {**result.filters.params(), "year": str(year), "agency": agency, "tally": "implemented"}
    return f"{reverse(RECOMMENDATIONS_LIST)}?{urlencode(query)}"


def dashboard_charts(result: Statistics) -> dict[str, Chart]:
    """The charts of the sections computed in `result`, by key."""
    charts: list[Chart] = []
    if result.visits is not None:
        v = result.visits
        charts.append(
            Chart(
                key="visits-by-type",
                title=_("Visits by type"),
                kind="bar",
                rows=_shares(v.by_type, v.total.count),
                x=_("Type"),
                y=_("Share of the visits"),
                percent=True,
                horizontal=True,
            )
        )
        charts.append(
            Chart(
                key="visits-by-agency",
                title=_("Visits by agency"),
                description=_("A visit to places of two agencies counts under each."),
                kind="bar",
                rows=_shares(v.by_agency, v.total.count),
                x=_("Agency"),
                y=_("Share of the visits"),
                percent=True,
                horizontal=True,
            )
        )
    if result.recommendations is not None:
        r = result.recommendations
        rows = []
        for row in r.by_agency:
            figures = {figure.key: figure for figure in row.figures}
            for key in TALLY_SERIES:
                figure = figures[key]
                rows.append(ChartRow(row.label, figure.count, figure.label, figure.url or ""))
        charts.append(
            Chart(
                key="tally-by-agency",
                title=_("The official tally per agency"),
                kind="stacked_bar",
                rows=rows,
                x=_("Agency"),
                y=_("Recommendations"),
                series=_("Status"),
                horizontal=True,
            )
        )
        charts.append(
            Chart(
                key="implementation-trend",
                title=_("Implementation rate per agency and year of issue"),
                description=_("Implemented of the recommendations issued that year (every year)."),
                kind="line",
                rows=[
                    ChartRow(
                        str(point.year),
                        point.counts.implemented,
                        point.label,
                        _trend_url(result, point.agency.code, point.year),
                        base=point.counts.issued,
                    )
                    for point in r.trend
                ],
                x=_("Year"),
                y=_("Implementation rate"),
                series=_("Agency"),
                percent=True,
            )
        )
    if result.funnel is not None and "appeals" in result.sections:
        fu = result.funnel
        charts.append(
            Chart(
                key="appeals-by-channel",
                title=_("Appeals received, by channel"),
                kind="bar",
                rows=_shares(fu.by_channel, fu.appeals_total.count),
                x=_("Channel"),
                y=_("Share of the appeals"),
                percent=True,
                horizontal=True,
            )
        )
    return {chart.key: chart for chart in charts}
