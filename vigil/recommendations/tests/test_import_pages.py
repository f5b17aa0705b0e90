"""Import pages: upload → preview → confirm with the role matrix, errors by row and column,
the tally preview, a batch applied only once, the template download."""

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from conftest import ALL_ACTORS
from vigil.accounts.models import User
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.core.importing import import_batch_create
from vigil.core.models import ImportBatch
from vigil.recommendations.models import Recommendation
from vigil.recommendations.tests.test_import import csv_file, row

pytestmark = pytest.mark.django_db

ACTORS = [*ALL_ACTORS, "other_liaison"]
IMPORTERS = {"admin", "coordinator"}


def _upload(content: bytes, name: str = "history.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def _status(actor: str, allowed: bool, denied: int = 403) -> int:
    if actor == "anonymous":
        return 302
    return 200 if allowed else denied


@pytest.mark.parametrize("actor", ACTORS)
def test_upload_page(client_for: Callable[[str], Client], ref: dict[str, Any], actor: str) -> None:
    response = client_for(actor).get("/recommendations/import/")
    assert response.status_code == _status(actor, actor in IMPORTERS)
    if actor in IMPORTERS:
        html = response.content.decode()
        assert "external_ref" in html
        assert "/recommendations/import/template.xlsx" in html


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("actor", ACTORS)
def test_template_download(
    client_for: Callable[[str], Client], ref: dict[str, Any], actor: str, fmt: str
) -> None:
    response = client_for(actor).get(f"/recommendations/import/template.{fmt}")
    assert response.status_code == _status(actor, actor in IMPORTERS)
    if actor in IMPORTERS:
        assert "vigil-recommendations-template" in response["Content-Disposition"]


@pytest.mark.parametrize("actor", ACTORS)
def test_upload_and_confirm(
    client_for: Callable[[str], Client], ref: dict[str, Any], actor: str
) -> None:
    client = client_for(actor)
    content = csv_file([row(1), row(2, status="not_accepted"), row(3, status="in_implementation")])
    response = client.post("/recommendations/import/", {"file": _upload(content)})
    if actor not in IMPORTERS:
        assert response.status_code == _status(actor, False)
        assert not ImportBatch.objects.exists()
        return
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/recommendations/import/{batch.public_id}/"
    preview = client.get(response["Location"]).content.decode()
    assert "HIST-00001" in preview
    assert 'data-testid="confirm-import"' in preview
    assert "Implemented: <strong>1</strong>" in preview
    assert not Recommendation.objects.exists()  # nothing until confirmed

    confirmed = client.post(f"/recommendations/import/{batch.public_id}/")
    assert confirmed.status_code == 302
    assert Recommendation.objects.count() == 3
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLIED
    assert batch.applied_by is not None
    # a second confirmation does nothing
    again = client.post(f"/recommendations/import/{batch.public_id}/", follow=True)
    assert "already been dealt with" in again.content.decode()
    assert Recommendation.objects.count() == 3
    assert AuditEvent.objects.filter(action=AuditAction.RECOMMENDATIONS_IMPORTED).count() == 1


def test_errors_are_listed_by_row_and_column(
    client_for: Callable[[str], Client], ref: dict[str, Any]
) -> None:
    client = client_for("coordinator")
    content = csv_file([row(1), row(2, addressee="NOPE"), row(3, issued_on="31.02.2021")])
    response = client.post("/recommendations/import/", {"file": _upload(content)}, follow=True)
    html = response.content.decode()
    assert "The file has 2 errors; nothing will be imported." in html
    assert "<td>3</td><td><code>addressee</code></td><td>Unknown agency code “NOPE”.</td>" in html
    assert "<td>4</td><td><code>issued_on</code></td>" in html
    assert 'data-testid="confirm-import"' not in html
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.FAILED
    assert client.post(f"/recommendations/import/{batch.public_id}/").status_code == 302
    assert not Recommendation.objects.exists()


def test_unreadable_file_stays_on_the_form(
    client_for: Callable[[str], Client], ref: dict[str, Any]
) -> None:
    response = client_for("coordinator").post(
        "/recommendations/import/", {"file": _upload(b"PK\x03\x04junk", "history.xlsx")}
    )
    assert response.status_code == 200
    assert "not an Excel workbook" in response.content.decode()
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize("actor", ACTORS)
def test_preview_visibility_and_confirm(
    client_for: Callable[[str], Client], users: dict[str, User], ref: dict[str, Any], actor: str
) -> None:
    batch = import_batch_create(
        "recommendations",
        actor=users["coordinator"],
        content=csv_file([row(1)]),
        file_name="history.csv",
    )
    url = f"/recommendations/import/{batch.public_id}/"
    client = client_for(actor)
    assert client.get(url).status_code == _status(actor, actor in IMPORTERS, 404)
    response = client.post(url)
    if actor in IMPORTERS:
        assert response.status_code == 302
        assert Recommendation.objects.count() == 1
    else:
        assert response.status_code == (302 if actor == "anonymous" else 404)
        assert not Recommendation.objects.exists()
        assert not AuditEvent.objects.filter(action=AuditAction.RECOMMENDATIONS_IMPORTED).exists()


def test_unknown_batch_is_404(client_for: Callable[[str], Client]) -> None:
    response = client_for("coordinator").get(
        "/recommendations/import/00000000-0000-0000-0000-000000000000/"
    )
    assert response.status_code == 404
