"""Letters to the appellant: an unseal with its reason, logged and audited; Kazakh letters
in the PDF (pdftotext) and the DOCX; none for an anonymous appeal; the role matrix."""

import io
import shutil
import subprocess
from collections.abc import Callable
from typing import Any

import pytest
from docx import Document

from conftest import ALL_ACTORS
from vigil.appeals.enums import AppealState, EventKind
from vigil.appeals.models import Appeal, AppealEvent
from vigil.appeals.services.letters import LETTER_REASON
from vigil.appeals.tests.fixtures import APPELLANT_NAME
from vigil.audit.enums import AuditAction
from vigil.audit.models import AccessEvent, AuditEvent

pytestmark = pytest.mark.django_db

ACTORS = [*ALL_ACTORS, "other_liaison"]


def _url(
    appeal: Appeal, kind: str = "acknowledgement", language: str = "kk", fmt: str = "pdf"
) -> str:
    return f"/appeals/{appeal.public_id}/letter/{kind}/?language={language}&format={fmt}"


def _pdf_text(data: bytes) -> str:
    tool = shutil.which("pdftotext")
    assert tool is not None
    result = subprocess.run(  # noqa: S603 (a local tool on our own bytes)
        [tool, "-", "-"], input=data, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_acknowledgement_pdf_names_the_appellant_and_logs_the_unseal(
    client_for: Callable[[str], Any], make_appeal: Callable[..., Appeal], language: str
) -> None:
    appeal = make_appeal()
    response = client_for("coordinator").get(_url(appeal, language=language))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert "Жұмабеков" in text  # Kazakh letters survive
    assert appeal.reference in text
    access = AccessEvent.objects.get()
    assert access.reason == LETTER_REASON
    assert AuditEvent.objects.filter(action=AuditAction.APPEAL_LETTER_EXPORTED).count() == 1
    assert AppealEvent.objects.filter(appeal=appeal, kind=EventKind.LETTER).count() == 1


def test_answer_docx_after_the_answer(
    client_for: Callable[[str], Any], make_appeal: Callable[..., Appeal]
) -> None:
    appeal = make_appeal(state=AppealState.EXPLAINED, outcome="Сізге құқықтарыңыз түсіндірілді.")
    response = client_for("regional").get(_url(appeal, kind="answer", language="ru", fmt="docx"))
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert APPELLANT_NAME in text
    assert "құқықтарыңыз" in text
    assert appeal.reference in text
    early = make_appeal()
    refused = client_for("coordinator").get(_url(early, kind="answer"))
    assert refused.status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.APPEAL_LETTER_EXPORTED).count() == 1


def test_anonymous_appeal_gets_no_letter_and_says_why(
    client_for: Callable[[str], Any], make_appeal: Callable[..., Appeal]
) -> None:
    appeal = make_appeal(name="", anonymous=True)
    client = client_for("coordinator")
    assert client.get(_url(appeal)).status_code == 302
    body = client.get(f"/appeals/{appeal.public_id}/").content.decode()
    assert 'data-testid="letter-note"' in body
    assert 'data-testid="letter-acknowledgement"' not in body
    assert not AccessEvent.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.APPEAL_LETTER_EXPORTED).exists()


@pytest.mark.parametrize("actor", ACTORS)
def test_letter_matrix(
    client_for: Callable[[str], Any], make_appeal: Callable[..., Appeal], actor: str
) -> None:
    appeal = make_appeal()
    response = client_for(actor).get(_url(appeal, fmt="docx"))
    expected = {
        "anonymous": 302,
        "coordinator": 200,
        "regional": 200,
        "auditor": 403,
    }.get(actor, 404)
    assert response.status_code == expected
    exported = AuditEvent.objects.filter(action=AuditAction.APPEAL_LETTER_EXPORTED).count()
    assert exported == (1 if expected == 200 else 0)
    assert AccessEvent.objects.count() == (1 if expected == 200 else 0)
    assert client_for(actor).get(_url(appeal, language="de")).status_code in (302, 404)
