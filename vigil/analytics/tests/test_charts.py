"""Charts defined once (vigil.analytics.charts): the Vega-Lite spec, its SVG rendered offline,
the data table and its downloads."""

import csv
import io
import json
import re
import shutil
import subprocess
from decimal import Decimal

import pytest
import vl_convert
from django.http import Http404
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from fontTools.ttLib import TTFont
from openpyxl import load_workbook

from vigil.analytics.charts import (
    KINDS,
    OKABE_ITO,
    VEGA_LITE_VERSION,
    Chart,
    ChartRow,
    chart_download,
    chart_download_response,
    chart_export_response,
    share_text,
)

KAZAKH_LETTERS = "әғқңөұүһі"


def regions_chart(**kwargs: object) -> Chart:
    options: dict[str, object] = {
        "key": "by-region",
        "title": "Visits by region",
        "kind": "bar",
        "rows": [
            ChartRow("Abai", 275, url="/visits/?region=KZ-10", base=758),
            ChartRow("Ulytau", 35000, base=40000),
            ChartRow("Zhetisu", 0, url="/visits/?region=KZ-33", base=0),
        ],
        "x": _("Region"),
        "y": _("Visits"),
    }
    options.update(kwargs)
    return Chart(**options)  # type: ignore[arg-type]


def series_chart(kind: str, **kwargs: object) -> Chart:
    rows = [
        ChartRow(month, value, series=series, url=f"/visits/?month={month}&kind={series}")
        for month, values in (("2026-01", (3, 5, 1)), ("2026-02", (4, 6, 2)))
        for series, value in zip(("Planned", "Reactive", "Follow-up"), values, strict=True)
    ]
    return Chart(
        key="by-month",
        title="Visits by month",
        kind=kind,  # type: ignore[arg-type]
        rows=rows,
        x=_("Month"),
        y=_("Visits"),
        series="Kind",
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("percent", [False, True])
def test_every_kind_is_valid_vega_lite_rendered_offline(kind, percent) -> None:
    rows = [
        ChartRow(month, value, series=series, base=10)
        for month in ("2026-01", "2026-02")
        for series, value in (("A", 3), ("B", 5))
    ]
    chart = Chart(
        key="k", title="T", kind=kind, rows=rows, x="Month", y="N", series="S", percent=percent
    )
    spec = chart.spec()
    json.dumps(spec)  # JSON-serialisable as it is
    assert spec["data"] == {"values": spec["data"]["values"]}, "data inline, never fetched"
    assert spec["$schema"].endswith("/v6.json")
    vega = vl_convert.vegalite_to_vega(spec, vl_version=VEGA_LITE_VERSION)
    assert vega["marks"]
    svg = vl_convert.vegalite_to_svg(spec, vl_version=VEGA_LITE_VERSION)
    assert svg.startswith("<svg")
    assert "<path" in svg
    assert chart.svg().startswith("<svg")


@pytest.mark.parametrize("kind", ["bar", "stacked_bar"])
def test_horizontal_bars_put_the_categories_on_the_y_axis(kind) -> None:
    chart = series_chart(kind, horizontal=True)
    encoding = chart.spec()["encoding"]
    assert encoding["y"]["field"] == "category"
    assert encoding["x"]["field"] == "value"
    assert chart.svg().startswith("<svg")


def test_a_chart_of_one_series_is_drawn_in_the_palettes_first_colour() -> None:
    spec = regions_chart().spec()
    assert spec["mark"]["color"] == OKABE_ITO[0]
    assert "color" not in spec["encoding"]


@pytest.mark.parametrize("kind", KINDS)
def test_series_take_the_okabe_ito_colours_in_their_order(kind) -> None:
    color = series_chart(kind).spec()["encoding"]["color"]
    assert color["scale"]["domain"] == ["Planned", "Reactive", "Follow-up"]
    assert color["scale"]["range"] == list(OKABE_ITO[:3])
    assert OKABE_ITO == (
        "#0072B2",
        "#E69F00",
        "#009E73",
        "#D55E00",
        "#56B4E9",
        "#CC79A7",
        "#F0E442",
        "#000000",
    )


def test_a_stacked_bar_stacks_the_series_in_their_order() -> None:
    spec = series_chart("stacked_bar").spec()
    assert spec["encoding"]["y"]["stack"] == "zero"
    orders = {d["series"]: d["series_order"] for d in spec["data"]["values"]}
    assert orders == {"Planned": 0, "Reactive": 1, "Follow-up": 2}


def test_a_figure_with_a_list_behind_it_links_to_it() -> None:
    spec = regions_chart().spec()
    assert spec["encoding"]["href"] == {
        "condition": {"test": "datum.url", "field": "url"},
        "value": None,
    }
    assert spec["mark"]["cursor"] == "pointer"
    urls = [d.get("url") for d in spec["data"]["values"]]
    assert urls == ["/visits/?region=KZ-10", None, "/visits/?region=KZ-33"]


def test_a_chart_without_lists_has_no_links() -> None:
    chart = Chart(key="k", title="T", kind="bar", rows=[ChartRow("A", 1)], x="X", y="Y")
    spec = chart.spec()
    assert "href" not in spec["encoding"]
    assert "cursor" not in spec["mark"]


def test_the_svg_links_only_with_the_sites_address() -> None:
    chart = regions_chart()
    links = re.findall(r'<a xlink:href="([^"]*)"', chart.svg("https://vigil.example/"))
    assert links == [
        "https://vigil.example/visits/?region=KZ-10",
        "https://vigil.example/visits/?region=KZ-33",
    ]
    assert "<a " not in chart.svg(), "a relative address means nothing in a PDF"


@pytest.mark.parametrize(
    ("language", "region", "visits"),
    [("kk", "Өңір", "Барулар"), ("ru", "Регион", "Посещения"), ("en", "Region", "Visits")],
)
def test_labels_are_translated_in_the_active_language(language, region, visits) -> None:
    chart = regions_chart()  # built once, lazily translated labels
    with translation.override(language):
        spec = chart.spec()
        table = chart.table()
        svg = chart.svg()
    assert spec["encoding"]["x"]["title"] == region
    assert spec["encoding"]["y"]["title"] == visits
    assert [t["title"] for t in spec["encoding"]["tooltip"]] == [region, visits]
    assert table.columns[0] == region
    assert table.columns[-1] == visits
    assert f">{region}</text>" in svg
    assert f">{visits}</text>" in svg


def test_numbers_are_grouped_the_way_the_language_writes_them() -> None:
    chart = regions_chart()
    with translation.override("ru"):
        ru = chart.table()
        locale = chart.spec()["usermeta"]["embedOptions"]["formatLocale"]
    with translation.override("en"):
        en = chart.table()
    assert ru.rows[1][-1].text == "35\xa0000"
    assert en.rows[1][-1].text == "35,000"
    assert locale["decimal"] == ","
    assert locale["thousands"] == "\xa0"


def test_a_share_shows_its_base() -> None:
    chart = regions_chart(percent=True, y="Share visited")
    abai, _ulytau, zhetisu = chart.rows
    assert abai.share == Decimal("36.3")  # 275 / 758 = 36.28%
    assert zhetisu.share is None
    table = chart.table()
    assert table.columns == ["Region", "Number", "Share visited"]
    assert [cell.text for cell in table.rows[0]] == ["Abai", "275", "36.3% of 758"]
    assert table.rows[1][-1].text == "87.5% of 40,000"
    assert table.rows[2][-1].text == "—"
    values = chart.spec()["data"]["values"]
    assert [d["value"] for d in values] == [0.363, 0.875, None]
    assert [d["label"] for d in values] == ["36.3% of 758", "87.5% of 40,000", "—"]
    assert chart.spec()["encoding"]["y"]["axis"]["format"] == "~%"
    with translation.override("ru"):
        assert "36,3" in share_text(Decimal("36.3"), 758)


def test_a_chart_of_shares_needs_every_base() -> None:
    with pytest.raises(ValueError, match="base"):
        Chart(key="k", title="T", kind="bar", rows=[ChartRow("A", 1)], x="X", y="Y", percent=True)


def test_a_chart_checks_its_kind_and_key() -> None:
    with pytest.raises(ValueError, match="kind"):
        Chart(key="k", title="T", kind="pie", rows=[], x="X", y="Y")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="key"):
        Chart(key="a b", title="T", kind="bar", rows=[], x="X", y="Y")
    with pytest.raises(ValueError, match="line"):
        Chart(key="k", title="T", kind="line", rows=[], x="X", y="Y", horizontal=True)


def test_the_table_links_each_figure_to_its_list() -> None:
    table = regions_chart().table()
    assert [row[-1].url for row in table.rows] == [
        "/visits/?region=KZ-10",
        "",
        "/visits/?region=KZ-33",
    ]
    assert [row[0].url for row in table.rows] == ["", "", ""]


def test_the_svg_writes_kazakh_in_a_font_that_has_its_letters() -> None:
    chart = Chart(
        key="kk",
        title=f"Барулар {KAZAKH_LETTERS}",
        kind="bar",
        rows=[ChartRow("Ұлытау облысы", 4), ChartRow("Түркістан облысы", 7)],
        x="Өңір",
        y="Саны",
    )
    svg = chart.svg()
    assert f">Барулар {KAZAKH_LETTERS}</text>" in svg
    assert ">Ұлытау облысы</text>" in svg
    families = set(re.findall(r'font-family="([^"]*)"', svg))
    assert families == {"DejaVu Sans"}
    fc_match = shutil.which("fc-match")
    assert fc_match is not None, "fontconfig comes with the PDF tools"
    path = subprocess.run(  # noqa: S603 (a fixed local tool)
        [fc_match, "-f", "%{file}", "DejaVu Sans"], capture_output=True, text=True, check=True
    ).stdout
    assert "DejaVuSans" in path
    cmap = TTFont(path).getBestCmap()
    assert all(ord(letter) in cmap for letter in KAZAKH_LETTERS + KAZAKH_LETTERS.upper())


def test_the_csv_download_is_the_table_for_excel() -> None:
    content = chart_download(regions_chart(percent=True), "csv")
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows == [
        ["Region", "Number", "Base", "Visits (%)"],
        ["Abai", "275", "758", "36.3"],
        ["Ulytau", "35000", "40000", "87.5"],
        ["Zhetisu", "0", "0", ""],
    ]


def test_the_xlsx_download_keeps_numbers_as_numbers() -> None:
    chart = series_chart("line")
    sheet = load_workbook(io.BytesIO(chart_download(chart, "xlsx"))).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert sheet.title == "by-month"
    assert rows[0] == ("Month", "Kind", "Visits")
    assert rows[1] == ("2026-01", "Planned", 3)
    assert len(rows) == 7


def test_a_page_serves_its_charts_tables_in_two_lines() -> None:
    factory = RequestFactory()
    charts = [regions_chart(), series_chart("line")]
    assert chart_export_response(factory.get("/page/?year=2026"), charts) is None
    assert chart_export_response(factory.get("/page/?chart=by-month"), charts) is None
    response = chart_export_response(
        factory.get("/page/?year=2026&chart=by-month&export=csv"), charts
    )
    assert response is not None
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="by-month-')
    assert response["Cache-Control"] == "no-store"
    assert b"2026-02,Follow-up,2" in response.content
    with pytest.raises(Http404):
        chart_export_response(factory.get("/page/?chart=unknown&export=csv"), charts)
    with pytest.raises(Http404):
        chart_export_response(factory.get("/page/?chart=by-month&export=pdf"), charts)
    with pytest.raises(Http404):
        chart_download_response(charts[0], "ods")


def test_the_partial_holds_the_spec_the_table_and_the_downloads() -> None:
    chart = regions_chart(percent=True, description="Visits made this year")
    request = RequestFactory().get("/page/?year=2026&page=2")
    html = render_to_string("analytics/_chart.html", {"chart": chart}, request=request)
    spec = re.search(
        r'<script id="chart-by-region-spec" type="application/json">(.*?)</script>', html, re.S
    )
    assert spec is not None
    assert json.loads(spec.group(1)) == chart.spec()
    assert 'data-chart-spec="chart-by-region-spec"' in html
    assert '<caption class="caption-top">Visits by region' in html
    assert "Visits made this year" in html
    assert '<th scope="col">Region</th>' in html
    assert '<th scope="row" class="fw-normal">Abai</th>' in html
    assert '<a href="/visits/?region=KZ-10">36.3% of 758</a>' in html
    assert 'href="?year=2026&amp;chart=by-region&amp;export=csv"' in html
    assert 'href="?year=2026&amp;chart=by-region&amp;export=xlsx"' in html


def test_a_chart_without_rows_says_so() -> None:
    chart = Chart(key="empty", title="T", kind="bar", rows=[], x="X", y="Y")
    request = RequestFactory().get("/page/")
    html = render_to_string("analytics/_chart.html", {"chart": chart}, request=request)
    assert "No figures to show." in html
