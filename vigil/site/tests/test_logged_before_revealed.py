"""Logged before revealed (`vigil.core.reveal`): when the access event cannot be written,
pages and API answer 503 with no plaintext (interview content, who was present, sealed
identities, appeal content, files, incident summaries, victim protection measures); refused attempts on sensitive records are logged as
denied, and the 404 stays a 404."""

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.urls import reverse

from vigil.appeals.services.victim_protection import victim_protection_encrypt
from vigil.appeals.tests.fixtures import APPEAL_CONTENT, APPELLANT_NAME
from vigil.audit.enums import AccessKind
from vigil.audit.models import AccessEvent
from vigil.visits.services.attachments import attachment_upload
from vigil.visits.services.interviews import interview_create
from vigil.visits.tests.fixtures import INTERVIEW_CONTENT, INTERVIEW_IDENTITY
from vigil.visits.tests.test_attachments import PDF

PRESENT = "дежурный Сидоров"
INCIDENT_SUMMARY = "Осуждённый Ахметов избит после беседы"
PROTECTION = "Relocated to the shelter on Abay street"


def _send(client, method: str, url: str, body: dict[str, str]):
    if url.startswith("/api/") and method == "post":
        return client.post(url, json.dumps(body), content_type="application/json")
    return getattr(client, method)(url, body)


@pytest.fixture
def broken_log(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise DatabaseError("access log unavailable")

    monkeypatch.setattr(AccessEvent, "save", refuse)


@pytest.fixture
def sensitive(users, visit, make_appeal, make_incident, make_case) -> dict[str, Any]:
    interview = interview_create(
        actor=users["monitor"],
        visit=visit,
        institution=None,
        data={"pseudonym": "Witness Z", "in_private": False, "present_persons": PRESENT},
        content=INTERVIEW_CONTENT,
        identity=INTERVIEW_IDENTITY,
    )
    attachment = attachment_upload(
        actor=users["monitor"],
        visit=visit,
        file=SimpleUploadedFile("a.pdf", PDF),
        name="a.pdf",
    )
    case = make_case()
    victim_protection_encrypt(case, PROTECTION)
    case.save()
    return {
        "interview": interview,
        "appeal": make_appeal(),
        "attachment": attachment,
        "incident": make_incident(summary=INCIDENT_SUMMARY),
        "case": case,
    }


def _requests(objects: dict[str, Any]) -> list[tuple[str, str, str, dict[str, str], list[str]]]:
    """(actor, method, url, body, secrets that must not show) for every logged read."""
    interview, appeal = objects["interview"].public_id, objects["appeal"].public_id
    attachment = objects["attachment"].public_id
    incident, case = objects["incident"].public_id, objects["case"].public_id
    return [
        (
            "coordinator",
            "post",
            reverse("appeals:incident_summary", args=[incident]),
            {},
            [INCIDENT_SUMMARY],
        ),
        ("coordinator", "post", f"/api/v1/incidents/{incident}/summary/", {}, [INCIDENT_SUMMARY]),
        (
            "coordinator",
            "post",
            reverse("appeals:case_victim_protection", args=[case]),
            {},
            [PROTECTION],
        ),
        (
            "coordinator",
            "post",
            f"/api/v1/criminal-cases/{case}/victim-protection/",
            {},
            [PROTECTION],
        ),
        (
            "monitor",
            "post",
            reverse("visits:interview_content", args=[interview]),
            {},
            [INTERVIEW_CONTENT, PRESENT],
        ),
        ("monitor", "post", f"/api/v1/interviews/{interview}/content/", {}, [INTERVIEW_CONTENT]),
        (
            "monitor",
            "post",
            reverse("visits:interview_unseal", args=[interview]),
            {"reason": "check"},
            [INTERVIEW_IDENTITY],
        ),
        (
            "monitor",
            "post",
            f"/api/v1/interviews/{interview}/unseal/",
            {"reason": "check"},
            [INTERVIEW_IDENTITY],
        ),
        ("coordinator", "post", reverse("appeals:content", args=[appeal]), {}, [APPEAL_CONTENT]),
        ("coordinator", "post", f"/api/v1/appeals/{appeal}/content/", {}, [APPEAL_CONTENT]),
        (
            "coordinator",
            "post",
            reverse("appeals:unseal", args=[appeal]),
            {"reason": "letter"},
            [APPELLANT_NAME],
        ),
        (
            "coordinator",
            "post",
            f"/api/v1/appeals/{appeal}/unseal/",
            {"reason": "letter"},
            [APPELLANT_NAME],
        ),
        ("monitor", "get", f"/visits/attachments/{attachment}/download/", {}, []),
        ("monitor", "get", f"/api/v1/attachments/{attachment}/download/", {}, []),
    ]


def test_every_read_is_refused_when_its_event_cannot_be_written(client_for, sensitive, broken_log):
    for actor, method, url, body, secrets in _requests(sensitive):
        response = _send(client_for(actor), method, url, body)
        assert response.status_code == 503, url
        page = response.content
        assert b"%PDF" not in page, url  # not a byte of the file
        for secret in secrets:
            assert secret.encode() not in page, url
            assert secret not in page.decode(), url
    assert not AccessEvent.objects.exists()


def test_the_same_reads_work_and_are_logged_when_the_log_is_writable(client_for, sensitive):
    requests = _requests(sensitive)
    for actor, method, url, body, secrets in requests:
        response = _send(client_for(actor), method, url, body)
        assert response.status_code == 200, url
        shown = response.content
        for secret in secrets:
            assert secret.encode() in shown, url
        if "download" in url:
            assert shown == PDF  # the stored (cleaned) file, whole
    assert AccessEvent.objects.filter(outcome="granted").count() == len(requests)


def test_who_was_present_is_not_stored_in_clear(sensitive, client_for):
    interview = sensitive["interview"]
    assert PRESENT.encode() not in bytes(interview.present_ciphertext)
    page = client_for("monitor").get(reverse("visits:interview_detail", args=[interview.public_id]))
    assert PRESENT not in page.content.decode()  # not before the logged read


@pytest.mark.parametrize("path", ["page", "api"])
def test_a_hidden_record_answers_404_and_logs_a_denied_opening(client_for, sensitive, path):
    interview = sensitive["interview"]
    url = (
        reverse("visits:interview_detail", args=[interview.public_id])
        if path == "page"
        else f"/api/v1/interviews/{interview.public_id}/"
    )
    response = client_for("liaison").get(url)
    assert response.status_code == 404
    denied = AccessEvent.objects.get(outcome="denied")
    assert denied.kind == AccessKind.RECORD_OPENED
    assert denied.target_id == str(interview.public_id)


def test_a_refused_read_of_a_visible_record_is_logged_as_denied(client_for, sensitive):
    interview = sensitive["interview"]
    response = client_for("auditor").post(
        reverse("visits:interview_content", args=[interview.public_id])
    )
    assert response.status_code == 403
    assert INTERVIEW_CONTENT not in response.content.decode()
    denied = AccessEvent.objects.get()
    assert (denied.kind, denied.outcome) == (AccessKind.INTERVIEW_READ, "denied")


def test_an_unknown_record_logs_nothing(client_for):
    response = client_for("liaison").get("/api/v1/interviews/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404
    assert not AccessEvent.objects.exists()


def test_the_access_log_filters_denied_attempts(client_for, sensitive):
    interview = sensitive["interview"]
    client_for("liaison").get(f"/api/v1/interviews/{interview.public_id}/")
    client_for("monitor").post(reverse("visits:interview_content", args=[interview.public_id]))
    auditor = client_for("auditor")
    denied = auditor.get("/audit/access/?outcome=denied&export=csv")
    granted = auditor.get("/audit/access/?outcome=granted&export=csv")
    assert denied.status_code == granted.status_code == 200
    denied_rows = b"".join(denied.streaming_content if denied.streaming else [denied.content])
    granted_rows = b"".join(granted.streaming_content if granted.streaming else [granted.content])
    assert b"record_opened,Sensitive record opened,denied" in denied_rows
    assert b"interview_read" not in denied_rows
    assert b"interview_read,Interview content read,granted" in granted_rows
    assert b"record_opened" not in granted_rows


@pytest.mark.parametrize(
    "suffix", ["", "edit/", "team/", "findings/", "checklists/", "interviews/", "report/", "hold/"]
)
def test_a_liaison_probing_a_planned_visits_pages_is_logged_as_denied(
    client_for, make_visit, suffix
):
    planned = make_visit(state="planned", title="Unannounced")
    response = client_for("liaison").get(f"/visits/{planned.public_id}/{suffix}")
    assert response.status_code == 404
    denied = AccessEvent.objects.get()
    assert (denied.kind, denied.outcome) == (AccessKind.RECORD_OPENED, "denied")
    assert denied.target_id == str(planned.public_id)


def test_a_visible_visit_page_logs_no_denial(client_for, visit):
    assert client_for("coordinator").get(f"/visits/{visit.public_id}/").status_code == 200
    assert not AccessEvent.objects.filter(outcome="denied").exists()


@pytest.mark.parametrize(
    ("action", "kind"),
    [("content", AccessKind.INTERVIEW_READ), ("unseal", AccessKind.IDENTITY_UNSEALED)],
)
def test_an_api_object_permission_refusal_is_logged_as_denied(client_for, sensitive, action, kind):
    interview = sensitive["interview"]
    response = client_for("auditor").post(
        f"/api/v1/interviews/{interview.public_id}/{action}/",
        json.dumps({"reason": "curious"}),
        content_type="application/json",
    )
    assert response.status_code == 403  # the answer is unchanged
    assert INTERVIEW_CONTENT not in response.content.decode()
    denied = AccessEvent.objects.get()
    assert (denied.kind, denied.outcome) == (kind, "denied")
    assert denied.target_id == str(interview.public_id)
    assert not AccessEvent.objects.filter(outcome="granted").exists()
