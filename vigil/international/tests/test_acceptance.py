"""Issue 10's acceptance, in one path: the sample file with the eight CAT paragraphs and the
coalition's grades is imported, a recommendation and a finding are linked to paragraph 10, and
the follow-up report lists the paragraphs in the document's order with their grades (44 as
n/a with its reason) and the linked NPM evidence."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from vigil.accounts.models import User
from vigil.international.importing.kind import SAMPLE, un_import
from vigil.international.models import Document
from vigil.international.services import link_confirm
from vigil.international.tests.test_report import docx_parts, needs_pdftotext, pdf_text
from vigil.recommendations.enums import State

DEFENCE_REASON = "The Ministry of Defence is still closed to NPM and NGO monitoring"
ORDER = ["10", "11", "21", "24", "28", "44", "46", "47"]


@pytest.fixture
def imported(
    un_agencies: Any,
    users: dict[str, User],
    approved_visit: Callable[..., Any],
    make_recommendation: Callable[..., Any],
) -> dict[str, Any]:
    coordinator = users["coordinator"]
    un_import(actor=coordinator, content=SAMPLE.read_bytes(), file_name="sample.csv")
    document = Document.objects.get(symbol="CAT/C/KAZ/CO/4")
    paragraph = document.paragraphs.get(number="10")
    visit = approved_visit()
    finding = visit.findings.first()
    recommendation = make_recommendation(
        visit=visit, findings=[finding], state=State.IN_IMPLEMENTATION
    )
    link_confirm(actor=coordinator, paragraph=paragraph, target=recommendation)
    return {"document": document, "recommendation": recommendation, "finding": finding}


def _texts_in_order(document: Document) -> list[str]:
    """A distinctive start of each paragraph's English text, in the document's order."""
    return [" ".join(p.text_en.split()[:6]) for p in document.paragraphs.order_by("position")]


@needs_pdftotext
def test_the_imported_paragraphs_are_reported_in_order_with_grades_and_evidence(
    imported: dict[str, Any], client_for: Callable[[str], Client]
) -> None:
    document = imported["document"]
    assert list(document.paragraphs.order_by("position").values_list("number", flat=True)) == (
        ORDER
    )
    client = client_for("coordinator")
    url = reverse("international:followup_report", args=[document.public_id, "pdf"])
    response = client.get(f"{url}?lang=en")
    assert response.status_code == 200
    text = pdf_text(response.content)
    starts = _texts_in_order(document)
    positions = [text.find(start) for start in starts]
    assert -1 not in positions, starts
    assert positions == sorted(positions)
    assert " ".join(DEFENCE_REASON.split()) in text
    assert imported["recommendation"].reference in text
    assert imported["finding"].title in text

    docx = client.get(reverse("international:followup_report", args=[document.public_id, "docx"]))
    body, tables, _marks = docx_parts(docx.content)
    summary = next(
        {row[0]: row for row in table if row and row[0] in ORDER}
        for table in tables
        if sum(1 for row in table if row and row[0] in ORDER) == len(ORDER)
    )
    assert list(summary) == ORDER
    grades = {"10": "2", "11": "1", "21": "1", "24": "2", "28": "2", "46": "3", "47": "3"}
    for number, code in grades.items():
        assert any(cell.strip().startswith(code) for cell in summary[number][1:]), summary[number]
    assert any("n/a" in cell for cell in summary["44"][1:]), summary["44"]
    assert [body.find(start) for start in starts] == sorted(body.find(s) for s in starts)
    assert imported["recommendation"].reference in body
