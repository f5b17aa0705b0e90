"""Charts in the browser: the vendored vega draws each chart of `analytics/_chart.html` under
the site's Content Security Policy (no eval, no inline style), a click on a figure opens the
list behind it, the table's download works, and axe finds nothing serious.

The page is this module's own (`@pytest.mark.urls`): no production URL exists for tests."""

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from e2e.browser import axe_violations
from vigil.analytics.charts import Chart, ChartRow, chart_export_response

PAGE = """{% extends "base.html" %}
{% block title %}Charts{% endblock %}
{% block content %}<h1>Charts</h1>
{% for chart in charts %}{% include "analytics/_chart.html" %}{% endfor %}
{% endblock %}
{% block scripts %}{% include "analytics/_chart_assets.html" %}{% endblock %}"""


def charts() -> list[Chart]:
    months = [
        ChartRow(month, value, series=series, url=f"/charts-list/?month={month}")
        for month, values in (("2026-01", (3, 5)), ("2026-02", (4, 6)), ("2026-03", (2, 7)))
        for series, value in zip(("Жоспарлы", "Шұғыл"), values, strict=True)
    ]
    return [
        Chart(
            key="by-region",
            title="Өңірлер бойынша барулар",
            kind="bar",
            rows=[
                ChartRow("Абай облысы", 275, url="/charts-list/?region=KZ-10", base=758),
                ChartRow("Ұлытау облысы", 12, url="/charts-list/?region=KZ-62", base=40),
            ],
            x=_("Region"),
            y=_("Visits"),
            percent=True,
            horizontal=True,
        ),
        Chart(key="stacked", title="Түрлері", kind="stacked_bar", rows=months, x=_("Month"), y="N"),
        Chart(key="line", title="Айлар", kind="line", rows=months, x=_("Month"), y="N"),
    ]


@login_not_required
def chart_page(request: HttpRequest) -> HttpResponse:
    shown = charts()
    if (download := chart_export_response(request, shown)) is not None:
        return download
    template = engines["django"].from_string(PAGE)
    return HttpResponse(template.render({"charts": shown}, request))


@login_not_required
def list_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"<!doctype html><title>list</title><p>{request.GET.urlencode()}</p>")


urlpatterns = [
    path("charts/", chart_page),
    path("charts-list/", list_page),
    path("", include("config.urls")),  # what the base template links to
]


@pytest.mark.django_db(transaction=True)
@pytest.mark.urls("e2e.test_charts")
def test_charts_draw_under_the_csp_and_link_to_their_lists(browser, live_server) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="kk-KZ", viewport={"width": 1280, "height": 900})
    context.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation',"
        " (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    page: Any = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/charts/", timeout=60_000)

    for key in ("by-region", "stacked", "line"):
        view = page.locator(f"#chart-{key} .vigil-chart-view")
        view.and_(page.locator("[data-chart-ready]")).wait_for()
        assert view.locator("svg .mark-group").count() > 0
    region = page.locator("#chart-by-region .vigil-chart-view svg")
    assert "Абай облысы" in region.text_content()
    assert "Өңір" in region.text_content()  # the axis title in the page's language (kk)
    assert (
        page.locator("#chart-by-region table caption")
        .text_content()
        .startswith("Өңірлер бойынша барулар")
    )
    assert page.evaluate("() => window.__csp") == []
    assert errors == []
    assert axe_violations(page) == []

    with page.expect_download() as download:
        page.locator("#chart-stacked [data-testid=chart-downloads] a", has_text="CSV").click()
    content = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert content.splitlines()[1] == "2026-01,Жоспарлы,3"

    bar = page.locator("#chart-by-region .vigil-chart-view svg .mark-rect path").first
    bar.hover()
    tooltip = page.locator("#vg-tooltip-element.visible")
    tooltip.wait_for()
    assert "36,3" in tooltip.text_content()
    assert "758" in tooltip.text_content()
    assert page.evaluate("() => window.__csp") == []
    bar.click()
    page.wait_for_url("**/charts-list/?region=KZ-10")
    context.close()
