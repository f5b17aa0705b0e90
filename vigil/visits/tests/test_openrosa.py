"""The OpenRosa server driven as ODK Collect drives it (docs.getodk.org/openrosa): the form
list, the form and its manifest, HEAD then POST of multipart submissions; the answers,
findings and photos on the visit; a resent instance changing nothing; an edited instance
recorded as a revision whose changes never overwrite what a teammate changed meanwhile."""

import base64
import io
import uuid
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from vigil.accounts.enums import TokenKind
from vigil.accounts.models import User
from vigil.accounts.tokens import api_token_issue
from vigil.visits.enums import VisitState
from vigil.visits.models import Attachment, ChecklistAnswer, DeviceSubmission, Finding, Visit
from vigil.visits.services.checklist_templates import checklist_templates_load
from vigil.visits.services.checklists import checklist_answer
from vigil.visits.xlsform import xform_validate

pytestmark = pytest.mark.django_db

XF = "{http://www.w3.org/2002/xforms}"
FORM_LIST = "{http://openrosa.org/xforms/xformsList}"
HEADERS: dict[str, Any] = {
    "HTTP_X_OPENROSA_VERSION": "1.0",
    "HTTP_DATE": "Mon, 07 Dec 2026 10:00:00 GMT",
}


def basic(email: str, password: str) -> dict[str, Any]:
    token = base64.b64encode(f"{email}:{password}".encode()).decode()
    return {**HEADERS, "HTTP_AUTHORIZATION": f"Basic {token}"}


def app_password(user: User) -> dict[str, Any]:
    _token, key = api_token_issue(user=user, name="phone", kind=TokenKind.COLLECT)
    return basic(user.email, key)


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (10, 120, 200)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def onsite(make_visit: Any) -> Visit:
    checklist_templates_load()
    return make_visit(state=VisitState.ON_SITE)  # a medium-security colony: penal checklist


def listed(client: Client, auth: dict[str, Any]) -> list[dict[str, str]]:
    response = client.get("/openrosa/formList", **auth)
    assert response.status_code == 200
    assert response["X-OpenRosa-Version"] == "1.0"
    assert response["Content-Type"].startswith("text/xml")
    root = ET.fromstring(response.content)  # noqa: S314
    assert root.tag == f"{FORM_LIST}xforms"
    return [
        {child.tag.removeprefix(FORM_LIST): child.text or "" for child in form}
        for form in root.findall(f"{FORM_LIST}xform")
    ]


def instance_xml(xform: str, values: dict[str, str], **extra: Any) -> bytes:
    """An instance as ODK Collect writes it from the downloaded form: the form's own primary
    instance, its leaves filled, repeats added, meta/instanceID set."""
    model = ET.fromstring(xform).find(f".//{XF}model")  # noqa: S314
    assert model is not None
    primary = model.find(f"{XF}instance")
    assert primary is not None
    root = next(iter(primary))
    ET.register_namespace("", XF[1:-1])
    for parent in list(root.iter()):
        for child in list(parent):
            if child.get("{http://openrosa.org/javarosa}template") is not None:
                parent.remove(child)
    for element in root.iter():
        name = element.tag.removeprefix(XF)
        if name in values:
            element.text = values[name]
    for repeat, entries in extra.get("repeats", {}).items():
        for entry in entries:
            node = ET.SubElement(root, f"{XF}{repeat}")
            for key, value in entry.items():
                ET.SubElement(node, f"{XF}{key}").text = value
    meta = root.find(f"{XF}meta")
    assert meta is not None
    meta.find(f"{XF}instanceID").text = extra["instance_id"]  # type: ignore[union-attr]
    if extra.get("deprecated_id"):
        ET.SubElement(meta, f"{XF}deprecatedID").text = extra["deprecated_id"]
    return ET.tostring(root, encoding="utf-8")


def submit(client: Client, auth: dict[str, Any], xml: bytes, **files: bytes) -> Any:
    head = client.generic("HEAD", "/openrosa/submission", **auth)
    assert head.status_code == 204
    assert int(head["X-OpenRosa-Accept-Content-Length"]) > 1_000_000
    parts: dict[str, Any] = {
        "xml_submission_file": SimpleUploadedFile("submission.xml", xml, "text/xml")
    }
    for name, content in files.items():
        parts[name.replace("_", ".")] = SimpleUploadedFile(
            name.replace("_", "."), content, "image/jpeg"
        )
    return client.post("/openrosa/submission", parts, **auth)


def stored(code: str) -> object:
    return ChecklistAnswer.objects.get(question__code=code).value


def test_without_credentials_a_basic_challenge(client, onsite):
    for url in ("/openrosa/formList", "/openrosa/submission"):
        response = client.generic("HEAD" if "submission" in url else "GET", url, **HEADERS)
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith('Basic realm="Vigil"')
        assert response["X-OpenRosa-Version"] == "1.0"


def test_the_account_password_and_api_tokens_do_not_open_it(client, users, participants, onsite):
    from vigil.accounts.tests.fixtures import api_key

    monitor = users["monitor"]
    assert (
        client.get("/openrosa/formList", **basic(monitor.email, "test-pass-123")).status_code == 401
    )
    assert (
        client.get("/openrosa/formList", **basic(monitor.email, api_key(monitor))).status_code
        == 401
    )
    auth = app_password(monitor)
    assert (
        client.get(
            "/openrosa/formList", **basic("lead@test.vigil", auth["HTTP_AUTHORIZATION"])
        ).status_code
        == 401
    )
    # …and an app password does not open the API.
    _token, key = api_token_issue(user=monitor, name="phone 2", kind=TokenKind.COLLECT)
    assert client.get("/api/v1/visits/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_form_list_download_manifest_and_odk_validate(client, users, participants, onsite):
    auth = app_password(users["monitor"])
    forms = listed(client, auth)
    assert len(forms) == 1
    form = forms[0]
    institution = onsite.institutions.get()
    assert form["formID"] == f"vigil-{onsite.public_id.hex}-{institution.public_id.hex}"
    assert onsite.reference in form["name"]
    download = client.get(form["downloadUrl"], **auth)
    assert download.status_code == 200
    import hashlib

    assert form["hash"] == "md5:" + hashlib.md5(download.content).hexdigest()  # noqa: S324
    assert xform_validate(download.content.decode()) is not None  # ODK Validate accepts it
    manifest = client.get(form["manifestUrl"], **auth)
    assert manifest.status_code == 200
    assert b"xformsManifest" in manifest.content
    assert listed(client, auth) == forms  # the same form at each refresh


def test_only_the_visits_one_is_on_while_checklists_are_filled(
    client, users, participants, make_visit, onsite
):
    outsider = app_password(users["monitor_outsider"])
    assert listed(client, outsider) == []
    form = listed(client, app_password(users["monitor"]))[0]
    assert client.get(form["downloadUrl"], **outsider).status_code == 404
    # a coordinator sees every visit on the web, but only those they are on here
    assert listed(client, app_password(users["coordinator"])) == []
    make_visit(state=VisitState.PLANNED)
    assert len(listed(client, app_password(users["monitor"]))) == 1
    onsite.state = VisitState.REPORT_DRAFT
    onsite.save()
    assert listed(client, app_password(users["monitor"])) == []
    with pytest.raises(Exception, match="visit teams"):
        api_token_issue(user=users["liaison"], name="phone", kind=TokenKind.COLLECT)


def test_submission_saves_answers_findings_photos_once_and_revisions(
    client, users, participants, onsite
):
    auth = app_password(users["monitor"])
    form = listed(client, auth)[0]
    xform = client.get(form["downloadUrl"], **auth).content.decode()
    first = f"uuid:{uuid.uuid4()}"
    values = {"PEN-T1-01": "no", "PEN-T1-03": "14", "PEN-T1-04": "partial"}
    finding = {
        "theme": "T3",
        "severity": "serious",
        "title": "Cell 12 overcrowded",
        "description": "Fourteen people for eight beds.",
        "photo": "cell12.jpg",
    }
    xml = instance_xml(
        xform,
        values,
        instance_id=first,
        repeats={
            "vigil_findings": [finding],
            "vigil_photos": [{"photo": "yard.jpg", "description": "Exercise yard"}],
        },
    )
    response = submit(client, auth, xml, cell12_jpg=jpeg(), yard_jpg=jpeg())
    assert response.status_code == 201, response.content
    assert b"submit_success" in response.content
    assert stored("PEN-T1-01") == "no"
    assert stored("PEN-T1-03") == 14
    saved = Finding.objects.get(visit=onsite)
    assert saved.title == "Cell 12 overcrowded"
    assert saved.severity == "serious"
    assert Attachment.objects.filter(visit=onsite).count() == 2
    assert Attachment.objects.filter(finding=saved).count() == 1

    # The same instance again (the phone did not get the answer): 202, nothing changes.
    again = submit(client, auth, xml, cell12_jpg=jpeg(), yard_jpg=jpeg())
    assert again.status_code == 202
    assert DeviceSubmission.objects.count() == 1
    assert Attachment.objects.filter(visit=onsite).count() == 2
    assert ChecklistAnswer.objects.filter(response__visit=onsite).count() == 3

    # A teammate corrects one answer on the web; then the phone sends an edited instance.
    response_row = DeviceSubmission.objects.get().response
    question = response_row.template.questions.get(code="PEN-T1-04")
    checklist_answer(
        actor=users["monitor_lead"], response=response_row, question=question, value="yes"
    )
    edited = instance_xml(
        xform,
        {**values, "PEN-T1-01": "yes", "PEN-T1-04": "no"},
        instance_id=f"uuid:{uuid.uuid4()}",
        deprecated_id=first,
        repeats={
            "vigil_findings": [{**finding, "severity": "critical"}],
            "vigil_photos": [{"photo": "yard.jpg", "description": "Exercise yard"}],
        },
    )
    response = submit(client, auth, edited, cell12_jpg=jpeg(), yard_jpg=jpeg())
    assert response.status_code == 201, response.content
    assert b"not applied" in response.content
    revision = DeviceSubmission.objects.get(revision=2)
    assert revision.replaces is not None
    assert revision.replaces.instance_id == first
    assert stored("PEN-T1-01") == "yes"  # changed by the revision
    assert stored("PEN-T1-04") == "yes"  # the teammate's answer kept…
    assert revision.conflicts == [{"question": "PEN-T1-04", "device": "no", "saved": "yes"}]
    assert Finding.objects.get(visit=onsite).severity == "critical"  # the same finding, updated
    assert Attachment.objects.filter(visit=onsite).count() == 2  # photos not stored twice


def test_bad_submissions_are_refused_with_a_message(client, users, participants, onsite):
    auth = app_password(users["monitor"])
    form = listed(client, auth)[0]
    xform = client.get(form["downloadUrl"], **auth).content.decode()
    bad = instance_xml(xform, {"PEN-T1-03": "-3"}, instance_id=f"uuid:{uuid.uuid4()}")
    response = submit(client, auth, bad)
    assert response.status_code == 400
    assert b"PEN-T1-03" in response.content
    wrong_finding = {"theme": "T9", "severity": "serious", "title": "", "description": "x"}
    response = submit(
        client,
        auth,
        instance_xml(
            xform,
            {},
            instance_id=f"uuid:{uuid.uuid4()}",
            repeats={"vigil_findings": [wrong_finding]},
        ),
    )
    assert response.status_code == 400
    assert b"finding 1: theme: " in response.content
    assert b"title: " in response.content
    xxe = b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d id="x">&x;</d>'
    assert submit(client, auth, xxe).status_code == 400
    assert submit(client, auth, b"<not xml").status_code == 400
    other = instance_xml(xform, {}, instance_id=f"uuid:{uuid.uuid4()}").replace(
        form["formID"].encode(),
        b"vigil-" + uuid.uuid4().hex.encode() + b"-" + uuid.uuid4().hex.encode(),
    )
    assert submit(client, auth, other).status_code == 403
    assert not DeviceSubmission.objects.exists()


def test_the_checklist_page_shows_each_revision_and_its_conflicts(
    client, client_for, users, participants, onsite
):
    auth = app_password(users["monitor"])
    form = listed(client, auth)[0]
    xform = client.get(form["downloadUrl"], **auth).content.decode()
    first = f"uuid:{uuid.uuid4()}"
    response = submit(client, auth, instance_xml(xform, {"PEN-T1-01": "no"}, instance_id=first))
    assert response.status_code == 201
    record = DeviceSubmission.objects.get()
    question = record.response.template.questions.get(code="PEN-T1-01")
    checklist_answer(
        actor=users["monitor_lead"], response=record.response, question=question, value="partial"
    )
    edited = instance_xml(
        xform, {"PEN-T1-01": "yes"}, instance_id=f"uuid:{uuid.uuid4()}", deprecated_id=first
    )
    assert submit(client, auth, edited).status_code == 201
    url = f"/visits/{onsite.public_id}/checklists/{record.response.public_id}/"
    page = client_for("monitor_lead").get(url).content.decode()
    assert "Received from devices" in page
    assert "Revision 2" in page
    assert "Revision 1" in page
    assert f"An edit of {first}." in page
    assert "PEN-T1-01</span>: device “yes”, kept “partial”" in page
    for role in ("liaison", "admin"):
        assert client_for(role).get(url).status_code in (403, 404)
