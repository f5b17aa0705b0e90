"""The checklist templates page, its XLSForm downloads and the XLSForm import page: the role
matrix (DEBUG off and on), an import that succeeds, and one refused whole with its errors
listed by sheet, row and column."""

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from openpyxl import load_workbook

from conftest import ALL_ACTORS
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.visits.models import ChecklistTemplate
from vigil.visits.services.checklist_templates import checklist_templates_load
from vigil.visits.xlsform import template_to_xlsform

pytestmark = pytest.mark.django_db
LIST_URL = "/visits/checklist-templates/"
IMPORT_URL = "/visits/checklist-templates/import/"
MANAGERS = {"admin", "coordinator"}


@pytest.fixture
def loaded(db: Any) -> ChecklistTemplate:
    checklist_templates_load()
    return ChecklistTemplate.objects.get(code="DEFAULT_POLICE")


def _login_redirect(page: Any) -> bool:
    return page.status_code == 302 and page["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_list_and_download_role_matrix(client_for, loaded, actor, debug):
    client = client_for(actor)
    with override_settings(DEBUG=debug):
        page = client.get(LIST_URL)
        download = client.get(f"/visits/checklist-templates/{loaded.code}/xlsform/")
        missing = client.get("/visits/checklist-templates/NO_SUCH/xlsform/")
    if actor == "anonymous":
        assert _login_redirect(page)
        assert _login_redirect(download)
        assert _login_redirect(missing)
        return
    assert page.status_code == 200
    body = page.content.decode()
    assert "DEFAULT_POLICE" in body
    assert f"/visits/checklist-templates/{loaded.code}/xlsform/" in body
    assert (IMPORT_URL in body) == (actor in MANAGERS)
    assert download.status_code == 200
    assert download["Content-Disposition"] == (
        f'attachment; filename="DEFAULT_POLICE-v{loaded.version}.xlsx"'
    )
    workbook = load_workbook(io.BytesIO(download.content))
    assert workbook.sheetnames == ["survey", "choices", "settings"]
    assert missing.status_code == 404


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_import_page_role_matrix(client_for, loaded, actor, debug):
    client = client_for(actor)
    content = template_to_xlsform(loaded)
    with override_settings(DEBUG=debug):
        page = client.get(IMPORT_URL)
        posted = client.post(
            IMPORT_URL, {"file": SimpleUploadedFile("police.xlsx", content)}, follow=False
        )
    if actor == "anonymous":
        assert _login_redirect(page)
        assert _login_redirect(posted)
    elif actor in MANAGERS:
        assert page.status_code == 200
        assert "Import a checklist template" in page.content.decode()
        assert posted.status_code == 302
        assert posted["Location"] == LIST_URL
    else:
        assert page.status_code == 403
        assert posted.status_code == 403
    assert ChecklistTemplate.objects.get(code="DEFAULT_POLICE").version == loaded.version


def test_an_import_that_changes_a_question_makes_a_new_version(client_for, loaded, users):
    workbook = load_workbook(io.BytesIO(template_to_xlsform(loaded)))
    survey = workbook["survey"]
    en = next(c.column for c in survey[1] if c.value == "label::English (en)")
    row = next(r for r in range(2, survey.max_row + 1) if survey.cell(r, 1).value == "text")
    survey.cell(row, en).value = "Reworded?"
    out = io.BytesIO()
    workbook.save(out)
    client = client_for("coordinator")
    posted = client.post(
        IMPORT_URL, {"file": SimpleUploadedFile("police.xlsx", out.getvalue())}, follow=True
    )
    assert posted.status_code == 200
    new_version = loaded.version + 1
    assert f"Template DEFAULT_POLICE imported: version {new_version}" in posted.content.decode()
    event = AuditEvent.objects.get(action=AuditAction.CHECKLIST_TEMPLATE_IMPORTED)
    assert event.actor == users["coordinator"]


def test_a_refused_import_lists_its_errors_and_writes_nothing(client_for, loaded):
    workbook = load_workbook(io.BytesIO(template_to_xlsform(loaded)))
    survey = workbook["survey"]
    survey.cell(3, 1).value = "geopoint"
    out = io.BytesIO()
    workbook.save(out)
    before = list(ChecklistTemplate.objects.values_list("code", "version", "updated_at"))
    page = client_for("admin").post(
        IMPORT_URL, {"file": SimpleUploadedFile("police.xlsx", out.getvalue())}
    )
    assert page.status_code == 400
    body = page.content.decode()
    assert "The file has 1 error; nothing was imported." in body
    assert "<td>survey</td><td>3</td><td><code>type</code></td>" in body
    assert "Unknown or unsupported type “geopoint”" in body
    assert list(ChecklistTemplate.objects.values_list("code", "version", "updated_at")) == before
    assert not AuditEvent.objects.filter(action=AuditAction.CHECKLIST_TEMPLATE_IMPORTED).exists()
