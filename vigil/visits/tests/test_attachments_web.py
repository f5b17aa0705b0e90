"""Attachment pages and API: role matrices for the list/upload page, the download and removal,
multipart upload through the API; downloads are attachments, never cached, never sniffed, and
logged; refused requests change nothing and log nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from conftest import ALL_ACTORS
from vigil.audit.enums import AccessKind, AuditAction
from vigil.audit.models import AccessEvent, AuditEvent
from vigil.visits.enums import VisitState
from vigil.visits.models import Attachment, Finding
from vigil.visits.services.attachments import attachment_upload
from vigil.visits.services.interviews import interview_create

from .test_attachments import PDF, jpeg_with_gps

ACTORS = [*ALL_ACTORS, "monitor_outsider", "monitor_lead", "other_liaison"]
WRITERS = {"coordinator", "regional", "monitor", "monitor_lead"}
VISIT_READERS = WRITERS | {"auditor"}
EXE_MESSAGE = "This file is not a JPEG image: it looks like an executable program."
API = "/api/v1/attachments/"


@pytest.fixture
def interview(users, visit):
    return interview_create(
        actor=users["monitor"],
        visit=visit,
        institution=None,
        data={"pseudonym": "Witness Q"},
        content="c",
    )


@pytest.fixture
def finding(users, visit):
    return Finding.objects.create(
        visit=visit,
        institution=visit.institutions.get(),
        theme="T1",
        severity="critical",
        title="Bruises on arrival",
        description="Seen on three detainees.",
        created_by=users["monitor"],
    )


@pytest.fixture
def files(users, visit, interview):
    def add(name, **kwargs):
        return attachment_upload(
            actor=users["monitor"],
            visit=visit,
            file=SimpleUploadedFile(name, PDF),
            name=name,
            **kwargs,
        )

    return {
        "visit": add("visit-file.pdf"),
        "interview": add("interview-file.pdf", interview=interview),
    }


def _state():
    return (
        list(Attachment.objects.order_by("pk").values_list("pk", "storage_name")),
        list(
            AuditEvent.objects.exclude(action=AuditAction.USER_LOGGED_IN).values_list(
                "pk", flat=True
            )
        ),
        AccessEvent.objects.filter(outcome="granted").count(),
    )


def _page(actor, ok, *, auditor):
    if actor == "anonymous":
        return 302
    if actor in WRITERS:
        return ok
    if actor == "auditor":
        return auditor
    return 404


# ---------------------------------------------------------------------------- pages


@pytest.mark.parametrize("actor", ACTORS)
def test_list_page_role_matrix(client_for, visit, files, actor):
    response = client_for(actor).get(f"/visits/{visit.public_id}/attachments/")
    assert response.status_code == _page(actor, 200, auditor=200)
    body = response.content.decode()
    if response.status_code != 200:
        assert "visit-file.pdf" not in body
        return
    assert "visit-file.pdf" in body
    # Files on an interview are listed only to those who may read the interview.
    assert ("interview-file.pdf" in body) == (actor in WRITERS)
    assert ("Add a photo or document" in body) == (actor in WRITERS)


@pytest.mark.parametrize("actor", ACTORS)
def test_upload_page_role_matrix(client_for, visit, actor):
    before = _state()
    response = client_for(actor).post(
        f"/visits/{visit.public_id}/attachments/",
        {"file": SimpleUploadedFile("cell.jpg", jpeg_with_gps()), "description": "Cell 4"},
    )
    assert response.status_code == _page(actor, 302, auditor=403)
    if actor in WRITERS:
        attachment = Attachment.objects.get()
        assert attachment.description == "Cell 4"
        assert attachment.uploaded_by.email.startswith(actor.split("_")[-1])
        assert AuditEvent.objects.filter(action=AuditAction.ATTACHMENT_UPLOADED).count() == 1
    else:
        assert _state() == before


def test_upload_for_a_finding_and_an_interview(client_for, visit, finding, interview):
    client = client_for("monitor")
    url = f"/visits/{visit.public_id}/attachments/"
    page = client.get(url, {"finding": str(finding.public_id)})
    assert page.status_code == 200
    assert "Bruises on arrival" in page.content.decode()
    response = client.post(
        f"{url}?finding={finding.public_id}",
        {"file": SimpleUploadedFile("a.jpg", jpeg_with_gps()), "finding": str(finding.public_id)},
    )
    assert response.status_code == 302
    assert Attachment.objects.get().finding == finding
    response = client.post(
        f"{url}?interview={interview.public_id}",
        {"file": SimpleUploadedFile("b.pdf", PDF), "interview": str(interview.public_id)},
    )
    assert response.status_code == 302
    on_interview = Attachment.objects.get(interview=interview)
    assert on_interview.original_name == "b.pdf"
    on_finding = Attachment.objects.get(finding=finding)
    listing = client.get(url, {"interview": str(interview.public_id)}).content.decode()
    assert f"/visits/attachments/{on_interview.public_id}/download/" in listing
    assert f"/visits/attachments/{on_finding.public_id}/download/" not in listing


@pytest.mark.parametrize("param", ["finding", "interview"])
def test_target_of_another_visit_or_malformed_is_404(
    client_for, make_visit, finding, interview, param
):
    other = make_visit(state=VisitState.ON_SITE)
    target = finding if param == "finding" else interview
    client = client_for("coordinator")
    assert (
        client.get(
            f"/visits/{other.public_id}/attachments/", {param: str(target.public_id)}
        ).status_code
        == 404
    )
    assert client.get(f"/visits/{other.public_id}/attachments/", {param: "nope"}).status_code == 404


def test_auditor_cannot_open_an_interview_upload(client_for, visit, interview):
    response = client_for("auditor").get(
        f"/visits/{visit.public_id}/attachments/", {"interview": str(interview.public_id)}
    )
    assert response.status_code == 404


def test_upload_page_shows_the_clear_refusal(client_for, visit):
    response = client_for("monitor").post(
        f"/visits/{visit.public_id}/attachments/",
        {"file": SimpleUploadedFile("holiday.jpg", b"MZ\x90\x00" + b"\x00" * 100)},
    )
    assert response.status_code == 400
    assert EXE_MESSAGE in response.content.decode()
    assert not Attachment.objects.exists()


@pytest.mark.parametrize("actor", ACTORS)
def test_download_role_matrix(client_for, files, actor):
    client = client_for(actor)
    for key, readers in (("visit", VISIT_READERS), ("interview", WRITERS)):
        attachment = files[key]
        before = AccessEvent.objects.filter(outcome="granted").count()
        response = client.get(f"/visits/attachments/{attachment.public_id}/download/")
        if actor == "anonymous":
            assert response.status_code == 302
        elif actor in readers:
            assert response.status_code == 200
            assert response.content == PDF
            assert response["Content-Type"] == "application/pdf"
            assert response["Content-Disposition"] == f'attachment; filename="{key}-file.pdf"'
            assert response["X-Content-Type-Options"] == "nosniff"
            assert response["Cache-Control"] == "no-store"
            event = AccessEvent.objects.latest("pk")
            assert event.kind == AccessKind.ATTACHMENT_DOWNLOADED
            assert event.target_id == str(attachment.public_id)
            assert AccessEvent.objects.filter(outcome="granted").count() == before + 1
            continue
        else:
            assert response.status_code == 404
        assert AccessEvent.objects.filter(outcome="granted").count() == before


def test_downloaded_photo_has_no_exif(client_for, visit):
    client = client_for("monitor")
    client.post(
        f"/visits/{visit.public_id}/attachments/",
        {"file": SimpleUploadedFile("gps.jpg", jpeg_with_gps())},
    )
    attachment = Attachment.objects.get()
    response = client.get(f"/visits/attachments/{attachment.public_id}/download/")
    assert response.status_code == 200
    assert b"Exif" not in response.content
    assert not Image.open(io.BytesIO(response.content)).getexif()


def test_download_name_is_safe(client_for, users, visit):
    attachment = attachment_upload(
        actor=users["monitor"],
        visit=visit,
        file=SimpleUploadedFile("x.pdf", PDF),
        name='Акт "5"\r\nSet-Cookie: a=b.pdf',
    )
    response = client_for("monitor").get(f"/visits/attachments/{attachment.public_id}/download/")
    disposition = response["Content-Disposition"]
    assert "\r" not in disposition
    assert "\n" not in disposition
    assert disposition.startswith("attachment; filename*=utf-8''")


@pytest.mark.parametrize("actor", ACTORS)
def test_delete_role_matrix(client_for, files, actor):
    attachment = files["visit"]  # uploaded by the monitor
    before = _state()
    response = client_for(actor).post(f"/visits/attachments/{attachment.public_id}/delete/")
    may = actor in {"coordinator", "regional", "monitor"}
    expected = 302 if (may or actor == "anonymous") else 403 if actor in VISIT_READERS else 404
    assert response.status_code == expected
    assert Attachment.objects.filter(pk=attachment.pk).exists() == (not may)
    if not may:
        assert _state() == before
    else:
        assert AuditEvent.objects.filter(action=AuditAction.ATTACHMENT_DELETED).count() == 1


def test_list_page_runs_constant_queries(client_for, users, visit, interview):
    client = client_for("monitor")
    url = f"/visits/{visit.public_id}/attachments/"
    client.get(url)

    def add(n):
        for i in range(n):
            attachment_upload(
                actor=users["monitor" if i % 2 else "monitor_lead"],
                visit=visit,
                file=SimpleUploadedFile("f.pdf", PDF),
                interview=interview if i % 3 == 0 else None,
            )

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    add(4)  # every kind of row: on the visit or an interview, uploaded by the user or not
    few = count()
    add(9)
    assert count() == few


# ---------------------------------------------------------------------------- API


@pytest.mark.parametrize("actor", ACTORS)
def test_api_list_and_detail(client_for, files, actor):
    client = client_for(actor)
    listing = client.get(API)
    if actor == "anonymous":
        assert listing.status_code in (401, 403)
        return
    assert listing.status_code == 200
    names = sorted(row["file_name"] for row in listing.json()["results"])
    expected = []
    if actor in VISIT_READERS:
        expected.append("visit-file.pdf")
    if actor in WRITERS:
        expected.append("interview-file.pdf")
    assert names == sorted(expected)
    for key, readers in (("visit", VISIT_READERS), ("interview", WRITERS)):
        detail = client.get(f"{API}{files[key].public_id}/")
        assert detail.status_code == (200 if actor in readers else 404)
    assert not AccessEvent.objects.filter(outcome="granted").exists()


@pytest.mark.parametrize("actor", ACTORS)
def test_api_upload_role_matrix(client_for, visit, actor):
    before = _state()
    response = client_for(actor).post(
        API,
        {
            "file": SimpleUploadedFile("cell.jpg", jpeg_with_gps()),
            "visit": str(visit.public_id),
            "description": "Cell",
        },
    )
    if actor == "anonymous":
        assert response.status_code in (401, 403)
    elif actor in WRITERS:
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["kind"] == "photo"
        assert body["content_type"] == "image/jpeg"
        assert body["download_url"].endswith(f"/api/v1/attachments/{body['id']}/download/")
        return
    elif actor == "auditor":
        assert response.status_code == 403
    else:
        assert response.status_code == 400
        assert "visit" in response.json()["errors"]
    assert _state() == before


def test_api_upload_refuses_executable(client_for, visit):
    response = client_for("monitor").post(
        API,
        {
            "file": SimpleUploadedFile("holiday.jpg", b"MZ\x90\x00" + b"\x00" * 100),
            "visit": str(visit.public_id),
        },
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"file": [EXE_MESSAGE]}
    assert not Attachment.objects.exists()


def test_api_upload_to_an_interview(client_for, visit, interview):
    response = client_for("monitor").post(
        API,
        {
            "file": SimpleUploadedFile("scan.pdf", PDF),
            "visit": str(visit.public_id),
            "interview": str(interview.public_id),
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["interview"] == str(interview.public_id)
    # The auditor cannot even name the interview.
    response = client_for("auditor").post(
        API,
        {
            "file": SimpleUploadedFile("scan.pdf", PDF),
            "visit": str(visit.public_id),
            "interview": str(interview.public_id),
        },
    )
    assert response.status_code in (400, 403)
    assert Attachment.objects.count() == 1


def test_api_upload_json_is_refused(client_for, visit):
    response = client_for("monitor").post(
        API, {"visit": str(visit.public_id)}, content_type="application/json"
    )
    assert response.status_code == 415


@pytest.mark.parametrize("actor", ACTORS)
def test_api_download_role_matrix(client_for, files, actor):
    client = client_for(actor)
    for key, readers in (("visit", VISIT_READERS), ("interview", WRITERS)):
        attachment = files[key]
        before = AccessEvent.objects.filter(outcome="granted").count()
        response = client.get(f"{API}{attachment.public_id}/download/")
        if actor == "anonymous":
            assert response.status_code in (401, 403)
        elif actor in readers:
            assert response.status_code == 200
            assert response.content == PDF
            assert response["X-Content-Type-Options"] == "nosniff"
            assert response["Cache-Control"] == "no-store"
            assert response["Content-Disposition"].startswith("attachment;")
            assert AccessEvent.objects.filter(outcome="granted").count() == before + 1
            continue
        else:
            assert response.status_code == 404
        assert AccessEvent.objects.filter(outcome="granted").count() == before


@pytest.mark.parametrize("actor", ACTORS)
def test_api_delete_role_matrix(client_for, files, actor):
    attachment = files["visit"]
    before = _state()
    response = client_for(actor).delete(f"{API}{attachment.public_id}/")
    may = actor in {"coordinator", "regional", "monitor"}
    if actor == "anonymous":
        assert response.status_code in (401, 403)
    elif may:
        assert response.status_code == 204
    else:
        assert response.status_code == (403 if actor in VISIT_READERS else 404)
    assert Attachment.objects.filter(pk=attachment.pk).exists() == (not may)
    if not may:
        assert _state() == before


def test_api_filters(client_for, files, interview):
    client = client_for("coordinator")
    rows = client.get(API, {"interview": str(interview.public_id)}).json()["results"]
    assert [r["file_name"] for r in rows] == ["interview-file.pdf"]
    assert client.get(API, {"visit": "bad"}).status_code == 400
