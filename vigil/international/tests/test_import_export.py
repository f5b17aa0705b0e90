"""Import and export of UN paragraphs with assessments: the sample of CAT/C/KAZ/CO/4 with the
NGO coalition's grades, the round trip (export = import), idempotence, errors by row and
column with nothing written, UHRI's own export, several assessments per paragraph."""

import csv
import datetime
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from openpyxl import Workbook

from vigil.accounts.models import User
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.core.importing import ImportValidationError
from vigil.international.enums import AssessmentSource, Body, DocumentKind, EventKind
from vigil.international.importing.columns import COLUMNS
from vigil.international.importing.exporting import document_export
from vigil.international.importing.kind import SAMPLE, un_import, un_import_check
from vigil.international.models import Assessment, Document, Paragraph, ParagraphEvent
from vigil.international.selectors import current_assessments

CAT = "CAT/C/KAZ/CO/4"
COALITION_GRADES = {
    "10": "2",
    "11": "1",
    "21": "1",
    "24": "2",
    "28": "2",
    "44": "n/a",
    "46": "3",
    "47": "3",
}
DEFENCE_REASON = "The Ministry of Defence is still closed to NPM and NGO monitoring"


def _rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def _csv(rows: list[dict[str, Any]], header: list[str] | None = None) -> bytes:
    header = header or list(COLUMNS)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header)
    writer.writeheader()
    writer.writerows({name: row.get(name, "") for name in header} for row in rows)
    return out.getvalue().encode()


def _sample_rows() -> list[dict[str, str]]:
    return _rows(SAMPLE.read_bytes())


def snapshot() -> dict[str, Any]:
    """Everything an import writes, without ids, times or who recorded it."""
    documents = {}
    for document in Document.objects.order_by("symbol"):
        paragraphs = []
        for paragraph in document.paragraphs.order_by("position", "id"):
            assessments = sorted(
                (
                    a.source,
                    a.source_name,
                    a.grade.scale.code,
                    a.grade.code,
                    a.reason,
                    a.assessed_on,
                    a.reference,
                )
                for a in paragraph.assessments.select_related("grade__scale")
            )
            paragraphs.append(
                (
                    paragraph.number,
                    paragraph.text_en,
                    paragraph.text_ru,
                    paragraph.text_kk,
                    paragraph.follow_up,
                    paragraph.themes,
                    sorted(a.code for a in paragraph.addressees.all()),
                    assessments,
                )
            )
        documents[document.symbol] = (
            document.body,
            document.kind,
            document.adopted_on,
            document.title_en,
            document.title_ru,
            document.title_kk,
            document.confidential,
            document.published_on,
            document.url,
            paragraphs,
        )
    return documents


def _empty_database() -> None:
    Document.objects.all().delete()  # paragraphs, assessments and events go with it
    assert not Paragraph.objects.exists()
    assert not Assessment.objects.exists()


def test_the_sample_gives_the_coalition_grades(un_agencies: Any, users: dict[str, User]) -> None:
    result = un_import(actor=users["coordinator"], content=SAMPLE.read_bytes(), file_name="s.csv")

    assert (result.created, result.updated, result.unchanged) == (8, 0, 0)
    document = Document.objects.get(symbol=CAT)
    assert (document.body, document.kind) == (Body.CAT, DocumentKind.CONCLUDING_OBSERVATIONS)
    assert document.adopted_on == datetime.date(2024, 5, 10)
    paragraphs = list(document.paragraphs.order_by("position"))
    assert [p.number for p in paragraphs] == list(COALITION_GRADES)
    current = current_assessments(users["coordinator"], paragraphs)
    grades = {p.number: [a.grade.code for a in current[p.pk]] for p in paragraphs}
    assert grades == {number: [grade] for number, grade in COALITION_GRADES.items()}
    by_number = {p.number: p for p in paragraphs}
    n_a = current[by_number["44"].pk][0]
    assert (n_a.reason, n_a.source) == (DEFENCE_REASON, AssessmentSource.CIVIL_SOCIETY)
    assert n_a.source_name == "NGO Coalition against Torture"
    assert n_a.recorded_by == users["coordinator"]
    assert {p.number for p in paragraphs if p.follow_up} == {"10", "11", "21"}
    assert [a.code for a in by_number["28"].addressees.order_by("code")] == ["MVD-KUIS", "MZ"]
    assert by_number["11"].themes == "T1 T8"
    kinds = sorted(ParagraphEvent.objects.values_list("kind", flat=True))
    assert kinds == sorted([EventKind.IMPORTED] * 8 + [EventKind.ASSESSED] * 8)
    audit = AuditEvent.objects.get(action=AuditAction.UN_DOCUMENTS_IMPORTED)
    assert audit.data["documents"] == [CAT]
    assert audit.data["paragraphs_created"] == 8
    assert audit.data["assessments_created"] == 8


def test_importing_the_same_file_again_changes_nothing(un_agencies: Any) -> None:
    un_import(actor=None, content=SAMPLE.read_bytes(), file_name="s.csv")
    before = (snapshot(), ParagraphEvent.objects.count(), Assessment.objects.count())

    again = un_import(actor=None, content=SAMPLE.read_bytes(), file_name="s.csv")

    assert (again.created, again.updated, again.unchanged) == (0, 0, 8)
    assert (snapshot(), ParagraphEvent.objects.count(), Assessment.objects.count()) == before


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_round_trip_export_equals_import(
    un_agencies: Any, users: dict[str, User], fmt: str
) -> None:
    coordinator = users["coordinator"]
    un_import(actor=coordinator, content=SAMPLE.read_bytes(), file_name="sample.csv")
    imported = snapshot()
    document = Document.objects.get(symbol=CAT)
    # The sample is itself in the export's format: exporting what it imported gives it back.
    first_csv = document_export(actor=coordinator, document=document, fmt="csv")
    assert first_csv == SAMPLE.read_bytes()
    exported = document_export(actor=coordinator, document=document, fmt=fmt)

    _empty_database()
    un_import(actor=coordinator, content=exported, file_name=f"export.{fmt}")

    assert snapshot() == imported
    again = Document.objects.get(symbol=CAT)
    assert document_export(actor=coordinator, document=again, fmt="csv") == first_csv
    rows = _rows(first_csv)
    grades = {row["paragraph"]: (row["grade"], row["reason"]) for row in rows}
    assert grades["10"] == ("2", "")
    assert grades["47"] == ("3", "")
    assert grades["44"] == ("n/a", DEFENCE_REASON)


def test_several_rows_per_paragraph_add_several_assessments(
    un_agencies: Any, users: dict[str, User]
) -> None:
    rows = _sample_rows()[:1]
    state = {
        "document symbol": CAT,
        "paragraph": "10",
        "source": "state",
        "grade": "3",
        "assessed on": "01.03.2025",
        "reference": "State follow-up report",
    }
    npm = {**state, "source": "npm", "grade": "2", "reference": ""}
    result = un_import(actor=None, content=_csv([*rows, state, npm]), file_name="f.csv")

    assert (result.created, result.unchanged) == (3, 0)
    paragraph = Paragraph.objects.get(number="10")
    sources = sorted(paragraph.assessments.values_list("source", "grade__code"))
    assert sources == [("civil_society", "2"), ("npm", "2"), ("state", "3")]


def test_a_later_row_contradicting_the_paragraph_is_an_error(un_agencies: Any) -> None:
    first = _sample_rows()[0]
    second = {**first, "text": "Another text", "source": "state", "grade": "1"}

    plan = un_import_check(content=_csv([first, second]), file_name="f.csv")

    assert [(e.row, e.column) for e in plan.errors] == [(3, "text")]
    assert "Row 2" in plan.errors[0].message


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("grade", "4", "Unknown grade “4” for the scale implementation-1-3"),
        ("reason", "", "reason why it is not applicable"),
        ("theme codes", "T1 T9", "Unknown theme: T9"),
        ("addressees", "MVD-KUIS XYZ", "Unknown agency code: XYZ"),
        ("assessed on", "2025-13-01", "is not a date"),
        ("scale", "stars", "Unknown scale “stars”"),
        ("recommending body", "FIFA", "Unknown body"),
        ("source", "ombudsman", "Unknown value"),
        ("confidential", "maybe", "Write yes or no"),
    ],
)
def test_a_bad_cell_is_named_and_nothing_is_written(
    un_agencies: Any, column: str, value: str, message: str
) -> None:
    rows = _sample_rows()
    index = 5  # paragraph 44, graded n/a: on Excel's row 7
    rows[index][column] = value
    if column in ("recommending body", "confidential"):  # a document's: one row only
        rows = [rows[index]]
        index = 0

    with pytest.raises(ImportValidationError) as caught:
        un_import(actor=None, content=_csv(rows), file_name="bad.csv")

    errors = caught.value.plan.errors
    assert [(e.row, e.column) for e in errors] == [(index + 2, column)], errors
    assert message in errors[0].message
    assert not Document.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.UN_DOCUMENTS_IMPORTED).exists()


def test_a_changed_paragraph_is_updated_with_its_timeline(un_agencies: Any) -> None:
    un_import(actor=None, content=SAMPLE.read_bytes(), file_name="s.csv")
    rows = _sample_rows()
    rows[3]["follow-up"] = "yes"  # paragraph 24
    rows[3]["addressees"] = "MVD-KUIS MVD-POLICE"

    result = un_import(actor=None, content=_csv(rows), file_name="s2.csv")

    assert (result.created, result.updated, result.unchanged) == (0, 1, 7)
    paragraph = Paragraph.objects.get(number="24")
    assert paragraph.follow_up
    assert sorted(a.code for a in paragraph.addressees.all()) == ["MVD-KUIS", "MVD-POLICE"]
    edited = paragraph.events.get(kind=EventKind.EDITED)
    assert edited.data["changed"] == ["addressees", "follow_up"]


def test_a_uhri_export_is_understood(un_agencies: Any) -> None:
    """UHRI's own columns: the number at the start of the text, "- CAT", Excel dates, its
    themes and affected persons ignored without a warning."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(
        [
            "Text",
            "Countries Concerned",
            "Reccomending Body",
            "Document Symbol",
            "Themes",
            "Affected Persons",
            "Document Publication Date",
            "Type",
            "OHCHR Annotation Id",
        ]
    )
    sheet.append(
        [
            "10.The State party should record every deprivation of liberty.",
            "- Kazakhstan",
            "- CAT",
            CAT,
            "- Torture and other cruel, inhuman or degrading treatment",
            "- Persons deprived of their liberty",
            datetime.datetime(2024, 5, 10),  # noqa: DTZ001 (an Excel date cell)
            "- Recommendations",
            "00000000-0000-0000-0000-000000000001",
        ]
    )
    sheet.append(
        [
            "128.26 Ratify the optional protocol on communications.",
            "- Kazakhstan",
            "- UPR",
            "A/HRC/55/TEST/1",
            "- Scope of international obligations",
            "",
            datetime.datetime(2024, 1, 20),  # noqa: DTZ001
            "- Recommendations",
            "00000000-0000-0000-0000-000000000002",
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)

    plan = un_import_check(content=buffer.getvalue(), file_name="uhri.xlsx")
    assert not plan.errors
    assert not plan.warnings
    un_import(actor=None, content=buffer.getvalue(), file_name="uhri.xlsx")

    cat = Paragraph.objects.get(document__symbol=CAT)
    assert cat.number == "10"
    assert cat.text_en == "The State party should record every deprivation of liberty."
    upr = Document.objects.get(symbol="A/HRC/55/TEST/1")
    assert (upr.body, upr.kind) == (Body.UPR, DocumentKind.UPR_RECOMMENDATIONS)
    assert upr.paragraphs.get().number == "128.26"
    assert not Assessment.objects.exists()


def test_a_row_without_a_number_is_refused(un_agencies: Any) -> None:
    header = ["Document Symbol", "Reccomending Body", "Document Publication Date", "Text"]
    content = _csv(
        [
            {
                "Document Symbol": CAT,
                "Reccomending Body": "CAT",
                "Document Publication Date": "2024-05-10",
                "Text": "The State party should act.",
            }
        ],
        header,
    )
    plan = un_import_check(content=content, file_name="f.csv")
    assert [(e.row, e.column) for e in plan.errors] == [(2, "paragraph")]


def test_export_is_what_the_reader_sees_and_audited(
    un_agencies: Any, users: dict[str, User], client_for: Callable[[str], Client]
) -> None:
    un_import(actor=None, content=SAMPLE.read_bytes(), file_name="s.csv")
    document = Document.objects.get(symbol=CAT)
    url = f"/international/documents/{document.public_id}/export/"

    liaison = client_for("liaison").get(url)  # the penitentiary committee: 24 and 28
    assert liaison.status_code == 200
    assert [row["paragraph"] for row in _rows(liaison.content)] == ["24", "28"]
    assert liaison["Content-Disposition"].startswith('attachment; filename="CAT-C-KAZ-CO-4-')
    audit = AuditEvent.objects.get(action=AuditAction.LIST_EXPORTED, actor=users["liaison"])
    assert audit.data == {"list": "un_paragraphs", "document": CAT, "format": "csv", "rows": 2}

    workbook = client_for("monitor").get(url, {"format": "xlsx"})
    assert workbook.status_code == 200
    assert workbook.content.startswith(b"PK")
    assert client_for("monitor").get(url, {"format": "pdf"}).status_code == 404


EXPORT_STATUS = {
    "anonymous": (302, 302),
    "admin": (200, 200),
    "coordinator": (200, 200),
    "regional": (200, 404),
    "monitor": (200, 404),
    "auditor": (200, 404),
    "liaison": (200, 404),
    "other_liaison": (404, 404),
}


@pytest.mark.parametrize("actor", list(EXPORT_STATUS))
def test_export_role_matrix(
    un_agencies: Any,
    users: dict[str, User],
    client_for: Callable[[str], Client],
    make_un_document: Callable[..., Document],
    make_paragraph: Callable[..., Paragraph],
    actor: str,
) -> None:
    """A published CAT document addressed to the committee (not to the ministry of health),
    and a confidential SPT report: only coordinators and administrators see the latter."""
    un_import(actor=None, content=SAMPLE.read_bytes(), file_name="s.csv")
    cat = Document.objects.get(symbol=CAT)
    spt = make_un_document(symbol="CAT/OP/KAZ/TEST", body=Body.SPT, confidential=True)
    make_paragraph(spt, addressees=[un_agencies["MVD-KUIS"]])
    client = client_for(actor)
    for document, expected in zip((cat, spt), EXPORT_STATUS[actor], strict=True):
        response = client.get(f"/international/documents/{document.public_id}/export/")
        assert response.status_code == expected, (actor, document.symbol)
    exports = AuditEvent.objects.filter(action=AuditAction.LIST_EXPORTED).count()
    assert exports == sum(status == 200 for status in EXPORT_STATUS[actor])
