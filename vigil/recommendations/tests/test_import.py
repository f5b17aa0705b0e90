"""Historical import of recommendations: columns and cells checked with "row N, column X",
all or nothing, idempotent on external_ref, statuses mapped through the official tally, the
2021 penitentiary tally (758: 275 / 456 / 27 → 36.3%), the command and its dry run."""

import datetime
import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.core.management.base import OutputWrapper
from openpyxl import Workbook

from vigil.accounts.models import User
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.core.importing import ImportValidationError, read_import_file
from vigil.core.importing.writing import build_csv
from vigil.recommendations.enums import EventKind, Level, Source, State
from vigil.recommendations.importing import (
    import_template,
    recommendations_import,
    recommendations_import_check,
)
from vigil.recommendations.models import Recommendation, RecommendationEvent
from vigil.recommendations.selectors.tallies import agency_tally

pytestmark = pytest.mark.django_db

HEADER = [
    "external_ref",
    "text",
    "addressee",
    "institution",
    "theme",
    "issued_on",
    "deadline",
    "status",
    "status_date",
]


def row(n: int, **cells: Any) -> list[Any]:
    data: dict[str, Any] = {
        "external_ref": f"HIST-{n:05d}",
        "text": f"Repair the ventilation of block {n}.",
        "addressee": "MVD-KUIS-71",
        "institution": "",
        "theme": "T3",
        "issued_on": "2021-03-15",
        "deadline": "2021-06-15",
        "status": "implemented",
        "status_date": "2021-09-01",
    }
    data.update(cells)
    return [data[c] for c in HEADER]


def csv_file(rows: Sequence[Sequence[Any]], header: Sequence[str] = HEADER) -> bytes:
    return build_csv(rows, header=header)


def xlsx_file(rows: Sequence[Sequence[Any]], header: Sequence[str] = HEADER) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("recommendations")
    sheet.append(list(header))
    for values in rows:
        sheet.append(list(values))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run(content: bytes, name: str = "history.csv", actor: User | None = None) -> Any:
    return recommendations_import(actor=actor, content=content, file_name=name)


def errors_of(content: bytes, name: str = "history.csv") -> list[str]:
    with pytest.raises(ImportValidationError) as caught:
        run(content, name)
    return [str(issue) for issue in caught.value.plan.errors]


def nothing_written() -> None:
    assert not Recommendation.objects.exists()
    assert not RecommendationEvent.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.RECOMMENDATIONS_IMPORTED).exists()


# ---------------------------------------------------------------- a good file


def test_import_creates_recommendations(
    ref: dict[str, Any], users: dict[str, User], make_institution: Callable[..., Any]
) -> None:
    colony = make_institution(external_code="COL-7")
    content = csv_file(
        [
            row(1, institution="COL-7"),
            row(2, status="in_implementation", theme="t5", deadline=""),
            row(3, status="Не принято", issued_on="15.03.2020", status_date=""),
            row(4, status="awaiting_response", addressee="mvd-kuis"),
        ]
    )
    result = run(content, actor=users["coordinator"])
    assert (result.created, result.updated, result.unchanged) == (4, 0, 0)

    first = Recommendation.objects.get(external_ref="HIST-00001")
    assert first.reference.startswith("REC-2021-")
    assert first.addressee == ref["kuis_71"]
    assert first.institution == colony
    assert first.state == State.IMPLEMENTED_CLAIMED  # official "implemented"
    assert first.issued_on == datetime.date(2021, 3, 15)
    assert first.deadline == datetime.date(2021, 6, 15)
    assert first.state_changed_on == datetime.date(2021, 9, 1)
    assert first.source == Source.ANNUAL_REPORT
    assert first.level == Level.INSTITUTIONAL
    assert first.created_by == users["coordinator"]
    second = Recommendation.objects.get(external_ref="HIST-00002")
    assert (second.state, second.theme, second.deadline) == (State.IN_IMPLEMENTATION, "T5", None)
    third = Recommendation.objects.get(external_ref="HIST-00003")
    assert third.state == State.NOT_ACCEPTED
    assert third.issued_on == datetime.date(2020, 3, 15)  # dd.mm.yyyy
    assert third.state_changed_on == third.issued_on  # no status date: the issue date
    assert third.reference.startswith("REC-2020-")
    assert Recommendation.objects.get(external_ref="HIST-00004").addressee == ref["kuis"]

    events = RecommendationEvent.objects.filter(kind=EventKind.IMPORTED)
    assert events.count() == 4
    assert events.get(recommendation=first).to_state == State.IMPLEMENTED_CLAIMED
    audit = AuditEvent.objects.get(action=AuditAction.RECOMMENDATIONS_IMPORTED)
    assert audit.actor == users["coordinator"]
    assert audit.data["created"] == 4
    assert audit.data["tally"] == {
        "implemented": 1,
        "in_implementation": 1,
        "not_accepted": 1,
        "other": 1,
    }


def test_xlsx_with_date_cells_and_excel_serials(ref: dict[str, Any]) -> None:
    content = xlsx_file(
        [
            row(
                1,
                issued_on=datetime.datetime(2019, 5, 6),  # noqa: DTZ001 (Excel cells are naive)
                deadline=datetime.date(2019, 8, 1),
            ),
            row(2, issued_on=43591, deadline="", status_date="06.05.2019"),  # 2019-05-06
        ]
    )
    result = run(content, "history.xlsx")
    assert result.created == 2
    assert set(Recommendation.objects.values_list("issued_on", flat=True)) == {
        datetime.date(2019, 5, 6)
    }


def test_the_same_file_twice_changes_nothing(ref: dict[str, Any]) -> None:
    content = csv_file([row(n) for n in range(1, 6)])
    run(content)
    before = list(Recommendation.objects.order_by("pk").values())
    result = run(content)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 5)
    assert list(Recommendation.objects.order_by("pk").values()) == before
    assert RecommendationEvent.objects.count() == 5


def test_a_changed_row_updates_with_its_history(ref: dict[str, Any]) -> None:
    run(csv_file([row(1, status="in_implementation"), row(2)]))
    result = run(csv_file([row(1, status="implemented", status_date="2022-01-10"), row(2)]))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    rec = Recommendation.objects.get(external_ref="HIST-00001")
    assert rec.state == State.IMPLEMENTED_CLAIMED
    assert rec.state_changed_on == datetime.date(2022, 1, 10)
    event = rec.events.order_by("-id").first()
    assert event is not None
    assert (event.kind, event.from_state, event.to_state) == (
        EventKind.IMPORTED,
        State.IN_IMPLEMENTATION,
        State.IMPLEMENTED_CLAIMED,
    )
    assert event.data["changes"]["state"] == ["in_implementation", "implemented_claimed"]


def test_columns_in_any_order_and_case_extra_ignored(ref: dict[str, Any]) -> None:
    header = ["Status", "EXTERNAL_REF", "theme", "text", "addressee", "issued_on", "note"]
    content = csv_file(
        [["implemented", "X-1", "T1", "Stop the use of handcuffs.", "MVD-KUIS", "2021-01-01", "?"]],
        header=header,
    )
    plan = recommendations_import_check(content=content, file_name="h.csv")
    assert plan.is_valid
    assert [str(w) for w in plan.warnings] == [
        "row 1, column note: Unknown column; its values were ignored."
    ]
    assert run(content).created == 1


def test_semicolon_csv_with_bom(ref: dict[str, Any]) -> None:
    lines = [";".join(HEADER), ";".join(str(v) for v in row(1))]
    content = "\ufeff".encode() + "\r\n".join(lines).encode()
    assert run(content).created == 1


# ---------------------------------------------------------------- errors: all or nothing


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        pytest.param(
            {"addressee": "NOPE"},
            "row 3, column addressee: Unknown agency code “NOPE”.",
            id="agency",
        ),
        pytest.param(
            {"institution": "NOPE"},
            "row 3, column institution: Unknown institution code “NOPE”.",
            id="institution",
        ),
        pytest.param({"theme": "T9"}, "row 3, column theme: Unknown value “T9”", id="theme"),
        pytest.param(
            {"issued_on": "2021/03/15"},
            "row 3, column issued_on: “2021/03/15” is not a date",
            id="date",
        ),
        pytest.param({"issued_on": ""}, "row 3, column issued_on: Give the date", id="no-date"),
        pytest.param(
            {"deadline": "2021-01-01"},
            "row 3, column deadline: The deadline cannot be before the issue date.",
            id="deadline",
        ),
        pytest.param(
            {"status": "done"}, "row 3, column status: Unknown status “done”", id="status"
        ),
        pytest.param(
            {"status": "draft"}, "row 3, column status: Unknown status “draft”", id="draft"
        ),
        pytest.param({"status": ""}, "row 3, column status: Give the status.", id="no-status"),
        pytest.param(
            {"status_date": "2021-01-01"},
            "row 3, column status_date: The status date cannot be before",
            id="status-date",
        ),
        pytest.param(
            {"issued_on": "2999-01-01", "deadline": "", "status_date": ""},
            "row 3, column issued_on: The issue date is in the future.",
            id="future",
        ),
        pytest.param({"text": " "}, "row 3, column text: Write the recommended action.", id="text"),
        pytest.param(
            {"external_ref": ""},
            "row 3, column external_ref: The external reference must be filled in",
            id="no-ref",
        ),
        pytest.param(
            {"external_ref": "X" * 65},
            "row 3, column external_ref: At most 64 characters",
            id="long-ref",
        ),
        pytest.param(
            {"external_ref": "HIST-00001"},
            "row 3, column external_ref: The reference “HIST-00001” is also used on row 2.",
            id="duplicate",
        ),
    ],
)
def test_one_bad_row_writes_nothing(
    ref: dict[str, Any], cells: dict[str, Any], expected: str
) -> None:
    content = csv_file([row(1), row(2, **cells), row(3)])
    errors = errors_of(content)
    assert len(errors) == 1
    assert errors[0].startswith(expected), errors
    nothing_written()


def test_every_error_is_listed(ref: dict[str, Any]) -> None:
    content = csv_file([row(1, addressee="NOPE", theme="X"), row(2), row(3, status="?")])
    errors = errors_of(content)
    assert [e.split(":")[0] for e in errors] == [
        "row 2, column addressee",
        "row 2, column theme",
        "row 4, column status",
    ]
    nothing_written()


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        pytest.param(b"", "h.csv", "The file is empty.", id="empty"),
        pytest.param(b"a,b\n", "h.txt", "Upload a .csv or .xlsx file.", id="type"),
        pytest.param(
            b"external_ref,text\nX,Y\n",
            "h.csv",
            "row 1, column addressee: A required column is missing.",
            id="missing-column",
        ),
        pytest.param(
            ",".join(HEADER).encode() + b"\n",
            "h.csv",
            "The file has a header but no rows.",
            id="no-rows",
        ),
    ],
)
def test_file_level_errors(ref: dict[str, Any], content: bytes, name: str, expected: str) -> None:
    assert expected in errors_of(content, name)
    nothing_written()


def test_row_limit_is_a_setting(ref: dict[str, Any], settings: Any) -> None:
    settings.VIGIL_IMPORT_MAX_ROWS = 2
    errors = errors_of(csv_file([row(1), row(2), row(3)]))
    assert errors == ["The file has more than 2 rows; split it into smaller files."]


def test_a_status_the_life_cycle_forbids_is_refused(
    ref: dict[str, Any], make_recommendation: Callable[..., Recommendation]
) -> None:
    make_recommendation(external_ref="HIST-00001", state=State.DRAFT, issued_on=None, deadline=None)
    errors = errors_of(csv_file([row(1)]))
    assert errors[0].startswith("row 2, column status: A recommendation in “Draft” cannot be moved")


def test_formula_guard_is_undone(ref: dict[str, Any]) -> None:
    run(csv_file([row(1, text="=cmd|' /C calc'!A0")]))  # the CSV builder adds the apostrophe
    assert Recommendation.objects.get().text == "=cmd|' /C calc'!A0"


# ---------------------------------------------------------------- the 2021 penitentiary tally


def penitentiary_2021() -> list[list[Any]]:
    statuses = ["implemented"] * 275 + ["in_implementation"] * 456 + ["not_accepted"] * 27
    return [
        row(
            n,
            external_ref=f"KUIS-2021-{n:04d}",
            addressee="MVD-KUIS" if n % 3 == 0 else "MVD-KUIS-71",
            issued_on=f"{(n % 28) + 1:02d}.{(n % 12) + 1:02d}.2021",
            deadline="",
            status=status,
            status_date="",
        )
        for n, status in enumerate(statuses, start=1)
    ]


def test_the_2021_penitentiary_tally(
    ref: dict[str, Any], users: dict[str, User], client_for: Callable[[str], Any]
) -> None:
    result = run(xlsx_file(penitentiary_2021()), "kuis-2021.xlsx")
    assert result.created == 758
    counts = agency_tally(users["coordinator"], ref["kuis"], 2021)
    assert (counts.issued, counts.implemented, counts.in_implementation, counts.not_accepted) == (
        758,
        275,
        456,
        27,
    )
    assert str(counts.implementation_rate) == "36.3"
    # the API and the page show the same figures
    body = (
        client_for("coordinator")
        .get("/api/v1/recommendation-tallies/", {"agency": "MVD-KUIS", "year": 2021})
        .json()
    )
    assert (body["issued"], body["implemented"], body["in_implementation"]) == (758, 275, 456)
    assert (body["not_accepted"], body["implementation_rate"]) == (27, 36.3)
    page = client_for("coordinator").get(
        "/recommendations/tallies/", {"agency": "MVD-KUIS", "year": 2021}
    )
    html = page.content.decode()
    assert "36.3" in html
    assert "758" in html
    # the liaison of the committee sees the same, the other agency's liaison nothing
    liaison = agency_tally(users["liaison"], ref["kuis"], 2021)
    assert (liaison.issued, liaison.implemented) == (758, 275)
    assert agency_tally(users["other_liaison"], None, 2021).issued == 0


# ---------------------------------------------------------------- the template and the command


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_template_imports_as_it_is(ref: dict[str, Any], fmt: str) -> None:
    content = import_template(fmt)
    table = read_import_file(content, f"template.{fmt}")
    assert table.header == HEADER
    result = run(content, f"template.{fmt}")
    assert result.created == 2


def _command(*args: str) -> str:
    out = io.StringIO()
    call_command("import_recommendations", *args, stdout=OutputWrapper(out), stderr=io.StringIO())
    return out.getvalue()


def test_command_dry_run_then_import(ref: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "history.csv"
    path.write_bytes(csv_file([row(1), row(2, status="not_accepted")]))
    output = _command(str(path), "--dry-run")
    assert "2 would be created" in output
    assert "implemented: 1" in output
    nothing_written()
    assert "2 created" in _command(str(path))
    assert "2 unchanged" in _command(str(path))
    assert Recommendation.objects.count() == 2


def test_command_errors_name_row_and_column(ref: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "history.csv"
    path.write_bytes(csv_file([row(1), row(2, theme="T0")]))
    with pytest.raises(CommandError) as caught:
        _command(str(path))
    assert "row 3, column theme" in str(caught.value)
    assert "nothing was imported" in str(caught.value)
    nothing_written()


def test_command_actor_must_be_an_importer(
    ref: dict[str, Any], users: dict[str, User], tmp_path: Path
) -> None:
    path = tmp_path / "history.csv"
    path.write_bytes(csv_file([row(1)]))
    with pytest.raises(CommandError):
        _command(str(path), "--actor", users["monitor"].email)
    _command(str(path), "--actor", users["admin"].email)
    assert Recommendation.objects.get().created_by == users["admin"]


def test_command_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError):
        _command(str(tmp_path / "nope.csv"))
