"""The shared import pages for criminal cases and accountability records: upload → preview →
confirm, the template, the role matrix, errors by row and column."""

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from vigil.appeals.models import AccountabilityRecord, CriminalCase
from vigil.appeals.tests.test_case_import import accountability_2023, cases_2023
from vigil.core.models import ImportBatch


def _upload(content: bytes, name: str = "history.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


STATUS = {
    "anonymous": 302,
    "coordinator": 200,
    "regional": 403,
    "monitor": 403,
    "auditor": 403,
    "liaison": 403,
    "admin": 403,
}


@pytest.mark.parametrize("actor", list(STATUS))
@pytest.mark.parametrize("path", ["/appeals/cases/import/", "/appeals/accountability/import/"])
def test_upload_page_role_matrix(
    client_for: Callable[[str], Client], appeal_reference: Any, actor: str, path: str
) -> None:
    assert client_for(actor).get(path).status_code == STATUS[actor]
    response = client_for(actor).post(path, {"file": _upload(cases_2023(3, 1))})
    if STATUS[actor] != 200:
        assert response.status_code == STATUS[actor]
        assert not ImportBatch.objects.exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_templates(client_for: Callable[[str], Client], appeal_reference: Any, fmt: str) -> None:
    client = client_for("coordinator")
    for path in ("/appeals/cases/import/", "/appeals/accountability/import/"):
        response = client.get(f"{path}template.{fmt}")
        assert response.status_code == 200
        assert len(response.content) > 50


def test_cases_upload_preview_confirm(
    client_for: Callable[[str], Client], appeal_reference: Any, ref: Any
) -> None:
    client = client_for("coordinator")
    response = client.post("/appeals/cases/import/", {"file": _upload(cases_2023(20, 2))})
    batch = ImportBatch.objects.get()
    assert response["Location"] == f"/appeals/cases/import/{batch.public_id}/"
    preview = client.get(response["Location"]).content.decode()
    assert "PGO-2023-0001" in preview
    assert not CriminalCase.objects.exists()
    confirmed = client.post(f"/appeals/cases/import/{batch.public_id}/")
    assert confirmed.status_code == 302
    assert CriminalCase.objects.count() == 20


def test_accountability_upload_with_an_error_is_named(
    client_for: Callable[[str], Client], appeal_reference: Any, ref: Any
) -> None:
    content = accountability_2023().replace(
        b"ACC-0003,2023-04-15,disciplinary,commissioner", b"ACC-0003,2023-04-15,disciplinary,mayor"
    )
    client = client_for("coordinator")
    response = client.post(
        "/appeals/accountability/import/", {"file": _upload(content)}, follow=True
    )
    html = response.content.decode()
    assert "initiative" in html
    assert "mayor" in html
    assert not AccountabilityRecord.objects.exists()
