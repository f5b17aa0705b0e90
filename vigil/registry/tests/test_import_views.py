"""The import pages: upload → preview → confirm, the template, and who may use them."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from conftest import ALL_ACTORS
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.core.models import ImportBatch
from vigil.registry.importing import IMPORT_COLUMNS
from vigil.registry.models import Institution
from vigil.registry.tests.test_import import csv_bytes, make_rows, xlsx_bytes

UPLOAD = "/registry/import/"
ALLOWED = {"admin", "coordinator"}


def preview_url(batch: ImportBatch) -> str:
    return f"/registry/import/{batch.public_id}/"


def upload(client: Client, content: bytes, name: str = "institutions.csv"):  # type: ignore[no-untyped-def]
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, content)})


def imported_events() -> int:
    return AuditEvent.objects.filter(action=AuditAction.INSTITUTIONS_IMPORTED.value).count()


# ---------------------------------------------------------------------------------------
# Who may use the pages
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_upload_page_get_role_matrix(client_for, actor):
    response = client_for(actor).get(UPLOAD)
    if actor == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    elif actor in ALLOWED:
        assert response.status_code == 200
        assert b'enctype="multipart/form-data"' in response.content
        assert b"/registry/import/template.xlsx" in response.content
        assert b"/registry/import/template.csv" in response.content
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_upload_post_role_matrix(client_for, actor):
    response = upload(client_for(actor), csv_bytes(make_rows(3)))
    if actor == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    elif actor in ALLOWED:
        batch = ImportBatch.objects.get()
        assert response.status_code == 302
        assert response["Location"] == preview_url(batch)
        assert Institution.objects.count() == 0  # nothing before the confirmation
        return
    else:
        assert response.status_code == 403
    assert not ImportBatch.objects.exists()
    assert not Institution.objects.exists()
    assert imported_events() == 0


@pytest.mark.parametrize("actor", ALL_ACTORS)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_template_role_matrix(client_for, actor, fmt):
    response = client_for(actor).get(f"/registry/import/template.{fmt}")
    if actor == "anonymous":
        assert response.status_code == 302
    elif actor in ALLOWED:
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
    else:
        assert response.status_code == 403


def test_template_xlsx_has_bold_header_and_an_example_that_imports(client_for, users):
    client = client_for("coordinator")
    content = client.get("/registry/import/template.xlsx").content
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header == list(IMPORT_COLUMNS)
    assert all(c.font.bold for c in sheet[1])
    assert sheet.max_row == 2
    response = upload(client, content, "template.xlsx")
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.PENDING, batch.summary
    assert response.status_code == 302


def test_template_csv_is_utf8_with_bom(client_for):
    content = client_for("admin").get("/registry/import/template.csv").content
    assert content.startswith(b"\xef\xbb\xbf")
    assert content.decode("utf-8-sig").splitlines()[0] == ",".join(IMPORT_COLUMNS)


def test_template_unknown_format_is_404(client_for):
    assert client_for("coordinator").get("/registry/import/template.ods").status_code == 404


# ---------------------------------------------------------------------------------------
# Preview and confirm
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (csv_bytes(make_rows(4), delimiter=";", bom=True), "institutions.csv"),
        (xlsx_bytes(make_rows(4)), "institutions.xlsx"),
    ],
)
def test_preview_then_confirm_imports_and_audits(client_for, users, content, name):
    client = client_for("coordinator")
    response = upload(client, content, name)
    batch = ImportBatch.objects.get()
    assert batch.uploaded_by == users["coordinator"]
    assert batch.file_name == name
    assert batch.file_format == name.rsplit(".", 1)[1]
    assert bytes(batch.content) == content
    assert batch.summary["counts"] == {"create": 4, "update": 0, "unchanged": 0}

    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="confirm-import"' in html
    assert 'data-testid="import-rows"' in html
    assert "IMP-00004" in html
    assert Institution.objects.count() == 0

    confirmed = client.post(preview_url(batch))
    assert confirmed.status_code == 302
    assert confirmed["Location"] == "/registry/institutions/"
    assert Institution.objects.count() == 4
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLIED
    assert batch.applied_by == users["coordinator"]
    assert batch.applied_at is not None
    assert batch.summary["result"] == {"create": 4, "update": 0, "unchanged": 0}
    created = AuditEvent.objects.filter(action=AuditAction.INSTITUTION_CREATED.value)
    assert created.count() == 4
    assert {e.actor for e in created} == {users["coordinator"]}
    summary = AuditEvent.objects.get(action=AuditAction.INSTITUTIONS_IMPORTED.value)
    assert summary.target_id == str(batch.public_id)
    assert summary.data["created"] == 4
    assert summary.data["file_name"] == name


def test_confirming_twice_imports_once(client_for):
    client = client_for("coordinator")
    upload(client, csv_bytes(make_rows(3)))
    batch = ImportBatch.objects.get()
    assert client.post(preview_url(batch)).status_code == 302
    again = client.post(preview_url(batch))
    assert again.status_code == 302
    assert again["Location"] == preview_url(batch)
    assert Institution.objects.count() == 3
    assert imported_events() == 1
    assert AuditEvent.objects.filter(action=AuditAction.INSTITUTION_CREATED.value).count() == 3
    # The applied batch can still be looked at, without a confirm button.
    page = client_for("admin").get(preview_url(batch))
    assert page.status_code == 200
    assert b'data-testid="confirm-import"' not in page.content


def test_preview_with_errors_shows_them_and_offers_no_confirmation(client_for):
    client = client_for("coordinator")
    rows = make_rows(5)
    rows[2]["region"] = "KZ-99"  # row 4
    rows[3]["capacity"] = "-3"  # row 5
    upload(client, csv_bytes(rows))
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.FAILED
    assert [(e["row"], e["column"]) for e in batch.summary["errors"]] == [
        (4, "region"),
        (5, "capacity"),
    ]
    page = client.get(preview_url(batch))
    html = page.content.decode()
    assert 'data-testid="import-errors"' in html
    assert "KZ-99" in html
    assert "<code>region</code>" in html
    assert b'data-testid="confirm-import"' not in page.content
    response = client.post(preview_url(batch))
    assert response.status_code == 302
    assert Institution.objects.count() == 0
    assert imported_events() == 0


def test_confirm_rechecks_the_file(client_for, ref):
    client = client_for("coordinator")
    upload(client, csv_bytes(make_rows(3)))
    batch = ImportBatch.objects.get()
    ref["psych"].delete()  # the file's type code PSYCH_HOSPITAL no longer exists
    response = client.post(preview_url(batch))
    assert response.status_code == 302
    assert response["Location"] == preview_url(batch)
    assert Institution.objects.count() == 0
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert {e["column"] for e in batch.summary["errors"]} == {"type"}


def test_unreadable_upload_is_refused_on_the_form(client_for):
    client = client_for("coordinator")
    response = upload(client, csv_bytes(make_rows(2), encoding="cp1251"))
    assert response.status_code == 200
    assert "CSV UTF-8" in response.content.decode()
    assert 'id="form-errors"' in response.content.decode()
    response = upload(client, b"external_code,name_ru\nA,B\n", "fake.xlsx")
    assert response.status_code == 200
    assert not ImportBatch.objects.exists()


def test_upload_over_the_size_limit_is_refused(client_for, settings):
    settings.VIGIL_IMPORT_MAX_BYTES = 1000
    response = upload(client_for("coordinator"), csv_bytes(make_rows(50)))
    assert response.status_code == 200
    assert 'id="form-errors"' in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_upload_without_a_file_shows_the_error(client_for):
    response = client_for("coordinator").post(UPLOAD, {})
    assert response.status_code == 200
    assert 'id="form-errors"' in response.content.decode()


# ---------------------------------------------------------------------------------------
# Who sees a batch
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("actor", [*ALL_ACTORS, "other_liaison"])
def test_batch_visibility(client_for, users, actor):
    upload(client_for("coordinator"), csv_bytes(make_rows(2)))
    batch = ImportBatch.objects.get()
    get = client_for(actor).get(preview_url(batch))
    post = client_for(actor).post(preview_url(batch))
    if actor == "anonymous":
        assert get.status_code == post.status_code == 302
    elif actor in ALLOWED:
        assert get.status_code == 200
    else:
        assert get.status_code == post.status_code == 404
    if actor not in ALLOWED:
        assert not Institution.objects.exists()
        batch.refresh_from_db()
        assert batch.status == ImportBatch.Status.PENDING


def test_unknown_batch_is_404(client_for):
    response = client_for("coordinator").get(
        "/registry/import/00000000-0000-4000-8000-000000000000/"
    )
    assert response.status_code == 404


def test_uploader_who_lost_the_role_sees_but_cannot_confirm(client_for, users):
    upload(client_for("coordinator"), csv_bytes(make_rows(2)))
    batch = ImportBatch.objects.get()
    coordinator = users["coordinator"]
    coordinator.role = "monitor"
    coordinator.save()
    client = client_for("coordinator")
    assert client.get(preview_url(batch)).status_code == 200
    assert client.post(preview_url(batch)).status_code == 403
    assert not Institution.objects.exists()


def test_preview_escapes_file_content(client_for):
    rows = make_rows(1)
    rows[0]["name_ru"] = "<script>alert(1)</script>"
    client = client_for("coordinator")
    upload(client, csv_bytes(rows))
    page = client.get(preview_url(ImportBatch.objects.get()))
    assert b"<script>alert(1)</script>" not in page.content
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in page.content
