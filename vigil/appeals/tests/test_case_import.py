"""Imports of historical criminal cases and accountability records: all-or-nothing with the
bad row and column named, idempotent, the published 2023 shapes (398 → 18; 258 and 17), the
commands in a subprocess."""

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from vigil.appeals.enums import CaseState, Initiative
from vigil.appeals.importing.accountability import accountability_import
from vigil.appeals.importing.cases import cases_import, cases_import_check
from vigil.appeals.models import AccountabilityRecord, CaseClassification, CaseEvent, CriminalCase
from vigil.appeals.selectors.cases import accountability_by_initiative, case_counts
from vigil.audit.models import AuditEvent
from vigil.core.importing import ImportValidationError
from vigil.core.tests.commands import ManagePy, migrated

CASE_HEADER = [
    "source_id",
    "reported_on",
    "part",
    "state",
    "investigating_body",
    "region",
    "info_book_entry_on",
    "register_number",
    "registered_on",
    "termination_ground",
    "sent_to_court_on",
]
ACC_HEADER = ["source_id", "decided_on", "responsibility", "initiative", "position", "agency"]


def _csv(header: list[str], rows: list[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def cases_2023(total: int = 398, in_court: int = 18) -> bytes:
    """`total` cases reported in 2023, `in_court` of them in court or later, the rest mostly
    terminated for lack of evidence."""
    court_states = [CaseState.IN_COURT, CaseState.CONVICTED, CaseState.ACQUITTED, CaseState.FINAL]
    rows: list[list[Any]] = []
    for n in range(total):
        month = 1 + n % 12
        reported = f"2023-{month:02d}-{1 + n % 27:02d}"
        if n < in_court:
            state, ground, court = court_states[n % 4], "", f"2023-{month:02d}-28"
        elif n % 10 == 0:
            state, ground, court = CaseState.INVESTIGATION, "", ""
        else:
            state, ground, court = CaseState.TERMINATED, "lack_of_evidence", ""
        rows.append(
            [
                f"PGO-2023-{n:04d}",
                reported,
                1 + n % 2,
                state,
                "special_prosecutor" if n % 2 else "internal_affairs",
                "KZ-71" if n % 3 else "KZ-75",
                reported,
                f"23146{n:05d}",
                reported,
                ground,
                court,
            ]
        )
    return _csv(CASE_HEADER, rows)


def accountability_2023() -> bytes:
    rows = [
        [
            f"ACC-{n:04d}",
            f"2023-{1 + n % 12:02d}-15",
            "disciplinary",
            "commissioner",
            "Officer",
            "MVD-KUIS",
        ]
        for n in range(258)
    ] + [
        [f"NPM-{n:04d}", f"2023-{1 + n % 12:02d}-20", "criminal", "npm_participant", "Head", "MVD"]
        for n in range(17)
    ]
    return _csv(ACC_HEADER, rows)


@pytest.fixture
def reference(appeal_reference: Any, ref: dict[str, Any]) -> dict[str, Any]:
    return ref


def test_398_cases_of_2023_of_which_18_in_court(reference: Any) -> None:
    result = cases_import(actor=None, content=cases_2023(), file_name="2023.csv")

    assert result.created == 398
    counts = case_counts(CriminalCase.objects.filter(reported_on__year=2023))
    assert counts.reviewed == 398
    assert counts.in_court == 18
    assert counts.share(counts.in_court) == 4.52
    assert (
        counts.terminated_lack_of_evidence
        == CriminalCase.objects.filter(termination_ground="lack_of_evidence").count()
    )
    assert CaseClassification.objects.count() == 398
    assert CaseEvent.objects.filter(kind="created", data__via="import").count() == 398
    assert AuditEvent.objects.filter(action="case.imported").count() == 1


def test_second_import_changes_nothing(reference: Any) -> None:
    content = cases_2023(40, 3)
    cases_import(actor=None, content=content, file_name="a.csv")
    before = list(CriminalCase.objects.order_by("pk").values_list("reference", "updated_at"))

    again = cases_import(actor=None, content=content, file_name="a.csv")

    assert (again.created, again.updated, again.unchanged) == (0, 0, 40)
    assert (
        list(CriminalCase.objects.order_by("pk").values_list("reference", "updated_at")) == before
    )


def test_a_changed_row_updates_and_reclassifies(reference: Any) -> None:
    cases_import(actor=None, content=cases_2023(4, 0), file_name="a.csv")
    rows = list(csv.reader(io.StringIO(cases_2023(4, 0).decode())))
    rows[2][2] = "3"  # PGO-2023-0001 reclassified to part 3
    content = _csv(rows[0], rows[1:])

    result = cases_import(actor=None, content=content, file_name="b.csv")

    assert (result.created, result.updated, result.unchanged) == (0, 1, 3)
    case = CriminalCase.objects.get(source_key="PGO-2023-0001")
    assert case.part == 3
    assert list(case.classifications.values_list("part", flat=True)) == [2, 3]


def test_a_bad_row_imports_nothing_and_is_named(reference: Any) -> None:
    rows = list(csv.reader(io.StringIO(cases_2023(5, 1).decode())))
    rows[3][3] = "closed"  # row 4 of the file (the header is row 1)
    rows[4][5] = "KZ-99"

    with pytest.raises(ImportValidationError) as caught:
        cases_import(actor=None, content=_csv(rows[0], rows[1:]), file_name="bad.csv")

    messages = [str(issue) for issue in caught.value.plan.errors]
    assert any(m.startswith("row 4, column state:") for m in messages)
    assert any(m.startswith("row 5, column region:") and "KZ-99" in m for m in messages)
    assert CriminalCase.objects.count() == 0
    assert not AuditEvent.objects.filter(action="case.imported").exists()


def test_terminated_needs_its_ground(reference: Any) -> None:
    content = _csv(
        ["source_id", "reported_on", "part", "state"], [["X-1", "2023-01-05", 2, "terminated"]]
    )
    plan = cases_import_check(content=content, file_name="x.csv")
    assert [(e.row, e.column) for e in plan.errors] == [(2, "termination_ground")]


def test_accountability_258_and_17_by_initiative(reference: Any) -> None:
    result = accountability_import(actor=None, content=accountability_2023(), file_name="acc.csv")

    assert result.created == 275
    counts = accountability_by_initiative(
        AccountabilityRecord.objects.filter(decided_on__year=2023)
    )
    assert counts == {
        Initiative.COMMISSIONER_REPRESENTATIVE: 258,
        Initiative.NPM_PARTICIPANT: 17,
        Initiative.OTHER: 0,
    }
    again = accountability_import(actor=None, content=accountability_2023(), file_name="acc.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 275)


def test_accountability_bad_initiative_named(reference: Any) -> None:
    content = _csv(ACC_HEADER, [["A-1", "2023-01-01", "disciplinary", "ombudsman", "x", ""]])
    with pytest.raises(ImportValidationError) as caught:
        accountability_import(actor=None, content=content, file_name="a.csv")
    assert [(e.row, e.column) for e in caught.value.plan.errors] == [(2, "initiative")]
    assert AccountabilityRecord.objects.count() == 0


# --- the commands, as a user runs them -----------------------------------------------------


@pytest.fixture(scope="module")
def manage(tmp_path_factory: pytest.TempPathFactory) -> ManagePy:
    return migrated(tmp_path_factory.mktemp("case-commands"))


def test_import_criminal_cases_command(manage: ManagePy, tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_bytes(cases_2023(6, 2))

    dry = manage.ok("import_criminal_cases", str(path), "--dry-run")
    assert "6 would be created" in dry.stdout
    assert manage.count("appeals_criminalcase") == 0

    done = manage.ok("import_criminal_cases", str(path))
    assert "6 created, 0 updated, 0 unchanged" in done.stdout
    again = manage.ok("import_criminal_cases", str(path))
    assert "0 created, 0 updated, 6 unchanged" in again.stdout
    assert manage.count("appeals_criminalcase") == 6


def test_import_commands_refuse_a_bad_file(manage: ManagePy, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(_csv(ACC_HEADER, [["B-1", "2023-13-01", "disciplinary", "other", "", ""]]))

    result = manage("import_accountability", str(path))

    assert result.returncode != 0
    assert "row 2, column decided_on" in result.stderr
    assert manage.count("appeals_accountabilityrecord", "source_key = ?", ("B-1",)) == 0


def test_import_accountability_command(manage: ManagePy, tmp_path: Path) -> None:
    path = tmp_path / "acc.csv"
    path.write_bytes(_csv(ACC_HEADER, [["G-1", "2023-02-01", "criminal", "other", "Head", "MVD"]]))
    result = manage.ok("import_accountability", str(path))
    assert "1 created" in result.stdout


def test_imported_files_show_on_the_funnel_page_and_endpoint(
    reference: Any, client_for: Any, tmp_path: Path
) -> None:
    """The acceptance of issue 8: the file of 398 cases of 2023 (18 in court) and the file of
    258 + 17 accountability records, imported through the import pipeline, read
    398 → 18 (4.52%) and 258 / 17 on the funnel page and its endpoint."""
    cases_import(actor=None, content=cases_2023(), file_name="2023.csv")
    accountability_import(actor=None, content=accountability_2023(), file_name="acc.csv")
    client = client_for("coordinator")

    page = client.get("/appeals/funnel/", {"year": "2023"}).content.decode()
    assert "398 → 18 (4.52%)" in " ".join(page.split())
    body = client.get("/api/v1/appeals-funnel/", {"year": "2023"}).json()
    cases = {row["key"]: row for row in body["cases"]}
    assert (cases["reported"]["count"], cases["in_court"]["count"]) == (398, 18)
    assert cases["in_court"]["share"] == "4.52% of 398"
    by_initiative = {row["key"]: row["count"] for row in body["accountability_by_initiative"]}
    assert by_initiative == {"commissioner": 258, "npm_participant": 17, "other": 0}
