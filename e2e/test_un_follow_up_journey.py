"""The UN follow-up end to end, in the browser (issue 10).

CAT/C/KAZ/CO/4 holds paragraph 24 (video surveillance of interrogation rooms), addressed to
the penitentiary committee (MVD-KUIS) and graded 2 by the NGO Coalition against Torture; the
NPM has issued a recommendation in Russian to the committee's Astana department on the same
point. The coordinator opens the paragraph, asks for the evidence to link, confirms the
suggested recommendation, records the coalition's next grade, and downloads the follow-up
report, which lists the paragraph with its grades and the linked recommendation. An SPT
report marked confidential is not in the lists of the committee's liaison or of a monitor,
and opening it answers "not found" to both. The pages pass axe-core (serious and critical)
and break no Content-Security-Policy rule.
"""

import datetime
from pathlib import Path
from typing import Any

import pytest

from e2e.browser import axe_violations
from vigil.accounts.models import User
from vigil.international.enums import AssessmentSource, Body, DocumentKind
from vigil.international.models import Document, Paragraph, ParagraphLink, ScaleGrade
from vigil.international.services import assessment_record
from vigil.international.tests.test_report import pdf_text
from vigil.recommendations.enums import Level, Source, State
from vigil.recommendations.models import Recommendation
from vigil.visits.enums import Theme

COALITION = "NGO Coalition against Torture"
PARAGRAPH_TEXT = (
    "The State party should ensure that video surveillance covers every interrogation room "
    "and that recordings are kept."
)
RECOMMENDATION_TEXT = (
    "Установить видеонаблюдение во всех кабинетах для допросов и хранить записи не менее года."
)


@pytest.fixture
def world(ref: dict[str, Any], users: dict[str, User]) -> dict[str, Any]:
    cat = Document.objects.create(
        symbol="CAT/C/KAZ/CO/4",
        body=Body.CAT,
        kind=DocumentKind.CONCLUDING_OBSERVATIONS,
        title_en="Concluding observations on the fourth periodic report of Kazakhstan",
        adopted_on=datetime.date(2024, 5, 10),
    )
    paragraph = Paragraph.objects.create(
        document=cat, number="24", position=24, text_en=PARAGRAPH_TEXT, themes="T1"
    )
    paragraph.addressees.set([ref["kuis"]])
    assessment_record(
        actor=users["coordinator"],
        paragraph=paragraph,
        source=AssessmentSource.CIVIL_SOCIETY,
        source_name=COALITION,
        grade=ScaleGrade.objects.get(scale__code="implementation-1-3", code="1"),
        assessed_on=datetime.date(2025, 5, 1),
    )
    spt = Document.objects.create(
        symbol="CAT/OP/KAZ/ROSP/2",
        body=Body.SPT,
        kind=DocumentKind.VISIT_REPORT,
        title_en="Report on the visit of 26 March – 1 April 2023",
        adopted_on=datetime.date(2023, 11, 20),
        confidential=True,
    )
    spt_paragraph = Paragraph.objects.create(
        document=spt, number="31", position=31, text_en="Confidential finding.", themes="T1"
    )
    spt_paragraph.addressees.set([ref["kuis"]])
    recommendation = Recommendation.objects.create(
        reference="R-2025-0042",
        source=Source.VISIT_REPORT,
        addressee=ref["kuis_71"],
        theme=Theme.T1,
        level=Level.INSTITUTIONAL,
        text=RECOMMENDATION_TEXT,
        issued_on=datetime.date(2025, 3, 1),
        state=State.IN_IMPLEMENTATION,
        state_changed_on=datetime.date(2025, 4, 1),
        created_by=users["coordinator"],
    )
    return {"cat": cat, "paragraph": paragraph, "spt": spt, "recommendation": recommendation}


def test_un_follow_up_journey(  # type: ignore[no-untyped-def]
    world, users, login, live_server, tmp_path: Path
) -> None:
    base = live_server.url
    cat: Document = world["cat"]
    paragraph: Paragraph = world["paragraph"]
    recommendation: Recommendation = world["recommendation"]

    # ---- 1. The coordinator finds the paragraph and links the suggested recommendation.
    coordinator = login(users["coordinator"].email)
    coordinator.get_by_role("link", name="UN documents").first.click()
    coordinator.wait_for_url(f"{base}/international/")
    assert axe_violations(coordinator) == []
    coordinator.get_by_role("link", name=cat.symbol, exact=True).click()
    coordinator.wait_for_url(f"{base}/international/documents/{cat.public_id}/")
    assert axe_violations(coordinator) == []
    coordinator.get_by_role("link", name="24", exact=True).click()
    coordinator.wait_for_url(f"{base}/international/paragraphs/{paragraph.public_id}/")
    coordinator.get_by_test_id("link-evidence").click()
    coordinator.wait_for_url(f"{base}/international/paragraphs/{paragraph.public_id}/links/")
    assert axe_violations(coordinator) == []
    suggestion = coordinator.locator("[data-testid=suggestions] li[data-kind=recommendation]")
    suggestion.first.wait_for()
    assert recommendation.reference in suggestion.first.inner_text()
    suggestion.first.get_by_role("button", name="Confirm").click()
    confirmed = coordinator.locator("[data-testid=confirmed-links] tr[data-origin=suggested]")
    confirmed.first.wait_for()
    assert recommendation.reference in confirmed.first.inner_text()
    link = ParagraphLink.objects.get(paragraph=paragraph)
    assert link.recommendation == recommendation
    assert link.origin == "suggested"
    assert link.score is not None

    # ---- 2. The coalition's newer grade is recorded on the paragraph.
    coordinator.goto(f"{base}/international/paragraphs/{paragraph.public_id}/assess/")
    coordinator.select_option("#id_source", AssessmentSource.CIVIL_SOCIETY)
    coordinator.fill("#id_source_name", COALITION)
    grade = ScaleGrade.objects.get(scale__code="implementation-1-3", code="2")
    coordinator.select_option("#id_grade", str(grade.public_id))
    coordinator.fill("#id_assessed_on", "2026-05-01")
    with coordinator.expect_navigation():
        coordinator.locator("form button[type=submit].btn-primary").click()
    coordinator.wait_for_url(f"{base}/international/paragraphs/{paragraph.public_id}/")
    history = coordinator.get_by_test_id("assessment-history").inner_text()
    assert history.index("2026") < history.index("2025")  # newest first, the older one kept
    assert paragraph.assessments.count() == 2
    counts = coordinator.get_by_test_id("evidence-counts").inner_text()
    assert "1" in counts

    # ---- 3. The follow-up report lists the paragraph, its grade and the linked evidence.
    coordinator.goto(f"{base}/international/documents/{cat.public_id}/")
    with coordinator.expect_download() as download_info:
        coordinator.get_by_test_id("report-pdf-en").click()
    report = tmp_path / "report.pdf"
    download_info.value.save_as(report)
    text = pdf_text(report.read_bytes())
    assert cat.symbol in text
    assert "24" in text
    assert COALITION in text
    assert recommendation.reference in text

    # ---- 4. The confidential SPT report stays with the coordinators.
    spt: Document = world["spt"]
    assert spt.symbol in coordinator.goto(f"{base}/international/").text()
    for email in (users["liaison"].email, users["monitor"].email):
        other = login(email)
        other.goto(f"{base}/international/")
        listed = other.locator("main").inner_text()
        assert cat.symbol in listed
        assert spt.symbol not in listed
        response = other.goto(f"{base}/international/documents/{spt.public_id}/")
        assert response is not None
        assert response.status == 404
