"""Charts defined once: a `Chart` gives the Vega-Lite spec shown interactively on a page (the
vendored vega, vega-lite and vega-embed, `vigil/static/vigil/charts.js`), the same spec as an
SVG rendered offline for PDFs (`vl-convert-python`), its data table (always in the page's
HTML: the accessible alternative and what shows without JavaScript) and that table as a
CSV/XLSX download.

The module knows no domain: a page builds its rows (a category, a value, a series, the address
of the list behind the figure, a base for a share) from its selectors and hands them over.

    chart = Chart(key="visits-by-region", title=_("Visits by region"), kind="bar",
                  rows=[ChartRow("Abai", 12, url="/visits/?region=KZ-10")],
                  x=_("Region"), y=_("Visits"))
    if (download := chart_export_response(request, [chart])) is not None:
        return download
    ... render: {% load vigil_charts %}{% chart chart %}, and in the page's scripts block
    {% include "analytics/_chart_assets.html" %}
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import Any, Literal
from urllib.parse import urljoin

import vl_convert
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.formats import get_format
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext

from vigil.core.importing.writing import FORMATS, build_file
from vigil.core.listing import EXPORT_PARAM, file_response
from vigil.core.numbers import format_number

type ChartKind = Literal["bar", "stacked_bar", "line"]
type Number = int | float | Decimal
type Label = str | Promise

KINDS: tuple[ChartKind, ...] = ("bar", "stacked_bar", "line")

CHART_PARAM = "chart"
"""`?chart=<key>&export=csv|xlsx` on the page that shows a chart gives its table as a file."""

VEGA_LITE_VERSION = "6.4"
"""The Vega-Lite version vl-convert renders with: the one vendored for the pages (VERSIONS)."""
SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"

OKABE_ITO = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#56B4E9",  # sky blue
    "#CC79A7",  # reddish purple
    "#F0E442",  # yellow
    "#000000",  # black
)
"""Okabe and Ito's palette, told apart by people with any common colour-vision deficiency;
in this order the first colours keep their contrast on white."""

FONT = "DejaVu Sans"
"""Has every Kazakh letter (ә ғ қ ң ө ұ ү һ і); installed with the PDF tools."""

WIDTH, HEIGHT = 640, 320
PERCENT_STEP = Decimal("0.1")


@dataclass(frozen=True)
class ChartRow:
    """One figure: its category (a bar, a point on the line), its value, its series (a stacked
    part or a line; "" for a chart of one series), the address of the list behind it, and for
    a chart of shares the base the value is a share of ("36.3% of 758": value 275, base 758)."""

    category: str
    value: Number
    series: str = ""
    url: str = ""
    base: int | None = None

    @property
    def share(self) -> Decimal | None:
        """The value as a percentage of the base, to one decimal (None without a base)."""
        if not self.base:
            return None
        ratio = Decimal(str(self.value)) * 100 / Decimal(self.base)
        return ratio.quantize(PERCENT_STEP, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class TableCell:
    text: str
    url: str = ""
    numeric: bool = False


@dataclass(frozen=True)
class ChartTable:
    """The chart's data as a table: the column headers and the rows of formatted cells."""

    columns: list[str]
    rows: list[list[TableCell]]


def share_text(share: Decimal | None, base: int | None) -> str:
    """A share with its base in the active language: "36.3% of 758"."""
    if share is None:
        return "—"
    return gettext("%(share)s%% of %(base)s") % {
        "share": format_number(share),
        "base": format_number(base),
    }


def format_locale() -> dict[str, Any]:
    """The active language's number format as a d3-format locale, so the axes group thousands
    and write decimals like the tables ("35 000", "36,3" in kk and ru)."""
    return {
        "decimal": str(get_format("DECIMAL_SEPARATOR")),
        "thousands": str(get_format("THOUSAND_SEPARATOR")),
        "grouping": [int(get_format("NUMBER_GROUPING")) or 3],
        "currency": ["", ""],
        "percent": "%",
    }


@dataclass(frozen=True)
class Chart:
    """A chart, defined once: `spec()` for the page, `svg()` for PDFs, `table()` for both and
    the downloads. Labels may be lazy translations: each output is built in the active
    language. `percent` plots each row's share of its base; `horizontal` lays bars along the
    x axis (long category names)."""

    key: str
    title: Label
    kind: ChartKind
    rows: Sequence[ChartRow]
    x: Label
    y: Label
    series: Label = ""
    percent: bool = False
    horizontal: bool = False
    description: Label = ""
    width: int = WIDTH
    height: int = HEIGHT

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"Unknown chart kind: {self.kind!r}")
        if not self.key or not self.key.replace("-", "").replace("_", "").isalnum():
            raise ValueError(f"A chart's key is letters, digits, - and _: {self.key!r}")
        if self.horizontal and self.kind == "line":
            raise ValueError("A line chart is not laid horizontally.")
        if self.percent and any(row.base is None for row in self.rows):
            raise ValueError("A chart of shares needs every row's base.")

    @cached_property
    def has_series(self) -> bool:
        return any(row.series for row in self.rows)

    @cached_property
    def has_links(self) -> bool:
        return any(row.url for row in self.rows)

    @property
    def spec_id(self) -> str:
        """The id of the page's `json_script` element holding the spec."""
        return f"chart-{self.key}-spec"

    def _ordered(self, values: Iterable[str]) -> list[str]:
        return list(dict.fromkeys(values))

    def _value_text(self, row: ChartRow) -> str:
        if self.percent:
            return share_text(row.share, row.base)
        return format_number(row.value)

    def _datum(self, row: ChartRow) -> dict[str, Any]:
        share = row.share
        value: float | None
        if self.percent:
            value = None if share is None else float(share / 100)
        else:
            value = float(row.value) if isinstance(row.value, Decimal) else row.value
        datum: dict[str, Any] = {
            "category": row.category,
            "value": value,
            "label": self._value_text(row),
        }
        if self.has_series:
            datum["series"] = row.series
        if row.url:
            datum["url"] = row.url
        return datum

    def spec(self) -> dict[str, Any]:
        """The Vega-Lite spec (JSON-serialisable, data inline) in the active language."""
        x_title, y_title = str(self.x), str(self.y)
        categories = self._ordered(row.category for row in self.rows)
        category = {
            "field": "category",
            "type": "ordinal" if self.kind == "line" else "nominal",
            "title": x_title,
            "sort": categories,
        }
        value: dict[str, Any] = {"field": "value", "type": "quantitative", "title": y_title}
        if self.percent:
            value["axis"] = {"format": "~%"}
            if self.kind != "stacked_bar":
                value["scale"] = {"domain": [0, 1]}
        if self.kind == "stacked_bar":
            value["stack"] = "zero"
        tooltip = [{"field": "category", "title": x_title}]
        encoding: dict[str, Any] = {}
        if self.horizontal:
            encoding["y"], encoding["x"] = category, value
        else:
            encoding["x"], encoding["y"] = category, value
        if self.has_series:
            names = self._ordered(row.series for row in self.rows)
            encoding["color"] = {
                "field": "series",
                "type": "nominal",
                "title": str(self.series),
                "sort": names,
                "scale": {"domain": names, "range": list(OKABE_ITO[: len(names)])},
                "legend": {"orient": "bottom"},
            }
            if self.kind == "stacked_bar":
                encoding["order"] = {"field": "series_order", "type": "quantitative"}
            tooltip.append({"field": "series", "title": str(self.series)})
        tooltip.append({"field": "label", "title": y_title})
        encoding["tooltip"] = tooltip
        if self.has_links:
            # Only a figure with a list behind it is a link (no "undefined" address).
            encoding["href"] = {"condition": {"test": "datum.url", "field": "url"}, "value": None}
        mark: dict[str, Any]
        if self.kind == "line":
            mark = {"type": "line", "point": {"size": 60}, "strokeWidth": 2}
        else:
            mark = {"type": "bar"}
        if not self.has_series:
            mark["color"] = OKABE_ITO[0]
        if self.has_links:
            mark["cursor"] = "pointer"
        values = [self._datum(row) for row in self.rows]
        if self.kind == "stacked_bar" and self.has_series:
            order = {name: i for i, name in enumerate(encoding["color"]["sort"])}
            for datum in values:
                datum["series_order"] = order[datum["series"]]
        title = str(self.title)
        return {
            "$schema": SCHEMA,
            "title": {"text": title, "anchor": "start"},
            "description": str(self.description) or title,
            "width": self.width,
            "height": self.height,
            "data": {"values": values},
            "mark": mark,
            "encoding": encoding,
            "config": {
                "font": FONT,
                "axis": {"labelLimit": 220, "labelFontSize": 12, "titleFontSize": 12},
                "legend": {"labelFontSize": 12, "titleFontSize": 12, "labelLimit": 300},
                "title": {"fontSize": 14},
            },
            "usermeta": {"embedOptions": {"formatLocale": format_locale()}},
        }

    def svg(self, link_base: str | None = None) -> str:
        """The chart as an SVG (for PDFs), rendered here, offline, in the active language.
        With `link_base` (the site's address) each figure links to its list, made absolute;
        without, the SVG has no links (a relative address means nothing in a file)."""
        spec = self.spec()
        if self.has_links:
            if link_base is None:
                del spec["encoding"]["href"]
                del spec["mark"]["cursor"]
            else:
                for datum in spec["data"]["values"]:
                    if "url" in datum:
                        datum["url"] = urljoin(link_base, datum["url"])
        return str(
            vl_convert.vegalite_to_svg(
                spec,
                vl_version=VEGA_LITE_VERSION,
                format_locale=spec["usermeta"]["embedOptions"]["formatLocale"],
                allowed_base_urls=[],
            )
        )

    def png(self, scale: float = 2) -> bytes:
        """The chart as a PNG (for Word files, which show no SVG everywhere), rendered like
        `svg()` without links, offline, in the active language."""
        spec = self.spec()
        if self.has_links:
            del spec["encoding"]["href"]
            del spec["mark"]["cursor"]
        return bytes(
            vl_convert.vegalite_to_png(
                spec,
                vl_version=VEGA_LITE_VERSION,
                scale=scale,
                format_locale=spec["usermeta"]["embedOptions"]["formatLocale"],
                allowed_base_urls=[],
            )
        )

    def _value_column(self) -> str:
        return str(self.y)

    def table(self) -> ChartTable:
        """The chart's figures as a table: each value formatted in the active language (a
        share with its base), linked to the list behind it."""
        columns = [str(self.x)]
        if self.has_series:
            columns.append(str(self.series))
        if self.percent:
            columns.append(pgettext("chart table", "Number"))
        columns.append(self._value_column())
        rows = []
        for row in self.rows:
            cells = [TableCell(row.category)]
            if self.has_series:
                cells.append(TableCell(row.series))
            if self.percent:
                cells.append(TableCell(format_number(row.value), numeric=True))
            cells.append(TableCell(self._value_text(row), url=row.url, numeric=True))
            rows.append(cells)
        return ChartTable(columns=columns, rows=rows)

    def export_rows(self) -> tuple[list[str], list[list[Any]]]:
        """The table for a spreadsheet: the same rows, the numbers left as numbers (a share as
        its count, its base and its percentage)."""
        header = [str(self.x)]
        if self.has_series:
            header.append(str(self.series))
        if self.percent:
            header += [
                pgettext("chart table", "Number"),
                pgettext("chart table", "Base"),
                f"{self._value_column()} (%)",
            ]
        else:
            header.append(self._value_column())
        rows: list[list[Any]] = []
        for row in self.rows:
            values: list[Any] = [row.category]
            if self.has_series:
                values.append(row.series)
            values.append(row.value)
            if self.percent:
                values += [row.base, row.share]
            rows.append(values)
        return header, rows


def chart_download(chart: Chart, fmt: str) -> bytes:
    """The chart's table as a CSV (UTF-8 with a BOM, for Excel) or XLSX file."""
    header, rows = chart.export_rows()
    return build_file(fmt, rows, header, chart.key)


def chart_download_response(chart: Chart, fmt: str) -> HttpResponse:
    """The chart's table as a download named after its key; 404 for an unknown format."""
    if fmt not in FORMATS:
        raise Http404
    return file_response(chart_download(chart, fmt), fmt, chart.key)


def chart_export_response(request: HttpRequest, charts: Iterable[Chart]) -> HttpResponse | None:
    """For `?chart=<key>&export=csv|xlsx`, that chart's table as a file (404 for a chart the
    page does not show); None when the request asks for no chart's file, so a view does:

        if (download := chart_export_response(request, charts)) is not None:
            return download
    """
    key = request.GET.get(CHART_PARAM)
    fmt = request.GET.get(EXPORT_PARAM)
    if not key or not fmt:
        return None
    for chart in charts:
        if chart.key == key:
            return chart_download_response(chart, fmt)
    raise Http404
