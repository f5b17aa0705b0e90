"""The shared import pages for UN paragraphs (upload → preview → confirm, the template), their
role matrix, and the command run as a user runs it."""

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from vigil.core.importing import import_check
from vigil.core.models import ImportBatch
from vigil.core.tests.commands import ManagePy, migrated
from vigil.international.importing.kind import KIND, SAMPLE
from vigil.international.models import Assessment, Document, Paragraph

UPLOAD = "/international/import/"

STATUS = {
    "anonymous": 302,
    "admin": 200,
    "coordinator": 200,
    "regional": 403,
    "monitor": 403,
    "auditor": 403,
    "liaison": 403,
    "other_liaison": 403,
}


def _upload(content: bytes, name: str = "un.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


@pytest.mark.parametrize("actor", list(STATUS))
def test_import_pages_role_matrix(
    client_for: Callable[[str], Client], un_agencies: Any, actor: str
) -> None:
    client = client_for(actor)
    assert client.get(UPLOAD).status_code == STATUS[actor]
    assert client.get(f"{UPLOAD}template.csv").status_code == STATUS[actor]
    response = client.post(UPLOAD, {"file": _upload(SAMPLE.read_bytes())})
    if STATUS[actor] == 200:
        batch = ImportBatch.objects.get(kind=KIND)
        assert response["Location"] == f"{UPLOAD}{batch.public_id}/"
        assert client.get(response["Location"]).status_code == 200
    else:
        assert response.status_code == STATUS[actor]
        assert not ImportBatch.objects.exists()


def test_a_reader_cannot_see_or_confirm_a_coordinators_upload(
    client_for: Callable[[str], Client], un_agencies: Any
) -> None:
    client_for("coordinator").post(UPLOAD, {"file": _upload(SAMPLE.read_bytes())})
    batch = ImportBatch.objects.get(kind=KIND)
    for actor in ("regional", "monitor", "auditor", "liaison"):
        assert client_for(actor).get(f"{UPLOAD}{batch.public_id}/").status_code == 404
        assert client_for(actor).post(f"{UPLOAD}{batch.public_id}/").status_code == 404
    assert not Document.objects.exists()


def test_upload_preview_confirm(client_for: Callable[[str], Client], un_agencies: Any) -> None:
    client = client_for("coordinator")
    response = client.post(UPLOAD, {"file": _upload(SAMPLE.read_bytes())})
    preview = client.get(response["Location"]).content.decode()
    assert "CAT/C/KAZ/CO/4" in preview
    assert "NGO Coalition against Torture: n/a" in preview
    assert 'data-testid="import-tally"' in preview
    assert not Document.objects.exists()

    confirmed = client.post(response["Location"])

    assert confirmed.status_code == 302
    assert Paragraph.objects.filter(document__symbol="CAT/C/KAZ/CO/4").count() == 8
    assert Assessment.objects.count() == 8


def test_an_upload_with_an_error_names_row_and_column(
    client_for: Callable[[str], Client], un_agencies: Any
) -> None:
    content = SAMPLE.read_bytes().replace(b",T5,", b",T9,")
    client = client_for("coordinator")
    response = client.post(UPLOAD, {"file": _upload(content)}, follow=True)
    html = response.content.decode()
    assert "theme codes" in html
    assert "T9" in html
    assert not Document.objects.exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_template_is_importable(
    client_for: Callable[[str], Client], un_agencies: Any, fmt: str
) -> None:
    response = client_for("coordinator").get(f"{UPLOAD}template.{fmt}")
    assert response.status_code == 200
    plan = import_check(KIND, content=response.content, file_name=f"template.{fmt}")
    assert not plan.errors
    assert len(plan.rows) == 3


# --- the command, as a user runs it --------------------------------------------------------


@pytest.fixture(scope="module")
def manage(tmp_path_factory: pytest.TempPathFactory) -> ManagePy:
    return migrated(tmp_path_factory.mktemp("un-import-command"))


def test_import_un_recommendations_command(manage: ManagePy) -> None:
    dry = manage.ok("import_un_recommendations", str(SAMPLE), "--dry-run")
    assert "8 would be created" in dry.stdout
    assert "assessments: 8 new" in dry.stdout
    assert manage.count("international_paragraph") == 0

    done = manage.ok("import_un_recommendations", str(SAMPLE))
    assert "8 created, 0 updated, 0 unchanged" in done.stdout
    again = manage.ok("import_un_recommendations", str(SAMPLE))
    assert "0 created, 0 updated, 8 unchanged" in again.stdout
    assert manage.count("international_paragraph") == 8
    assert manage.count("international_assessment") == 8
    grades = manage.query(
        "SELECT p.number, g.code, a.reason FROM international_assessment a "
        "JOIN international_paragraph p ON p.id = a.paragraph_id "
        "JOIN international_scalegrade g ON g.id = a.grade_id ORDER BY p.position"
    )
    assert grades[0][:2] == ("10", "2")
    assert grades[5] == (
        "44",
        "n/a",
        "The Ministry of Defence is still closed to NPM and NGO monitoring",
    )


def test_the_command_refuses_a_bad_file(manage: ManagePy, tmp_path: Path) -> None:
    rows = list(csv.reader(io.StringIO(SAMPLE.read_text(encoding="utf-8-sig"))))
    rows[2][rows[0].index("grade")] = "7"
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    path = tmp_path / "bad.csv"
    path.write_text(out.getvalue(), encoding="utf-8")

    result = manage("import_un_recommendations", str(path))

    assert result.returncode != 0
    assert "row 3, column grade" in result.stderr
    assert "nothing was imported" in result.stderr
