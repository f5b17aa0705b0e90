"""Reading, checking and applying registry import files; the import_institutions command."""

import csv
import datetime
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.core.importing import (
    ImportFileError,
    ImportIssue,
    ImportValidationError,
    read_import_file,
)
from vigil.core.importing.writing import build_csv
from vigil.registry.importing import (
    IMPORT_COLUMNS,
    institutions_import,
    institutions_import_check,
)
from vigil.registry.models import Institution

# ---------------------------------------------------------------------------------------
# Helpers that build files (also used by the view and export tests)
# ---------------------------------------------------------------------------------------

_KINDS = [
    ("COLONY_MEDIUM", "MVD-KUIS-71", "KZ-71"),
    ("IVS", "MVD-POLICE", "KZ-75"),
    ("PSYCH_HOSPITAL", "MOH", "KZ-35"),
]


def make_rows(count: int, *, prefix: str = "IMP") -> list[dict[str, Any]]:
    """`count` valid rows; the row at index i is Excel row i + 2."""
    rows = []
    for i in range(1, count + 1):
        kind, agency, region = _KINDS[i % len(_KINDS)]
        rows.append(
            {
                "external_code": f"{prefix}-{i:05d}",
                "name_kk": f"№ {i} мекеме",
                "name_ru": f"Учреждение № {i}",
                "name_en": f"Institution No. {i}",
                "type": kind,
                "agency": agency,
                "region": region,
                "address": f"ул. Абая, {i}",
                "capacity": 100 + i,
            }
        )
    return rows


def csv_bytes(
    rows: Sequence[dict[str, Any]],
    *,
    columns: Sequence[str] | None = None,
    delimiter: str = ",",
    bom: bool = False,
    encoding: str = "utf-8",
) -> bytes:
    columns = list(columns or (rows[0].keys() if rows else IMPORT_COLUMNS))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def xlsx_bytes(
    rows: Sequence[dict[str, Any] | None], *, columns: Sequence[str] | None = None
) -> bytes:
    """An XLSX; a None row leaves an empty row in the sheet."""
    first = next(r for r in rows if r)
    columns = list(columns or first.keys())
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(columns)
    for row in rows:
        sheet.append([] if row is None else [row.get(c) for c in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def file_for(fmt: str, rows: Sequence[dict[str, Any]]) -> tuple[bytes, str]:
    """The two forms people send: Excel's ru/kk "CSV UTF-8" (BOM, semicolons) and XLSX."""
    if fmt == "csv":
        return csv_bytes(rows, delimiter=";", bom=True), "institutions.csv"
    return xlsx_bytes(rows), "institutions.xlsx"


def audit_count(action: AuditAction) -> int:
    return AuditEvent.objects.filter(action=action.value).count()


# ---------------------------------------------------------------------------------------
# The 500-row journey: one bad row, corrected, imported twice, edited
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_500_rows_bad_row_corrected_reimported_and_edited(ref, users, fmt):
    coordinator = users["coordinator"]
    rows = make_rows(500)
    rows[255]["region"] = "KZ-99"  # Excel row 257
    content, name = file_for(fmt, rows)

    with pytest.raises(ImportValidationError) as excinfo:
        institutions_import(actor=coordinator, content=content, file_name=name)
    errors = excinfo.value.plan.errors
    assert [(e.row, e.column) for e in errors] == [(257, "region")]
    assert "KZ-99" in errors[0].message
    assert Institution.objects.count() == 0
    assert AuditEvent.objects.count() == 0

    rows[255]["region"] = "KZ-71"
    content, name = file_for(fmt, rows)
    result = institutions_import(actor=coordinator, content=content, file_name=name)
    assert (result.created, result.updated, result.unchanged) == (500, 0, 0)
    assert Institution.objects.count() == 500
    assert audit_count(AuditAction.INSTITUTION_CREATED) == 500
    assert audit_count(AuditAction.INSTITUTIONS_IMPORTED) == 1

    events_before = AuditEvent.objects.count()
    again = institutions_import(actor=coordinator, content=content, file_name=name)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 500)
    assert AuditEvent.objects.count() == events_before + 1
    summary = AuditEvent.objects.filter(action=AuditAction.INSTITUTIONS_IMPORTED.value).first()
    assert summary is not None
    assert summary.actor == coordinator
    assert summary.data["file_name"] == name
    assert (summary.data["created"], summary.data["updated"], summary.data["unchanged"]) == (
        0,
        0,
        500,
    )

    rows[41]["name_ru"] = "Новое имя"
    content, name = file_for(fmt, rows)
    edited = institutions_import(actor=coordinator, content=content, file_name=name)
    assert (edited.created, edited.updated, edited.unchanged) == (0, 1, 499)
    institution = Institution.objects.get(external_code=rows[41]["external_code"])
    assert institution.name_ru == "Новое имя"
    update = AuditEvent.objects.get(action=AuditAction.INSTITUTION_UPDATED.value)
    assert update.target_id == str(institution.public_id)
    assert update.data["changes"] == {"name_ru": ["Учреждение № 42", "Новое имя"]}


def test_import_3000_rows(ref):
    rows = make_rows(3000)
    result = institutions_import(actor=None, content=csv_bytes(rows), file_name="big.csv")
    assert result.created == 3000
    assert Institution.objects.count() == 3000


def test_check_uses_a_constant_number_of_queries(ref, make_institution):
    for i in range(1, 30):
        make_institution(external_code=f"IMP-{i:05d}")

    def queries(count: int) -> int:
        content = csv_bytes(make_rows(count))
        with CaptureQueriesContext(connection) as ctx:
            plan = institutions_import_check(content=content, file_name="x.csv")
        assert plan.is_valid
        return len(ctx.captured_queries)

    assert queries(5) == queries(60)


# ---------------------------------------------------------------------------------------
# File formats
# ---------------------------------------------------------------------------------------


def test_csv_with_commas_and_no_bom(ref):
    content = csv_bytes(make_rows(3), delimiter=",", bom=False)
    assert not content.startswith(b"\xef\xbb\xbf")
    result = institutions_import(actor=None, content=content, file_name="plain.csv")
    assert result.created == 3


def test_csv_header_is_case_insensitive_and_trimmed_unknown_columns_warned(ref):
    rows = make_rows(2)
    for row in rows:
        row["Comment"] = "ignored"
    columns = [f"  {c.upper()} " for c in IMPORT_COLUMNS[:9]] + ["Comment"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row[c] for c in IMPORT_COLUMNS[:9]] + ["ignored"])
    plan = institutions_import_check(content=buffer.getvalue().encode(), file_name="x.csv")
    assert plan.is_valid, plan.errors
    assert [(w.row, w.column) for w in plan.warnings] == [(1, "comment")]
    assert plan.counts == {"create": 2, "update": 0, "unchanged": 0}


def test_non_utf8_csv_is_refused_with_a_clear_message(ref):
    content = csv_bytes(make_rows(2), delimiter=";", encoding="cp1251")
    with pytest.raises(ImportFileError) as excinfo, translation.override("en"):
        read_import_file(content, "export.csv")
    assert "CSV UTF-8" in excinfo.value.message
    plan = institutions_import_check(content=content, file_name="export.csv")
    assert not plan.is_valid
    assert "CSV UTF-8" in plan.errors[0].message
    with pytest.raises(ImportValidationError):
        institutions_import(actor=None, content=content, file_name="export.csv")
    assert Institution.objects.count() == 0


def test_xlsx_that_is_really_text_is_refused(ref):
    content = csv_bytes(make_rows(2))
    with pytest.raises(ImportFileError) as excinfo, translation.override("en"):
        read_import_file(content, "registry.xlsx")
    assert "not an Excel workbook" in excinfo.value.message


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old.xls", ".csv or .xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old.xlsx", "old Excel"),
        (b"PK\x03\x04not really a zip", "broken.xlsx", "not an Excel workbook"),
        (b"", "empty.csv", "empty"),
        (b"a,b\n", "notes.txt", ".csv or .xlsx"),
        ("external_code".encode("utf-16"), "unicode.csv", "UTF-16"),
    ],
)
def test_unreadable_files_are_refused(ref, content, name, expected):
    with pytest.raises(ImportFileError) as excinfo, translation.override("en"):
        read_import_file(content, name)
    assert expected in excinfo.value.message


def test_file_over_the_size_limit_is_refused(ref, settings):
    settings.VIGIL_IMPORT_MAX_BYTES = 1000
    content = csv_bytes(make_rows(50))
    assert len(content) > 1000
    with pytest.raises(ImportFileError) as excinfo, translation.override("en"):
        read_import_file(content, "big.csv")
    assert "too large" in excinfo.value.message
    with pytest.raises(ImportValidationError):
        institutions_import(actor=None, content=content, file_name="big.csv")
    assert Institution.objects.count() == 0


def test_xlsx_numbers_dates_and_empty_rows(ref):
    rows: list[dict[str, Any] | None] = [
        {
            **make_rows(1)[0],
            "external_code": 1001,
            "capacity": 120.0,
            "population_men": 80.0,
            "population_date": datetime.datetime(2026, 3, 1),  # noqa: DTZ001
        },
        None,
        {**make_rows(2)[1], "population_date": "01.04.2026", "status": "CLOSED"},
    ]
    columns = [*IMPORT_COLUMNS[:9], "population_men", "population_date", "status"]
    plan = institutions_import_check(content=xlsx_bytes(rows, columns=columns), file_name="x.xlsx")
    assert plan.is_valid, plan.errors
    assert [r.row for r in plan.rows] == [2, 4]
    first, second = plan.rows
    assert first.external_code == "1001"
    assert first.data["capacity"] == 120
    assert first.data["population_men"] == 80
    assert first.data["population_date"] == datetime.date(2026, 3, 1)
    assert second.data["population_date"] == datetime.date(2026, 4, 1)
    assert second.data["status"] == "closed"


def test_sep_hint_line_of_excel_is_understood(ref):
    content = b"sep=;\r\n" + csv_bytes(make_rows(2), delimiter=";")
    plan = institutions_import_check(content=content, file_name="x.csv")
    assert plan.is_valid, plan.errors
    assert [r.row for r in plan.rows] == [2, 3]


# ---------------------------------------------------------------------------------------
# Row validation: every row, every error, Excel row numbers and column names
# ---------------------------------------------------------------------------------------


def test_every_error_is_reported_with_row_and_column(ref, make_institution):
    rows = make_rows(12)
    rows[0]["external_code"] = ""  # row 2
    rows[1]["external_code"] = rows[2]["external_code"]  # rows 3 and 4 share a code
    rows[3]["type"] = "NO_SUCH_TYPE"  # row 5
    rows[4]["agency"] = "NOPE"  # row 6
    rows[5]["capacity"] = "-5"  # row 7
    rows[6]["capacity"] = "12.5"  # row 8
    rows[7]["capacity"] = "many"  # row 9
    rows[8].update(name_kk="", name_ru="", name_en="")  # row 10
    rows[9]["population_date"] = "2026-13-45"  # row 11
    rows[10]["name_en"] = "x" * 301  # row 12: model validation (max_length)
    rows[11]["status"] = "demolished"  # row 13
    columns = [*IMPORT_COLUMNS[:9], "population_date", "status"]
    with translation.override("en"):
        plan = institutions_import_check(
            content=csv_bytes(rows, columns=columns), file_name="bad.csv"
        )
    found = {(e.row, e.column): e.message for e in plan.errors}
    assert set(found) == {
        (2, "external_code"),
        (4, "external_code"),
        (5, "type"),
        (6, "agency"),
        (7, "capacity"),
        (8, "capacity"),
        (9, "capacity"),
        (10, "name_ru"),
        (11, "population_date"),
        (12, "name_en"),
        (13, "status"),
    }
    assert "row 3" in found[(4, "external_code")]
    assert "NO_SUCH_TYPE" in found[(5, "type")]
    assert "NOPE" in found[(6, "agency")]
    assert "at most 300" in found[(12, "name_en")]
    assert str(ImportIssue(5, "type", "x")) == "row 5, column type: x"


def test_missing_required_columns_are_named(ref):
    rows = make_rows(2)
    columns = [c for c in IMPORT_COLUMNS[:9] if c not in ("region", "capacity")]
    plan = institutions_import_check(content=csv_bytes(rows, columns=columns), file_name="x.csv")
    assert [(e.row, e.column) for e in plan.errors] == [(1, "region"), (1, "capacity")]


def test_update_plan_lists_changed_fields_and_keeps_absent_optional_columns(ref, make_institution):
    existing = make_institution(
        external_code="IMP-00001", status="closed", population_men=7, capacity=1
    )
    row = make_rows(1)[0]
    plan = institutions_import_check(content=csv_bytes([row]), file_name="x.csv")
    assert plan.is_valid, plan.errors
    (only,) = plan.rows
    assert only.action == "update"
    assert set(only.changes) == {"type", "agency", "region", "address", "capacity"}
    assert only.changes["capacity"] == ["1", "101"]
    assert only.changes["region"] == ["KZ-71", "KZ-75"]
    institutions_import(actor=None, content=csv_bytes([row]), file_name="x.csv")
    existing.refresh_from_db()
    assert existing.status == "closed"  # no status column: left alone
    assert existing.population_men == 7
    assert existing.capacity == 101


def test_import_requires_permission_and_writes_nothing_when_denied(ref, users):
    content = csv_bytes(make_rows(3))
    for role in ("monitor", "regional", "liaison", "auditor"):
        with pytest.raises(PermissionDenied):
            institutions_import(actor=users[role], content=content, file_name="x.csv")
    assert Institution.objects.count() == 0
    assert AuditEvent.objects.count() == 0
    assert institutions_import(actor=users["admin"], content=content, file_name="x.csv").created


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60
    ).filter(lambda s: s.strip() == s and s != "")
)
def test_exported_names_read_back_unchanged(ref, name):
    """Whatever a name holds (formula-like text, quotes, semicolons), CSV carries it intact."""
    row = make_rows(1)[0]
    row["name_ru"] = name
    content = build_csv([[row[c] for c in IMPORT_COLUMNS[:9]]], header=IMPORT_COLUMNS[:9])
    plan = institutions_import_check(content=content, file_name="x.csv")
    assert plan.is_valid, plan.errors
    assert plan.rows[0].data["name_ru"] == name


# ---------------------------------------------------------------------------------------
# The command
# ---------------------------------------------------------------------------------------


def _write(tmp_path: Path, name: str, content: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def test_command_dry_run_writes_nothing(ref, tmp_path):
    path = _write(tmp_path, "ok.csv", csv_bytes(make_rows(4), delimiter=";", bom=True))
    out = io.StringIO()
    with translation.override("en"):
        call_command("import_institutions", path, "--dry-run", stdout=out)
    assert "4 would be created" in out.getvalue()
    assert Institution.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_command_imports_and_prints_counts(ref, users, tmp_path):
    path = _write(tmp_path, "ok.xlsx", xlsx_bytes(make_rows(4)))
    out = io.StringIO()
    with translation.override("en"):
        call_command("import_institutions", path, "--actor", "COORDINATOR@test.vigil", stdout=out)
    assert "4 created, 0 updated, 0 unchanged" in out.getvalue()
    summary = AuditEvent.objects.get(action=AuditAction.INSTITUTIONS_IMPORTED.value)
    assert summary.actor == users["coordinator"]


def test_command_without_actor_is_the_system(ref, tmp_path):
    path = _write(tmp_path, "ok.csv", csv_bytes(make_rows(2)))
    call_command("import_institutions", path, stdout=io.StringIO())
    summary = AuditEvent.objects.get(action=AuditAction.INSTITUTIONS_IMPORTED.value)
    assert summary.actor is None
    assert summary.actor_label == "system"


@pytest.mark.parametrize("dry_run", [True, False])
def test_command_errors_name_row_and_column(ref, tmp_path, dry_run):
    rows = make_rows(4)
    rows[1]["capacity"] = "-1"  # row 3
    rows[3]["region"] = "KZ-99"  # row 5
    path = _write(tmp_path, "bad.csv", csv_bytes(rows))
    args = [path, "--dry-run"] if dry_run else [path]
    with pytest.raises(CommandError) as excinfo, translation.override("en"):
        call_command("import_institutions", *args, stdout=io.StringIO())
    message = str(excinfo.value)
    assert "row 3, column capacity:" in message
    assert "row 5, column region:" in message
    assert Institution.objects.count() == 0


@pytest.mark.parametrize("actor", ["monitor@test.vigil", "nobody@test.vigil"])
def test_command_refuses_an_actor_who_may_not_import(ref, users, tmp_path, actor):
    path = _write(tmp_path, "ok.csv", csv_bytes(make_rows(2)))
    with pytest.raises(CommandError):
        call_command("import_institutions", path, "--actor", actor, stdout=io.StringIO())
    assert Institution.objects.count() == 0


def test_command_missing_file(db, tmp_path):
    with pytest.raises(CommandError):
        call_command("import_institutions", str(tmp_path / "none.csv"))
