"""The escalation letter: PDF and DOCX in kk, ru and en with the addressee, the reference, the
originals and the authority's answers, the request and the signature block; Kazakh letters
survive; each download audited; who may download it."""

import datetime
import io
import shutil
import subprocess
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from docx import Document

from vigil.accounts.models import User
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.recommendations.enums import ClaimedStatus, Level, State
from vigil.recommendations.models import AuthorityResponse, Recommendation
from vigil.recommendations.services.escalation import (
    escalation_letter_export,
    letter_language,
    recommendations_escalate,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PAST = TODAY - datetime.timedelta(days=60)
KAZAKH_TEXT = "Әр камерада желдету жүйесін жөндеу, қоңырау орнату және ауаны үнемі тексеру."
REQUEST = "Ensure that the committee repairs the ventilation in every colony of the region."

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


@pytest.fixture
def escalation(
    ref: dict[str, Any],
    users: dict[str, User],
    make_recommendation: Callable[..., Recommendation],
    make_institution: Callable[..., Any],
) -> Recommendation:
    colony = make_institution(name_kk="№ 7 түзеу мекемесі", name_en="Colony No. 7")
    original = make_recommendation(
        text=KAZAKH_TEXT,
        institution=colony,
        issued_on=PAST - datetime.timedelta(days=30),
        deadline=PAST,
        state=State.NOT_ACCEPTED,
    )
    AuthorityResponse.objects.create(
        recommendation=original,
        responding_agency=ref["kuis_71"],
        letter_number="12-3/456",
        letter_date=PAST,
        measures="No funds are available this year.",
        claimed_status=ClaimedStatus.NOT_ACCEPTED,
        on_time=False,
        submitted_by=users["liaison"],
    )
    silent = make_recommendation(
        text="Install a call button in every cell.",
        issued_on=PAST - datetime.timedelta(days=30),
        deadline=PAST,
    )
    escalation = recommendations_escalate(
        actor=users["coordinator"],
        recommendations=[original, silent],
        text=REQUEST,
        indicator="Every colony inspected by the end of the year.",
        level=Level.SYSTEMIC,
        language="kk",
    )
    escalation.original = original  # type: ignore[attr-defined]
    escalation.silent = silent  # type: ignore[attr-defined]
    return escalation


def test_the_language_chosen_is_the_default(escalation: Recommendation) -> None:
    assert letter_language(escalation) == "kk"


@needs_pdftotext
@pytest.mark.parametrize(
    ("language", "committee"),
    [
        pytest.param("kk", "Қылмыстық-атқару жүйесі комитеті", id="kk"),
        pytest.param("ru", "Комитет уголовно-исполнительной системы", id="ru"),
        pytest.param("en", "Penitentiary System Committee", id="en"),
    ],
)
def test_pdf_letter(
    escalation: Recommendation, users: dict[str, User], language: str, committee: str
) -> None:
    content = escalation_letter_export(
        actor=users["coordinator"], escalation=escalation, fmt="pdf", language=language
    )
    assert content.startswith(b"%PDF")
    text = " ".join(pdf_text(content).split())
    assert committee in text  # the addressee, in the letter's language
    assert escalation.reference in text
    original = escalation.original  # type: ignore[attr-defined]
    assert original.reference in text
    assert escalation.silent.reference in text  # type: ignore[attr-defined]
    assert "12-3/456" in text  # the authority's answer
    assert "No funds are available this year." in text
    assert " ".join(KAZAKH_TEXT.split()[:4]) in text  # Kazakh letters survive the font
    assert REQUEST in text
    if language == "en":
        assert "Human Rights Commissioner" in text
        assert "Individualised recommendation" in text
        assert "No answer was received." in text  # the silent one
    event = AuditEvent.objects.get(action=AuditAction.RECOMMENDATION_LETTER_EXPORTED)
    assert event.data["format"] == "pdf"
    assert event.data["language"] == language
    assert event.target_id == str(escalation.public_id)


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_docx_letter(escalation: Recommendation, users: dict[str, User], language: str) -> None:
    content = escalation_letter_export(
        actor=users["coordinator"], escalation=escalation, fmt="docx", language=language
    )
    document = Document(io.BytesIO(content))
    assert document.core_properties.language == language
    text = docx_text(content)
    assert escalation.reference in text
    assert escalation.original.reference in text  # type: ignore[attr-defined]
    assert KAZAKH_TEXT in text
    assert "12-3/456" in text
    assert REQUEST in text
    assert "Every colony inspected by the end of the year." in text
    if language == "en":
        assert "Penitentiary System Committee" in text
        assert "Colony No. 7" in text
        assert "Human Rights Commissioner" in text
        assert "Not accepted" in text
    if language == "kk":
        assert "Қылмыстық-атқару жүйесі комитеті" in text
        assert "№ 7 түзеу мекемесі" in text
    style = document.styles["Normal"]
    assert style.font.name == "DejaVu Sans"  # type: ignore[attr-defined]
    assert AuditEvent.objects.filter(action=AuditAction.RECOMMENDATION_LETTER_EXPORTED).count() == 1


@pytest.mark.parametrize(
    ("actor", "allowed"),
    [
        pytest.param("admin", True, id="admin"),
        pytest.param("coordinator", True, id="coordinator"),
        pytest.param("regional", False, id="regional"),  # neither region nor institution
        pytest.param("monitor", True, id="monitor"),
        pytest.param("liaison", True, id="liaison"),  # the letter is written to its agency
        pytest.param("auditor", True, id="auditor"),
        pytest.param("other_liaison", False, id="other_liaison"),
    ],
)
def test_who_may_download(
    escalation: Recommendation, users: dict[str, User], actor: str, allowed: bool
) -> None:
    if allowed:
        escalation_letter_export(actor=users[actor], escalation=escalation, fmt="docx")
        assert AuditEvent.objects.filter(
            action=AuditAction.RECOMMENDATION_LETTER_EXPORTED, actor=users[actor]
        ).exists()
    else:
        with pytest.raises(PermissionDenied):
            escalation_letter_export(actor=users[actor], escalation=escalation, fmt="docx")
        assert not AuditEvent.objects.filter(
            action=AuditAction.RECOMMENDATION_LETTER_EXPORTED
        ).exists()


def test_only_escalations_have_letters(escalation: Recommendation, users: dict[str, User]) -> None:
    with pytest.raises(PermissionDenied):
        escalation_letter_export(
            actor=users["coordinator"],
            escalation=escalation.original,  # type: ignore[attr-defined]
            fmt="pdf",
        )


@pytest.mark.parametrize(
    ("fmt", "language", "field"),
    [
        pytest.param("odt", "en", "format", id="format"),
        pytest.param("pdf", "de", "language", id="language"),
    ],
)
def test_bad_format_or_language(
    escalation: Recommendation, users: dict[str, User], fmt: str, language: str, field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        escalation_letter_export(
            actor=users["coordinator"], escalation=escalation, fmt=fmt, language=language
        )
    assert field in caught.value.message_dict
    assert not AuditEvent.objects.filter(action=AuditAction.RECOMMENDATION_LETTER_EXPORTED).exists()
