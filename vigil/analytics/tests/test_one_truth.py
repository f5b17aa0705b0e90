"""One truth: the dashboard (its API), the consolidated annual report and open data show the
same figures for the same year, on the demo data set — because all three count through the
same selectors (`vigil.analytics.selectors`). A figure open data hides (`<5`, `x`) is not
compared; every other one must be equal."""

import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from vigil.accounts.models import User

from ..opendata.suppression import MARKERS
from ..selectors.report import ReportContent, report_content
from .report_helpers import make_report

YEAR = timezone.localdate().year - 1  # a whole year, published as open data by default


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The demo data set, once for the module; rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("generate_demo_data", "--seed", "3", "--scale", "demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def _key_figures(content: ReportContent) -> dict[str, int]:
    section = next(s for s in content.sections if s.key == "figures")
    table = next(t for t in section.tables if t.key == "key")
    return {row[0]: int(row[1].replace(",", "")) for row in table.rows}


def _open(client: Client, dataset: str) -> dict[str, Any]:
    response = client.get(reverse("opendata:json", args=[dataset, YEAR]))
    assert response.status_code == 200
    return json.loads(response.content)  # type: ignore[no-any-return]


def _same(published: Any, shown: int) -> bool:
    return published in MARKERS or published == shown


@pytest.mark.django_db
def test_dashboard_report_and_open_data_agree(demo: None) -> None:
    coordinator = User.objects.get(email="coordinator@demo.vigil")
    client = Client()
    client.force_login(coordinator)
    dashboard = client.get("/api/v1/statistics/", {"year": YEAR}).json()
    visits = dashboard["visits"]
    assert visits["total"]["count"] > 0, "the demo data set has visits in the last year"

    with translation.override("en"):
        report = _key_figures(report_content(make_report(YEAR, coordinator), "en", coordinator))
    assert report["Visits made"] == visits["total"]["count"]
    assert report["Institutions visited"] == visits["institutions"]["count"]
    tally = {f["key"]: f["count"] for f in dashboard["recommendations"]["figures"]}
    assert report["Recommendations issued"] == tally["issued"]
    assert report["Implementation rate"] == tally["implemented"]
    officials = dashboard["accountability"]["total"]["count"]
    assert report.get("Officials held accountable", 0) == officials

    public = Client()  # open data: no login
    open_visits = _open(public, "visits")
    assert _same(open_visits["total"], visits["total"]["count"])
    by_type = {f["key"]: f["count"] for f in visits["by_type"]}
    columns = dict(
        zip(
            (m["code"] for m in open_visits["columns"]["members"]),
            open_visits["column_totals"],
            strict=True,
        )
    )
    assert _same(columns["planned"], by_type["planned"])
    assert _same(columns["special"], by_type["special"])
    others = sum(n for kind, n in by_type.items() if kind not in ("planned", "special"))
    assert _same(columns["other"], others)
    by_region = {f["key"]: f["count"] for f in visits["by_region"]}
    for member, total in zip(
        open_visits["rows"]["members"], open_visits["row_totals"], strict=True
    ):
        assert _same(total, by_region.get(member["code"], 0)), member["code"]
    assert _same(_open(public, "institutions")["total"], visits["institutions"]["count"])
    recommendations = _open(public, "recommendations")
    assert _same(recommendations["total"], tally["issued"])
    appeals = _open(public, "appeals")
    assert _same(appeals["total"], dashboard["appeals"]["total"]["count"])
    assert _same(_open(public, "accountability")["total"], officials)
    # the headline figures are large enough to be published as they are
    assert open_visits["total"] not in MARKERS
    assert recommendations["total"] not in MARKERS
