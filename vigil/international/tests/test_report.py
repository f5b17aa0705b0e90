"""The follow-up report of a UN document (PDF and DOCX, kk/ru/en): the eight CAT paragraphs in
order with the coalition's grades side by side with the other sources, the linked NPM evidence,
the same content in both formats, who may download it, and a constant number of queries."""

import datetime
import io
import shutil
import subprocess
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from docx import Document as Docx

from vigil.accounts.enums import Role
from vigil.accounts.models import User
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.international.documents import followup_report
from vigil.international.enums import AssessmentSource, Body, DocumentKind
from vigil.international.models import Document, Paragraph
from vigil.international.services import assessment_record, link_confirm
from vigil.recommendations.enums import State

needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)

COALITION = "NGO Coalition against Torture"
MOD_CLOSED = "The Ministry of Defence is still closed to NPM and NGO monitoring"
# The coalition's grades on the implementation-1-3 scale (issue 10).
GRADES = {
    "10": "2",
    "11": "1",
    "21": "1",
    "24": "2",
    "28": "2",
    "44": "n/a",
    "46": "3",
    "47": "3",
}
# Synthetic paraphrases, not the Committee's text.
TEXTS = {
    "10": "Make sure every person deprived of liberty has a lawyer and a doctor from the start.",
    "11": "Investigate every allegation of torture promptly through an independent body.",
    "21": "Record every detention in a single register from the moment of arrest.",
    "24": "Improve the health care of prisoners and transfer it to the health ministry.",
    "28": "Bring the conditions of pre-trial detention in line with the Nelson Mandela Rules.",
    "44": "Open the military units and guardhouses to independent monitoring.",
    "46": "Disseminate the concluding observations widely in the official languages.",
    "47": "Submit the next periodic report on time.",
}
TEXTS_RU = {"10": "Обеспечить каждому задержанному доступ к адвокату и врачу с самого начала."}
TEXTS_KK = {
    "10": "Әрбір ұсталған адамға бас бостандығынан айырылған сәттен бастап адвокат пен дәрігер."
}
FOLLOW_UP = {"10", "11", "21"}
ASSESSED_ON = datetime.date(2025, 6, 1)
REFERENCE = "Alternative report of the coalition, 2025"


def pdf_text(content: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"],  # noqa: S607
        input=content,
        capture_output=True,
        check=True,
    )
    return " ".join(result.stdout.decode().split())


def docx_parts(content: bytes) -> tuple[str, list[list[list[str]]], str]:
    """The body's text (paragraphs and tables in order), its tables, and the header and footer."""
    document = Docx(io.BytesIO(content))
    body = document.element.body
    parts: list[str] = []
    for child in body.iterchildren():
        parts.append("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
    tables = [[[cell.text for cell in row.cells] for row in t.rows] for t in document.tables]
    section = document.sections[0]
    marks = " ".join(p.text for p in (*section.header.paragraphs, *section.footer.paragraphs))
    return " ".join(" ".join(parts).split()), tables, marks


def _in_order(text: str, needles: list[str]) -> bool:
    positions = [text.find(needle) for needle in needles]
    return -1 not in positions and positions == sorted(positions)


@pytest.fixture
def cat(
    users: dict[str, User],
    ref: dict[str, Any],
    make_un_document: Callable[..., Document],
    grade: Callable[[str, str], Any],
    approved_visit: Callable[..., Any],
    make_recommendation: Callable[..., Any],
) -> dict[str, Any]:
    """CAT/C/KAZ/CO/4 with its eight paragraphs (44 addressed to the ministry, the others to the
    penitentiary committee), the coalition's grades, a state and a committee grade on 10, an
    earlier coalition grade on 10, and NPM evidence linked to 10 and 11."""
    coordinator = users["coordinator"]
    document = make_un_document(
        symbol="CAT/C/KAZ/CO/4",
        body=Body.CAT,
        kind=DocumentKind.CONCLUDING_OBSERVATIONS,
        title_en="Concluding observations on the fourth periodic report of Kazakhstan",
        title_ru="Заключительные замечания по четвертому периодическому докладу Казахстана",
        adopted_on=datetime.date(2024, 5, 10),
    )
    paragraphs: dict[str, Paragraph] = {}
    # Entered out of order: the report follows the document's order (position).
    for position, number in sorted(enumerate(GRADES, start=1), key=lambda p: p[1], reverse=True):
        paragraph = Paragraph.objects.create(
            document=document,
            number=number,
            position=position,
            text_en=TEXTS[number],
            text_ru=TEXTS_RU.get(number, ""),
            text_kk=TEXTS_KK.get(number, ""),
            follow_up=number in FOLLOW_UP,
            themes="T1 T2" if number == "10" else "T3",
        )
        paragraph.addressees.set([ref["mvd"] if number == "44" else ref["kuis"]])
        paragraphs[number] = paragraph
    assessment_record(
        actor=coordinator,
        paragraph=paragraphs["10"],
        source=AssessmentSource.CIVIL_SOCIETY,
        source_name=COALITION,
        grade=grade("implementation-1-3", "1"),
        assessed_on=datetime.date(2024, 11, 1),
        reference="Coalition's first assessment, 2024",
    )
    for number, code in GRADES.items():
        assessment_record(
            actor=coordinator,
            paragraph=paragraphs[number],
            source=AssessmentSource.CIVIL_SOCIETY,
            source_name=COALITION,
            grade=grade("implementation-1-3", code),
            assessed_on=ASSESSED_ON,
            reason=MOD_CLOSED if code == "n/a" else "",
            reference=REFERENCE,
        )
    assessment_record(
        actor=coordinator,
        paragraph=paragraphs["10"],
        source=AssessmentSource.STATE,
        grade=grade("implementation-1-3", "3"),
        assessed_on=datetime.date(2025, 5, 10),
        reference="CAT/C/KAZ/FCO/4",
    )
    assessment_record(
        actor=coordinator,
        paragraph=paragraphs["10"],
        source=AssessmentSource.COMMITTEE,
        grade=grade("follow-up-a-e", "B"),
        assessed_on=datetime.date(2025, 11, 20),
    )
    visit = approved_visit()
    finding = visit.findings.order_by("pk").first()
    on_finding = make_recommendation(
        visit=visit,
        findings=[finding],
        institution=finding.institution,
        state=State.IN_IMPLEMENTATION,
        text="Give every detainee a confidential meeting with a lawyer within three hours.",
    )
    done = make_recommendation(
        state=State.IMPLEMENTED_VERIFIED, text="Keep one electronic register of detentions."
    )
    link_confirm(actor=coordinator, paragraph=paragraphs["10"], target=finding)
    link_confirm(actor=coordinator, paragraph=paragraphs["11"], target=done)
    return {
        "document": document,
        "paragraphs": paragraphs,
        "finding": finding,
        "on_finding": on_finding,
        "done": done,
    }


def _url(document: Document, fmt: str, lang: str = "en") -> str:
    url = reverse("international:followup_report", args=[document.public_id, fmt])
    return f"{url}?lang={lang}"


def test_the_content_lists_the_paragraphs_in_order_with_grades_side_by_side(
    users: dict[str, User], cat: dict[str, Any]
) -> None:
    with translation.override("en"):
        report = followup_report(users["coordinator"], cat["document"], "en")
    assert [p.number for p in report.paragraphs] == list(GRADES)
    header = report.summary.header
    assert header == ("Paragraph", "Follow-up", "State", COALITION, "The UN body's own follow-up")
    rows = {row[0]: row for row in report.summary.rows}
    assert [row[0] for row in report.summary.rows] == list(GRADES)
    assert rows["10"] == ("10", "Yes", "3", "2", "B")
    assert rows["11"] == ("11", "Yes", "—", "1", "—")
    assert rows["24"][1] == "—"
    assert rows["44"][3] == f"n/a: {MOD_CLOSED}"
    assert {number: row[3] for number, row in rows.items() if number != "44"} == {
        number: code for number, code in GRADES.items() if number != "44"
    }
    ten = report.paragraphs[0]
    assert ten.heading == "Paragraph 10 · follow-up paragraph"
    assert ten.text == (TEXTS["10"],)
    assert ten.text_note == ""
    assert dict(ten.facts) == {
        "Themes": "T1 Treatment, T2 Safeguards",
        "Addressed to": "Penitentiary System Committee",
    }
    assert ten.assessments is not None
    assert ten.assessments.header == ("Source", "State", COALITION, "The UN body's own follow-up")
    assert ten.assessments.rows[0] == (
        "Grade",
        "3 — Implemented",
        "2 — Partly implemented",
        "B — Partially satisfactory",
    )
    assert ten.assessments.rows[2] == (
        "Assessed on",
        "10 May 2025",
        "1 June 2025",
        "20 November 2025",
    )
    assert ten.assessments.rows[3] == ("Published in", "CAT/C/KAZ/FCO/4", REFERENCE, "—")
    # the history: every assessment, newest first, the coalition's first grade too
    assert ten.history is not None
    assert [row[:3] for row in ten.history.rows] == [
        ("20 November 2025", "The UN body's own follow-up", "B — Partially satisfactory"),
        ("1 June 2025", COALITION, "2 — Partly implemented"),
        ("10 May 2025", "State", "3 — Implemented"),
        ("1 November 2024", COALITION, "1 — Not implemented"),
    ]
    forty_four = report.paragraphs[5]
    assert forty_four.assessments is not None
    assert forty_four.assessments.rows[-1] == ("Reason", MOD_CLOSED)
    # the evidence: the finding, its visit and the recommendation made on it (open); on 11 the
    # implemented recommendation
    assert ten.counts.rows == (("1", "1", "1", "1", "0"),)
    assert report.paragraphs[1].counts.rows == (("0", "0", "1", "0", "1"),)
    assert ten.recommendations is not None
    assert ten.findings is not None
    rec = cat["on_finding"]
    assert ten.recommendations.rows == (
        (rec.reference, rec.institution.name, rec.text, "In implementation"),
    )
    finding = cat["finding"]
    assert ten.findings.rows[0][:2] == (finding.title, finding.institution.name)
    assert report.paragraphs[2].evidence_note == "No NPM evidence is linked to this paragraph."
    facts = dict(report.facts)
    assert facts["Symbol"] == "CAT/C/KAZ/CO/4"
    assert facts["Adopted on"] == "10 May 2024"
    assert "As of" in facts
    assert report.marking == ""


@needs_pdftotext
def test_pdf_and_docx_show_the_same_report(
    client_for: Callable[[str], Client], cat: dict[str, Any]
) -> None:
    client = client_for("coordinator")
    pdf = client.get(_url(cat["document"], "pdf"))
    docx = client.get(_url(cat["document"], "docx"))
    assert pdf.status_code == docx.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf["Content-Disposition"]
    assert "followup-catckazco4-en-" in pdf["Content-Disposition"]
    assert pdf["Cache-Control"] == "no-store"
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats")
    text = pdf_text(pdf.content)
    body, tables, marks = docx_parts(docx.content)
    headings = [
        f"Paragraph {n}" + (" · follow-up paragraph" if n in FOLLOW_UP else "") for n in GRADES
    ]
    for shown in (text, body):
        assert _in_order(shown, ["Follow-up report: CAT/C/KAZ/CO/4", "Summary", *headings]), shown
        for needle in (
            *TEXTS.values(),
            "10 May 2024",
            COALITION,
            "n/a — Not applicable",
            "2 — Partly implemented",
            "B — Partially satisfactory",
            cat["on_finding"].reference,
            cat["done"].reference,
            cat["finding"].title,
            "No NPM evidence is linked to this paragraph.",
            "Open recommendations",
        ):
            assert needle in shown, needle
    # the summary as a table in the DOCX: a row per paragraph, 44 → n/a with its reason
    summary = next(t for t in tables if t[0][:2] == ["Paragraph", "Follow-up"])
    assert [(row[0], row[3]) for row in summary[1:]] == [
        (n, f"n/a: {MOD_CLOSED}" if code == "n/a" else code) for n, code in GRADES.items()
    ]
    # the same words in the PDF, wherever the table wraps them
    for word in MOD_CLOSED.split():
        assert word in text
    assert marks.strip() == ""
    assert "Confidential" not in text


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_report_in_kazakh_and_russian(
    client_for: Callable[[str], Client], cat: dict[str, Any], language: str
) -> None:
    response = client_for("coordinator").get(_url(cat["document"], "docx", language))
    assert response.status_code == 200
    body, tables, _marks = docx_parts(response.content)
    own = {"kk": TEXTS_KK, "ru": TEXTS_RU}[language]["10"]
    # 10 is kept in the language; 11 is not: given in English, with a note saying so
    assert _in_order(body, [own, TEXTS["11"]])
    assert TEXTS["10"] not in body
    with translation.override(language):
        report = followup_report(User.objects.get(role=Role.COORDINATOR), cat["document"], language)
    assert report.paragraphs[0].text_note == ""
    note = report.paragraphs[1].text_note
    assert note
    assert note in body
    assert body.count(note) == len(GRADES) - 1
    # the dates in the language ("10 мая 2024", "10 мамыр 2024")
    month = {"ru": "мая", "kk": "мамыр"}[language]
    assert f"10 {month} 2024" in body.lower()
    assert [row[0] for row in tables[1][1:]] == list(GRADES)
    assert f"n/a: {MOD_CLOSED}" in [row[3] for row in tables[1][1:]]


def test_who_may_download(
    users: dict[str, User],
    client_for: Callable[[str], Client],
    cat: dict[str, Any],
    make_un_document: Callable[..., Document],
    make_paragraph: Callable[..., Paragraph],
    ref: dict[str, Any],
) -> None:
    spt = make_un_document(
        symbol="CAT/OP/KAZ/2", body=Body.SPT, kind=DocumentKind.VISIT_REPORT, confidential=True
    )
    make_paragraph(spt, addressees=[ref["kuis"]], number="12")
    before = AuditEvent.objects.filter(action=AuditAction.UN_REPORT_EXPORTED).count()

    anonymous = client_for("anonymous").get(_url(cat["document"], "pdf"))
    assert anonymous.status_code == 302
    assert "/login" in anonymous["Location"]
    assert client_for("other_liaison").get(_url(cat["document"], "docx")).status_code == 404
    for actor in ("monitor", "liaison", "regional", "auditor"):
        assert client_for(actor).get(_url(spt, "docx")).status_code == 404, actor
    coordinator = client_for("coordinator")
    assert coordinator.get(_url(cat["document"], "odt")).status_code == 404
    assert coordinator.get(_url(cat["document"], "pdf", "de")).status_code == 404
    assert AuditEvent.objects.filter(action=AuditAction.UN_REPORT_EXPORTED).count() == before, (
        "a refused download is not audited"
    )

    # the coordinator: the confidential report, marked so on every page
    response = coordinator.get(_url(spt, "docx"))
    assert response.status_code == 200
    _body, _tables, marks = docx_parts(response.content)
    assert marks == "Confidential Confidential"
    event = AuditEvent.objects.filter(action=AuditAction.UN_REPORT_EXPORTED).latest("id")
    assert event.actor == users["coordinator"]
    assert event.target_id == str(spt.public_id)
    assert event.data == {
        "symbol": "CAT/OP/KAZ/2",
        "format": "docx",
        "language": "en",
        "paragraphs": 1,
    }
    if shutil.which("pdftotext"):
        pdf = coordinator.get(_url(spt, "pdf"))
        pages = pdf_text(pdf.content)
        assert pages.count("CONFIDENTIAL") >= 1  # the page header (upper case)
        assert "Confidential" in pages

    # the liaison of the committee: its seven paragraphs, not 44 (addressed to the ministry);
    # a monitor: all eight, published as the document is
    liaison = client_for("liaison").get(_url(cat["document"], "docx"))
    assert liaison.status_code == 200
    body, _tables, _marks = docx_parts(liaison.content)
    assert "Paragraph 44" not in body
    assert TEXTS["44"] not in body
    assert "Paragraph 47" in body
    assert COALITION in body
    assert "Coalition's first assessment" in body
    monitor = client_for("monitor").get(_url(cat["document"], "docx"))
    assert "Paragraph 44" in docx_parts(monitor.content)[0]


def test_default_language_is_the_active_one(users: dict[str, User], cat: dict[str, Any]) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="ru")
    client.force_login(users["coordinator"])
    url = reverse("international:followup_report", args=[cat["document"].public_id, "docx"])
    response = client.get(url)
    assert response.status_code == 200
    assert "-ru-" in response["Content-Disposition"]
    assert "10 мая 2024" in docx_parts(response.content)[0]


def _extra_paragraphs(cat: dict[str, Any], grade: Any, coordinator: User, count: int) -> None:
    document = cat["document"]
    for n in range(count):
        paragraph = Paragraph.objects.create(
            document=document,
            number=f"9{n}",
            position=100 + n,
            text_en=f"Another synthetic paragraph number {n}.",
            themes="T4",
        )
        assessment_record(
            actor=coordinator,
            paragraph=paragraph,
            source=AssessmentSource.NPM,
            grade=grade("implementation-1-3", "2"),
            assessed_on=ASSESSED_ON,
        )
        link_confirm(actor=coordinator, paragraph=paragraph, target=cat["done"])
        link_confirm(actor=coordinator, paragraph=paragraph, target=cat["finding"])


def test_queries_do_not_grow_with_paragraphs(
    users: dict[str, User], cat: dict[str, Any], grade: Any
) -> None:
    coordinator = users["coordinator"]

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx, translation.override("en"):
            followup_report(coordinator, cat["document"], "en")
        return len(ctx.captured_queries)

    before = count()
    _extra_paragraphs(cat, grade, coordinator, 6)
    assert count() == before
