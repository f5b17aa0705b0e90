"""The report's PDF and DOCX: Kazakh letters survive, the content is the report's (team,
institution, findings by theme, annexes) and never the working material (notes, interview
content, pseudonyms, identities); withdrawn consent leaves the counts; role matrix."""

import datetime
import io
import shutil
import subprocess
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from docx import Document

from conftest import ALL_ACTORS
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.core.crypto import keyring
from vigil.visits.enums import ReportState, VisitState
from vigil.visits.models import (
    AccessIncident,
    Finding,
    InternalNote,
    Interview,
    SealedIdentity,
    VisitReport,
)
from vigil.visits.selectors.reports import report_document
from vigil.visits.services.reports import report_export

ACTORS = [*ALL_ACTORS, "monitor_outsider"]
READERS = {"coordinator", "regional", "monitor", "auditor"}

KAZAKH_TITLE = "Камераларда желдету жоқ"
KAZAKH_TEXT = (
    "Әр камерада ауа ауыр, терезелер ашылмайды; қоңырау жұмыс істемейді, үңгір іші өте ылғал."
)
NOTE_TEXT = "Internal: the deputy head threatened detainee in cell 12."
PSEUDONYM = "Witness-Aigerim"
INTERVIEW_CONTENT = "He said guards beat him on 3 March."
IDENTITY = "Nurlan Seitkaliyev, born 1990"

needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)


def pdf_text(content: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"],  # noqa: S607
        input=content,
        capture_output=True,
        check=True,
    )
    return result.stdout.decode()


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def make_interview(visit: Any, users: dict[str, Any], **fields: Any) -> Interview:
    data: dict[str, Any] = {
        "visit": visit,
        "institution": visit.institutions.first(),
        "conducted_by": users["monitor"],
        "conducted_on": datetime.date(2026, 12, 1),
        "category": "detainee",
        "pseudonym": PSEUDONYM,
        "consent_scopes": ["anonymous_use"],
        "content_ciphertext": keyring().encrypt(INTERVIEW_CONTENT.encode()),
        "content_key_version": keyring().current_version,
    }
    data.update(fields)
    interview = Interview.objects.create(**data)
    SealedIdentity.objects.create(
        interview=interview,
        ciphertext=keyring().encrypt(IDENTITY.encode()),
        key_version=keyring().current_version,
    )
    return interview


@pytest.fixture
def report(make_visit, users, ref):
    visit = make_visit(state=VisitState.REPORT_APPROVED)
    institution = visit.institutions.first()
    institution.address = "Астана, Тәуелсіздік даңғылы, 1"
    institution.save()
    kept = Finding.objects.create(
        visit=visit,
        institution=institution,
        theme="T3",
        severity="serious",
        title=KAZAKH_TITLE,
        description=KAZAKH_TEXT,
        evidence_kinds=["observation", "interview", "photo"],
        standard_references="Nelson Mandela Rule 13",
        root_cause="resources",
        created_by=users["monitor"],
    )
    Finding.objects.create(
        visit=visit,
        institution=institution,
        theme="T5",
        severity="minor",
        title="Left out of the report",
        description="Not selected.",
        created_by=users["monitor"],
    )
    InternalNote.objects.create(visit=visit, author=users["monitor"], text=NOTE_TEXT)
    AccessIncident.objects.create(
        visit=visit,
        institution=institution,
        kind="delay",
        occurred_at=timezone.now(),
        duration_minutes=40,
        details="Kept at the gate for 40 minutes.",
        recorded_by=users["monitor"],
    )
    make_interview(visit, users)
    make_interview(visit, users, category="staff", pseudonym="Staff-1")
    report = VisitReport.objects.create(
        visit=visit,
        language="kk",
        state=ReportState.APPROVED,
        introduction="Кіріспе: бару күтпеген жерден өтті.",
        conclusion="Қорытынды: желдетуді жөндеу қажет.",
        created_by=users["monitor_lead"],
        approved_by=users["coordinator"],
        approved_at=timezone.now(),
    )
    report.findings.set([kept])
    return report


@needs_pdftotext
def test_pdf_holds_the_report_with_kazakh_letters(users, report):
    exported = report_export(actor=users["coordinator"], report=report, fmt="pdf")
    assert exported.content.startswith(b"%PDF")
    assert exported.content_type == "application/pdf"
    text = pdf_text(exported.content)
    flat = " ".join(text.split())
    assert KAZAKH_TITLE in flat
    for letter in "әқңөұүі":
        assert letter in flat
    assert "Әр камерада ауа ауыр" in flat
    assert report.visit.reference in flat
    assert "Тәуелсіздік даңғылы" in flat
    # The team by name and profession.
    assert "Team Lead" in flat
    assert "Team Doctor" in flat
    assert "Nelson Mandela Rule 13" in flat
    assert "Kept at the gate for 40 minutes." in flat
    # Only the selected findings.
    assert "Left out of the report" not in flat
    # Never working material or interview data.
    for secret in (NOTE_TEXT, PSEUDONYM, "Staff-1", INTERVIEW_CONTENT, IDENTITY):
        assert secret not in flat


def test_docx_holds_the_report_with_kazakh_letters(users, report):
    exported = report_export(actor=users["auditor"], report=report, fmt="docx")
    text = docx_text(exported.content)
    assert KAZAKH_TITLE in text
    assert KAZAKH_TEXT in text
    assert "Қорытынды: желдетуді жөндеу қажет." in text
    assert "Team Doctor" in text
    assert "Left out of the report" not in text
    for secret in (NOTE_TEXT, PSEUDONYM, INTERVIEW_CONTENT, IDENTITY):
        assert secret not in text
    document = Document(io.BytesIO(exported.content))
    assert document.styles["Normal"].font.name == "DejaVu Sans"
    assert document.core_properties.language == "kk"


def _counts(users: dict[str, Any], report: VisitReport) -> str:
    text = docx_text(report_export(actor=users["coordinator"], report=report, fmt="docx").content)
    return text[text.index("Annex 2") :] if "Annex 2" in text else text


def test_withdrawn_consent_leaves_the_annex_counts(users, report):
    with translation.override("en"):
        before = report_document(report).interview_counts
    assert [(c.code, c.count) for c in before] == [("detainee", 1), ("staff", 1)]
    withdrawn = make_interview(report.visit, users, category="detainee", pseudonym="Second")
    with translation.override("en"):
        assert [(c.code, c.count) for c in report_document(report).interview_counts] == [
            ("detainee", 2),
            ("staff", 1),
        ]
    withdrawn.consent_withdrawn_on = datetime.date(2026, 12, 5)
    withdrawn.save()
    with translation.override("en"):
        after = report_document(report).interview_counts
    assert [(c.code, c.count) for c in after] == [("detainee", 1), ("staff", 1)]
    # And the document says so: the total is 2, not 3.
    report.language = "en"
    report.save()
    annex = _counts(users, report)
    assert "Detainee or resident\n1" in annex
    assert "Total\n2" in annex


def test_every_interview_withdrawn_leaves_no_count_at_all(users, report):
    Interview.objects.update(consent_withdrawn_on=datetime.date(2026, 12, 5))
    report.language = "en"
    report.save()
    text = docx_text(report_export(actor=users["coordinator"], report=report, fmt="docx").content)
    assert "No interviews are counted in this report." in text
    assert "Detainee or resident" not in text


def test_document_is_rendered_in_the_reports_language(users, report):
    with translation.override("ru"):
        html = render_to_string("visits/report_pdf.html", {"doc": report_document(report)})
    assert '<html lang="kk">' in html


def test_draft_is_marked_as_not_approved(users, report):
    report.state = ReportState.DRAFT
    report.language = "en"
    report.save()
    text = docx_text(report_export(actor=users["coordinator"], report=report, fmt="docx").content)
    assert "Not approved — state: Draft" in text


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
@pytest.mark.parametrize("actor", ACTORS)
def test_download_role_matrix(client_for, users, report, actor, fmt):
    before = AuditEvent.objects.filter(action=AuditAction.REPORT_EXPORTED).count()
    response = client_for(actor).get(f"/visits/{report.visit.public_id}/report/{fmt}/")
    exported = AuditEvent.objects.filter(action=AuditAction.REPORT_EXPORTED)
    if actor == "anonymous":
        assert response.status_code == 302
    elif actor in READERS:
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["Cache-Control"] == "no-store"
        assert (
            response["Content-Type"]
            == {
                "pdf": "application/pdf",
                "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            }[fmt]
        )
        event = exported.get()
        assert event.actor == users[actor]
        assert event.data["format"] == fmt
        return
    else:
        assert response.status_code == 404
    assert exported.count() == before


def test_no_report_no_download(client_for, make_visit):
    visit = make_visit(state=VisitState.DEBRIEFED)
    assert (
        client_for("coordinator").get(f"/visits/{visit.public_id}/report/pdf/").status_code == 404
    )
