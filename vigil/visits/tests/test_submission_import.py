"""Submissions exported from KoBoToolbox (XLSX, a sheet per repeat group) and ODK Central
(a ZIP of CSV files) imported through the shared pipeline: the answers and findings land on
the visit each row names, as if sent from a phone; importing again changes nothing; an edited
submission becomes a revision; errors name the row and column; who may import, and the
visit's capture XLSForm to deploy there."""

import csv
import io
import uuid
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from vigil.core.importing import import_apply, import_check
from vigil.core.importing.services import ImportValidationError
from vigil.visits.enums import VisitState
from vigil.visits.models import ChecklistAnswer, DeviceSubmission, Finding, SubmissionSource, Visit
from vigil.visits.services.checklist_templates import checklist_templates_load
from vigil.visits.xlsform.capture import capture_form_id
from vigil.visits.xlsform.writing import xlsform_to_xform

pytestmark = pytest.mark.django_db

KIND = "checklist_submissions"
FIRST = f"uuid:{uuid.uuid4()}"
EDITED = f"uuid:{uuid.uuid4()}"


@pytest.fixture
def onsite(make_visit: Any) -> Visit:
    checklist_templates_load()
    return make_visit(state=VisitState.ON_SITE)


def form_of(visit: Visit) -> str:
    return capture_form_id(visit.public_id, visit.institutions.get().public_id)


def kobo_xlsx(form: str, *, number: str = "14", edited: bool = True) -> bytes:
    book = Workbook()
    main = book.worksheets[0]
    main.title = "Checklist"
    main.append(
        [
            "start",
            "T1/PEN-T1-01",
            "T1/PEN-T1-03",
            "T8/PEN-T8-01",
            "vigil_form",
            "meta/instanceID",
            "meta/deprecatedID",
            "_id",
            "_uuid",
            "_index",
        ]
    )
    main.append(
        [
            "2026-12-01T10:00:00",
            "no",
            number,
            "Камерада 14 адам.",
            form,
            FIRST,
            None,
            1,
            FIRST[5:],
            1,
        ]
    )
    if edited:
        main.append(
            [
                "2026-12-01T12:00:00",
                "yes",
                number,
                "Камерада 14 адам.",
                form,
                EDITED,
                FIRST,
                2,
                EDITED[5:],
                2,
            ]
        )
    findings = book.create_sheet("vigil_findings")
    findings.append(
        [
            "vigil_findings/theme",
            "vigil_findings/severity",
            "vigil_findings/title",
            "vigil_findings/description",
            "vigil_findings/photo",
            "_index",
            "_parent_index",
            "_parent_table_name",
        ]
    )
    findings.append(
        [
            "T3",
            "serious",
            "Cell 12 overcrowded",
            "Fourteen people for eight beds.",
            "cell12.jpg",
            1,
            1,
            "Checklist",
        ]
    )
    if edited:
        findings.append(
            [
                "T3",
                "critical",
                "Cell 12 overcrowded",
                "Fourteen people for eight beds.",
                "cell12.jpg",
                2,
                2,
                "Checklist",
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def central_zip(form: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            f"{form}.csv",
            _csv(
                [
                    [
                        "SubmissionDate",
                        "T1-PEN-T1-01",
                        "T1-PEN-T1-04",
                        "vigil_form",
                        "meta-instanceID",
                        "KEY",
                        "SubmitterID",
                    ],
                    ["2026-12-01T10:00:00.000Z", "partial", "yes", form, FIRST, FIRST, "5"],
                ]
            ),
        )
        archive.writestr(
            f"{form}-vigil_findings.csv",
            _csv(
                [
                    ["theme", "severity", "title", "description", "photo", "PARENT_KEY", "KEY"],
                    [
                        "T1",
                        "moderate",
                        "No call button",
                        "Cells lack a call button.",
                        "",
                        FIRST,
                        f"{FIRST}/vigil_findings[1]",
                    ],
                ]
            ),
        )
    return out.getvalue()


def stored(code: str) -> object:
    return ChecklistAnswer.objects.get(question__code=code).value


def test_kobo_export_through_the_pages(client_for, users, participants, onsite):
    client = client_for("monitor")
    upload = SimpleUploadedFile("checklist.xlsx", kobo_xlsx(form_of(onsite)))
    response = client.post("/visits/submissions/import/", {"file": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    preview = client.get(response["Location"]).content.decode()
    assert onsite.reference in preview
    confirmed = client.post(response["Location"])
    assert confirmed.status_code == 302
    first, edited = DeviceSubmission.objects.order_by("revision")
    assert first.source == SubmissionSource.KOBO
    assert (first.instance_id, edited.instance_id, edited.revision) == (FIRST, EDITED, 2)
    assert edited.replaces == first
    assert stored("PEN-T1-01") == "yes"
    assert stored("PEN-T1-03") == 14
    assert stored("PEN-T8-01") == "Камерада 14 адам."
    finding = Finding.objects.get(visit=onsite)
    assert finding.severity == "critical"  # updated by the revision, not created twice
    assert first.pending_files == {
        "cell12.jpg": {"finding": str(finding.public_id), "description": "Cell 12 overcrowded"}
    }


def test_odk_central_zip_and_a_second_import_changes_nothing(users, participants, onsite):
    content = central_zip(form_of(onsite))
    result = import_apply(KIND, actor=users["monitor"], content=content, file_name="export.zip")
    assert (result.created, result.unchanged) == (1, 0)
    submission = DeviceSubmission.objects.get()
    assert submission.source == SubmissionSource.ODK_CENTRAL
    assert stored("PEN-T1-01") == "partial"
    assert stored("PEN-T1-04") == "yes"
    assert Finding.objects.get(visit=onsite).title == "No call button"
    again = import_apply(KIND, actor=users["monitor"], content=content, file_name="export.zip")
    assert (again.created, again.unchanged) == (0, 1)
    assert DeviceSubmission.objects.count() == 1
    assert Finding.objects.filter(visit=onsite).count() == 1


def test_errors_name_the_row_and_column_and_nothing_is_written(
    users, participants, make_visit, onsite
):
    plan = import_check(
        KIND,
        content=kobo_xlsx(form_of(onsite), number="-3", edited=False),
        file_name="k.xlsx",
        actor=users["monitor"],
    )
    assert [(e.row, e.column) for e in plan.errors] == [(2, "PEN-T1-03")]
    outsider_plan = import_check(
        KIND,
        content=kobo_xlsx(form_of(onsite), edited=False),
        file_name="k.xlsx",
        actor=users["monitor_outsider"],
    )
    assert [(e.row, e.column) for e in outsider_plan.errors] == [(2, "vigil_form")]
    closed = make_visit(state=VisitState.REPORT_DRAFT)
    closed_plan = import_check(
        KIND,
        content=kobo_xlsx(form_of(closed), edited=False),
        file_name="k.xlsx",
        actor=users["monitor"],
    )
    assert "closed" in closed_plan.errors[0].message
    with pytest.raises(ImportValidationError):
        import_apply(
            KIND,
            actor=users["monitor"],
            content=kobo_xlsx(form_of(onsite), number="-3"),
            file_name="k.xlsx",
        )
    assert not DeviceSubmission.objects.exists()
    assert not ChecklistAnswer.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("monitor", 200),
        ("coordinator", 200),
        ("regional", 200),
        ("admin", 404),
        ("liaison", 404),
        ("auditor", 404),
    ],
)
def test_who_opens_the_import_page(client_for, role, status):
    assert client_for(role).get("/visits/submissions/import/").status_code in (
        (status,) if status == 200 else (403, 404)
    )


def test_the_visits_capture_xlsform(client_for, users, participants, onsite):
    institution = onsite.institutions.get()
    url = f"/visits/{onsite.public_id}/checklists/xlsform/{institution.public_id}/"
    response = client_for("monitor").get(url)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book["survey"].iter_rows(values_only=True))
    calculate = next(r for r in rows if r[1] == "vigil_form")
    assert calculate[-1] == f"'{form_of(onsite)}'"
    assert f'id="{form_of(onsite)}"' in xlsform_to_xform(response.content)
    for role in ("liaison", "admin", "monitor_outsider"):
        assert client_for(role).get(url).status_code in (403, 404)
    overview = client_for("monitor").get(f"/visits/{onsite.public_id}/checklists/").content.decode()
    assert url in overview
    assert "/visits/submissions/import/" in overview
