"""The referral letter: kk/ru/en, PDF (Kazakh letters in the text) and DOCX; it holds only
what the referral discloses, and unsealing the identity for it is logged."""

import io
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from vigil.appeals.models import Appeal
from vigil.appeals.tests.fixtures import APPEAL_CONTENT, APPELLANT_NAME
from vigil.audit.models import AccessEvent, AuditEvent


def _pdf_text(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "letter.pdf"
    path.write_bytes(content)
    result = subprocess.run(  # noqa: S603 (a fixed local tool)
        ["/usr/bin/pdftotext", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        check=True,
        text=True,
    )
    return result.stdout


@pytest.fixture
def appeal(make_appeal: Callable[..., Appeal]) -> Appeal:
    return make_appeal(consent_scopes=["allegation", "identity"])


def test_pdf_without_identity_shows_the_allegation_only(
    client_for: Callable[[str], Any], appeal: Appeal, make_referral: Any, tmp_path: Path
) -> None:
    referral = make_referral(appeal, discloses=["allegation"])
    response = client_for("coordinator").get(
        f"/appeals/referrals/{referral.public_id}/letter/?lang=kk&format=pdf"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content, tmp_path)
    assert "ұрды" in text  # Kazakh letters of the allegation
    assert APPELLANT_NAME not in text
    assert "Жұмабеков" not in text
    assert not AccessEvent.objects.filter(kind="identity_unsealed").exists()
    assert AccessEvent.objects.filter(kind="appeal_read").count() == 1
    assert AuditEvent.objects.filter(action="referral.letter_exported").count() == 1


def test_identity_only_when_disclosed_and_unsealed_with_a_reason(
    client_for: Callable[[str], Any], appeal: Appeal, make_referral: Any, tmp_path: Path
) -> None:
    referral = make_referral(appeal, discloses=["identity"])
    response = client_for("coordinator").get(
        f"/appeals/referrals/{referral.public_id}/letter/?lang=ru&format=pdf"
    )
    text = _pdf_text(response.content, tmp_path)
    assert "Жұмабеков" in text
    assert APPEAL_CONTENT.split()[0] not in text  # the allegation is not disclosed
    unsealed = AccessEvent.objects.get(kind="identity_unsealed")
    assert unsealed.reason == "referral letter"


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_docx_in_each_language(
    client_for: Callable[[str], Any], appeal: Appeal, make_referral: Any, language: str
) -> None:
    referral = make_referral(appeal, discloses=["allegation", "medical"])
    response = client_for("regional").get(
        f"/appeals/referrals/{referral.public_id}/letter/?lang={language}&format=docx"
    )
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert APPEAL_CONTENT in text
    assert APPELLANT_NAME not in text
    assert referral.reference in text


@pytest.mark.parametrize(
    ("actor", "status"),
    [("auditor", 403), ("monitor", 404), ("liaison", 404), ("admin", 404), ("anonymous", 302)],
)
def test_letter_role_matrix(
    client_for: Callable[[str], Any], appeal: Appeal, make_referral: Any, actor: str, status: int
) -> None:
    referral = make_referral(appeal, discloses=["identity"])
    response = client_for(actor).get(
        f"/appeals/referrals/{referral.public_id}/letter/?lang=ru&format=pdf"
    )
    assert response.status_code == status
    assert not AccessEvent.objects.exists()


def test_unknown_language_is_404(
    client_for: Callable[[str], Any], appeal: Appeal, make_referral: Any
) -> None:
    referral = make_referral(appeal)
    url = f"/appeals/referrals/{referral.public_id}/letter/?lang=de&format=pdf"
    assert client_for("coordinator").get(url).status_code == 404
