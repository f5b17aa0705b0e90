"""Exports of the institution list: what the list shows, safe for spreadsheets, re-importable."""

import csv
import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from conftest import ALL_ACTORS
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.registry.exporting import EXPORT_COLUMNS
from vigil.registry.importing import institutions_import
from vigil.registry.models import Institution

URL = "/registry/institutions/?export={fmt}"


def read_csv(content: bytes) -> list[dict[str, str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "CSV for Excel starts with a BOM"
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def read_xlsx(content: bytes) -> list[dict[str, Any]]:
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = [str(name) for name in rows[0]]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


def read(fmt: str, content: bytes) -> list[dict[str, Any]]:
    return read_csv(content) if fmt == "csv" else read_xlsx(content)


@pytest.fixture
def spread(ref, make_institution) -> dict[str, Institution]:
    """One institution in each region, each under a different agency."""
    return {
        "astana": make_institution(region=ref["astana"], agency=ref["kuis_71"], type=ref["colony"]),
        "almaty": make_institution(region=ref["almaty"], agency=ref["police"], type=ref["ivs"]),
        "karaganda": make_institution(
            region=ref["karaganda"],
            agency=ref["moh"],
            type=ref["psych"],
            name_ru="Областной психиатрический диспансер",
        ),
    }


VISIBLE = {
    "admin": {"astana", "almaty", "karaganda"},
    "coordinator": {"astana", "almaty", "karaganda"},
    "monitor": {"astana", "almaty", "karaganda"},
    "auditor": {"astana", "almaty", "karaganda"},
    "regional": {"astana"},  # covers Astana only
    "liaison": {"astana"},  # the penitentiary committee and its departments
    "other_liaison": {"karaganda"},  # the Ministry of Health
}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("actor", [*ALL_ACTORS, "other_liaison"])
def test_export_role_matrix(client_for, users, spread, actor, fmt):
    response = client_for(actor).get(URL.format(fmt=fmt))
    if actor == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
        assert not AuditEvent.objects.filter(
            action=AuditAction.INSTITUTIONS_EXPORTED.value
        ).exists()
        return
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = read(fmt, response.content)
    codes = {row["external_code"] for row in rows}
    assert codes == {spread[key].external_code for key in VISIBLE[actor]}
    event = AuditEvent.objects.get(action=AuditAction.INSTITUTIONS_EXPORTED.value)
    assert event.actor == users[actor]
    assert event.data == {"format": fmt, "filters": {}, "rows": len(VISIBLE[actor])}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_has_the_import_columns_and_reference_codes(client_for, spread, fmt):
    response = client_for("coordinator").get(URL.format(fmt=fmt) + "&region=KZ-75")
    rows = read(fmt, response.content)
    assert list(rows[0]) == list(EXPORT_COLUMNS)
    (row,) = rows
    assert row["external_code"] == spread["almaty"].external_code
    assert (row["type"], row["agency"], row["region"]) == ("IVS", "MVD-POLICE", "KZ-75")
    assert row["status"] == "active"
    event = AuditEvent.objects.get(action=AuditAction.INSTITUTIONS_EXPORTED.value)
    assert event.data["filters"] == {"region": "KZ-75"}
    assert event.data["rows"] == 1


def test_export_honours_the_list_filters(client_for, spread, ref):
    client = client_for("coordinator")
    by_agency = read_csv(client.get(URL.format(fmt="csv") + "&agency=MVD").content)
    assert {r["external_code"] for r in by_agency} == {
        spread["astana"].external_code,
        spread["almaty"].external_code,
    }
    by_search = read_csv(
        client.get(URL.format(fmt="csv") + "&search=" + spread["karaganda"].name_ru).content
    )
    assert [r["external_code"] for r in by_search] == [spread["karaganda"].external_code]
    ordered = read_csv(client.get(URL.format(fmt="csv") + "&ordering=-capacity").content)
    capacities = [int(r["capacity"]) for r in ordered]
    assert capacities == sorted(capacities, reverse=True)


def test_export_respects_scope_even_with_filters(client_for, spread):
    rows = read_csv(client_for("regional").get(URL.format(fmt="csv") + "&region=KZ-75").content)
    assert rows == []


def test_export_includes_every_page(client_for, ref, make_institution):
    for _ in range(60):  # more than one page of the list (50)
        make_institution()
    rows = read_csv(client_for("monitor").get(URL.format(fmt="csv")).content)
    assert len(rows) == 60


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formula_cells_are_neutralised(client_for, make_institution, fmt):
    make_institution(
        name_ru='=HYPERLINK("x")',
        name_kk="+7 777",
        name_en="@SUM(A1)",
        address="-2+3",
        external_code="\tTAB",
    )
    response = client_for("coordinator").get(URL.format(fmt=fmt))
    (row,) = read(fmt, response.content)
    assert row["name_ru"] == '\'=HYPERLINK("x")'
    assert row["name_kk"] == "'+7 777"
    assert row["name_en"] == "'@SUM(A1)"
    assert row["address"] == "'-2+3"
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        for cell in sheet[2]:
            if isinstance(cell.value, str):
                assert cell.data_type == "s"


def test_xlsx_header_is_bold_and_numbers_are_numbers(client_for, make_institution):
    make_institution(capacity=250)
    response = client_for("coordinator").get(URL.format(fmt="xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert all(cell.font.bold for cell in sheet[1])
    capacity = sheet.cell(row=2, column=EXPORT_COLUMNS.index("capacity") + 1).value
    assert capacity == 250


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(client_for, users, ref, make_institution, fmt):
    make_institution(name_ru='=HYPERLINK("x")', address="-", population_men=5)
    make_institution(status="closed", security_level="maximum", population_date="2026-01-31")
    make_institution(name_kk="", name_en="", capacity=None, external_code="CODE;WITH,SEPS")
    response = client_for("coordinator").get(URL.format(fmt=fmt))
    before = AuditEvent.objects.count()
    result = institutions_import(
        actor=users["coordinator"], content=response.content, file_name=f"export.{fmt}"
    )
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert AuditEvent.objects.count() == before + 1  # only the import summary


def test_export_query_count_does_not_grow_with_rows(client_for, ref, make_institution):
    client = client_for("liaison")

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(URL.format(fmt="xlsx") + "&region=KZ-71")
        assert response.status_code == 200
        return len(ctx.captured_queries)

    for _ in range(5):
        make_institution()
    few = count_queries()
    for _ in range(45):
        make_institution()
    assert count_queries() == few


@pytest.mark.parametrize("fmt", ["pdf", "json", "CSV"])
def test_unknown_format_is_404(client_for, ref, fmt):
    assert client_for("coordinator").get(URL.format(fmt=fmt)).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.INSTITUTIONS_EXPORTED.value).exists()


def test_export_is_get_only(client_for, ref):
    assert client_for("coordinator").post(URL.format(fmt="csv")).status_code == 405
