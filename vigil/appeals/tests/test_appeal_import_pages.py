"""The import pages of historical appeals: the role matrix (only coordinators), upload →
preview (what will be created, what is already there) → confirm, the templates, errors by row
and column, the file kept encrypted between preview and confirmation, the list's link."""

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from vigil.appeals.models import Appeal
from vigil.appeals.tests.test_appeal_import import (
    HEADER,
    SURNAME,
    WROTE,
    appeal_rows,
    appeals_file,
    csv_bytes,
)
from vigil.core.models import ImportBatch

UPLOAD = "/appeals/import/"
STATUS = {
    "anonymous": 302,
    "coordinator": 200,
    "regional": 403,
    "monitor": 403,
    "auditor": 403,
    "liaison": 403,
    "other_liaison": 403,
    "admin": 403,
}


def _upload(content: bytes, name: str = "appeals.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


@pytest.fixture
def reference(appeal_reference: Any, ref: dict[str, Any]) -> dict[str, Any]:
    return ref


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("actor", list(STATUS))
def test_upload_page_role_matrix(
    client_for: Callable[[str], Client], reference: Any, actor: str, debug: bool
) -> None:
    with override_settings(DEBUG=debug):
        client = client_for(actor)
        assert client.get(UPLOAD).status_code == STATUS[actor]
        assert client.get(f"{UPLOAD}template.csv").status_code == STATUS[actor]
        response = client.post(UPLOAD, {"file": _upload(appeals_file(3))})
    if STATUS[actor] == 200:
        assert response.status_code == 302
        assert ImportBatch.objects.filter(kind="appeals").count() == 1
    else:
        assert response.status_code == STATUS[actor]
        assert not ImportBatch.objects.exists()
    assert not Appeal.objects.exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_templates_import_as_they_are(
    client_for: Callable[[str], Client], reference: Any, fmt: str
) -> None:
    client = client_for("coordinator")
    response = client.get(f"{UPLOAD}template.{fmt}")
    assert response.status_code == 200
    assert "vigil-appeals-template" in response["Content-Disposition"]
    posted = client.post(UPLOAD, {"file": _upload(response.content, f"template.{fmt}")})
    batch = ImportBatch.objects.get()
    assert posted["Location"] == f"{UPLOAD}{batch.public_id}/"
    assert batch.status == ImportBatch.Status.PENDING, batch.summary.get("errors")


@pytest.mark.parametrize("debug", [False, True])
def test_upload_preview_confirm_then_already_there(
    client_for: Callable[[str], Client], reference: Any, debug: bool
) -> None:
    client = client_for("coordinator")
    with override_settings(DEBUG=debug):
        response = client.post(UPLOAD, {"file": _upload(appeals_file(6))})
        batch = ImportBatch.objects.get()
        # the file waits encrypted: neither names nor what was written in clear
        assert SURNAME.encode() not in bytes(batch.content)
        assert WROTE.encode() not in bytes(batch.content)
        preview = client.get(response["Location"])
        assert preview.status_code == 200
        html = preview.content.decode()
        assert "NPM-2023-0000" in html
        assert SURNAME not in html
        assert not Appeal.objects.exists()

        confirmed = client.post(f"{UPLOAD}{batch.public_id}/")
        assert confirmed.status_code == 302
        assert confirmed["Location"] == "/appeals/"
        assert Appeal.objects.count() == 6

        again = client.post(UPLOAD, {"file": _upload(appeals_file(6))})
        second = ImportBatch.objects.exclude(pk=batch.pk).get()
        html = client.get(again["Location"]).content.decode()
        reference_number = Appeal.objects.get(external_id="NPM-2023-0000").reference
        assert reference_number in html  # already imported as …
        client.post(f"{UPLOAD}{second.public_id}/")
    assert Appeal.objects.count() == 6


@pytest.mark.parametrize("actor", ["regional", "monitor", "liaison", "admin", "auditor"])
def test_others_neither_see_nor_confirm_a_preview(
    client_for: Callable[[str], Client], reference: Any, actor: str
) -> None:
    client_for("coordinator").post(UPLOAD, {"file": _upload(appeals_file(2))})
    batch = ImportBatch.objects.get()
    other = client_for(actor)
    assert other.get(f"{UPLOAD}{batch.public_id}/").status_code == 404
    assert other.post(f"{UPLOAD}{batch.public_id}/").status_code == 404
    assert not Appeal.objects.exists()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PENDING


def test_a_bad_file_is_named_and_cannot_be_confirmed(
    client_for: Callable[[str], Client], reference: Any
) -> None:
    rows = appeal_rows(3)
    rows[1][2] = "pigeon"
    client = client_for("coordinator")
    response = client.post(UPLOAD, {"file": _upload(csv_bytes(HEADER, rows))}, follow=True)
    html = response.content.decode()
    assert "channel" in html
    assert "pigeon" in html
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.FAILED
    client.post(f"{UPLOAD}{batch.public_id}/")
    assert not Appeal.objects.exists()


@pytest.mark.parametrize(("actor", "shown"), [("coordinator", True), ("regional", False)])
def test_the_appeals_list_links_to_the_import(
    client_for: Callable[[str], Client], reference: Any, actor: str, shown: bool
) -> None:
    response = client_for(actor).get("/appeals/")
    assert response.status_code == 200
    assert (f'href="{UPLOAD}"' in response.content.decode()) is shown
