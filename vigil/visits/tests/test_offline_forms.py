"""The forms a monitor fills on a visit are kept on the device and saved once
(vigil/static/vigil/offline-forms.js, vigil/core/submissions.py): a form sent again with
the same key after a dropped connection is not saved twice; the script is told where a
saved form leads; the pages carry the script and never keep the sealed identity."""

import uuid
from unittest import mock

import pytest
from django.utils import timezone

from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.core import submissions
from vigil.core.models import FormSubmission
from vigil.visits.models import AccessIncident, Finding, InternalNote, Interview

from .test_findings import form_data

SCRIPTED = {"HTTP_X_VIGIL_FORM": "1"}


def _interview_form(visit, key, **overrides):
    data = {
        "institution": str(visit.institutions.get().public_id),
        "conducted_on": str(timezone.localdate()),
        "category": "detainee",
        "pseudonym": "Witness O",
        "in_private": "on",
        "reprisal_risk": "none",
        "content": "Сөзі: түнде суық",
        "submission_key": str(key),
    }
    data.update(overrides)
    return data


def test_an_interview_sent_twice_with_one_key_is_saved_once(client_for, visit):
    client = client_for("monitor")
    url = f"/visits/{visit.public_id}/interviews/new/"
    key = uuid.uuid4()
    first = client.post(url, _interview_form(visit, key))
    interview = Interview.objects.get()
    assert first.status_code == 302
    assert first["Location"] == f"/visits/interviews/{interview.public_id}/"

    again = client.post(url, _interview_form(visit, key), follow=True)
    assert Interview.objects.count() == 1
    assert again.redirect_chain[0][0] == f"/visits/interviews/{interview.public_id}/"
    assert "it was not saved a second time" in again.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.INTERVIEW_CREATED).count() == 1

    # Another key is another interview.
    client.post(url, _interview_form(visit, uuid.uuid4()))
    assert Interview.objects.count() == 2


def test_without_a_key_the_form_works_as_before(client_for, visit):
    client = client_for("monitor")
    url = f"/visits/{visit.public_id}/interviews/new/"
    for _ in range(2):
        assert client.post(url, _interview_form(visit, "")).status_code == 302
    assert Interview.objects.count() == 2
    assert not FormSubmission.objects.exists()


def test_a_form_with_errors_leaves_the_key_free(client_for, visit):
    client = client_for("monitor")
    url = f"/visits/{visit.public_id}/interviews/new/"
    key = uuid.uuid4()
    refused = client.post(url, _interview_form(visit, key, pseudonym=""))
    assert refused.status_code == 200
    assert not FormSubmission.objects.exists()
    assert client.post(url, _interview_form(visit, key)).status_code == 302
    assert Interview.objects.count() == 1


def test_keys_belong_to_their_user(client_for, visit):
    url = f"/visits/{visit.public_id}/interviews/new/"
    key = uuid.uuid4()
    client_for("monitor").post(url, _interview_form(visit, key))
    response = client_for("coordinator").post(url, _interview_form(visit, key))
    assert response.status_code == 302
    assert Interview.objects.count() == 2


def test_the_script_is_told_where_a_saved_form_leads(client_for, visit):
    client = client_for("monitor")
    url = f"/visits/{visit.public_id}/interviews/new/"
    response = client.post(url, _interview_form(visit, uuid.uuid4()), **SCRIPTED)
    interview = Interview.objects.get()
    assert response.status_code == 204
    assert response["X-Vigil-Location"] == f"/visits/interviews/{interview.public_id}/"
    # The message is still there for the page the script then opens.
    page = client.get(response["X-Vigil-Location"])
    assert "Interview recorded." in page.content.decode()
    # A form with errors comes back as a page, as without the script.
    refused = client.post(url, _interview_form(visit, uuid.uuid4(), pseudonym=""), **SCRIPTED)
    assert refused.status_code == 200


def test_an_ended_session_is_told_as_the_login_page(client, visit):
    response = client.post(
        f"/visits/{visit.public_id}/interviews/new/",
        _interview_form(visit, uuid.uuid4()),
        **SCRIPTED,
    )
    assert response.status_code == 204
    assert response["X-Vigil-Location"].startswith("/accounts/login/")
    assert not Interview.objects.exists()


def test_an_addition_sent_twice_is_appended_once(client_for, interview):
    client = client_for("monitor")
    url = f"/visits/interviews/{interview.public_id}/edit/"
    data = _interview_form(interview.visit, uuid.uuid4(), pseudonym="Witness K")
    data["content_addition"] = "Қосымша сөз"
    for _ in range(2):
        assert client.post(url, data).status_code == 302
    updates = AuditEvent.objects.filter(action=AuditAction.INTERVIEW_UPDATED)
    assert updates.count() == 1


def test_notes_findings_and_incidents_are_saved_once(client_for, visit):
    client = client_for("monitor")
    note = {"kind": "observation", "text": "Cold in cell 3.", "submission_key": str(uuid.uuid4())}
    for _ in range(2):
        assert client.post(f"/visits/{visit.public_id}/notes/", note).status_code == 302
    assert InternalNote.objects.count() == 1

    incident = {
        "kind": "area_denied",
        "institution": str(visit.institutions.get().public_id),
        "occurred_at": "2026-11-01T10:00",
        "duration_minutes": "",
        "details": "The punishment cells were closed to the team.",
        "submission_key": str(uuid.uuid4()),
    }
    for _ in range(2):
        url = f"/visits/{visit.public_id}/access-incidents/"
        assert client.post(url, incident).status_code == 302
    assert AccessIncident.objects.count() == 1

    finding = form_data(visit, submission_key=str(uuid.uuid4()))
    for _ in range(2):
        response = client.post(f"/visits/{visit.public_id}/findings/new/", finding)
        assert response.status_code == 302
    assert Finding.objects.count() == 1


@pytest.mark.parametrize(
    "path",
    ["/visits/{visit}/interviews/new/", "/visits/{visit}/notes/", "/visits/{visit}/findings/new/"],
)
def test_the_pages_carry_the_offline_script(client_for, visit, path):
    body = client_for("monitor").get(path.format(visit=visit.public_id)).content.decode()
    assert 'data-offline="' in body
    assert "vigil/offline-forms" in body
    assert "Not saved: no connection." in body


def test_the_sealed_identity_is_never_kept_on_the_device(client_for, visit):
    body = client_for("monitor").get(f"/visits/{visit.public_id}/interviews/new/").content
    assert b'name="identity"' in body
    field = body.split(b'name="identity"')[1].split(b">")[0]
    assert b"data-offline-skip" in field


def test_a_second_sending_during_the_first_is_answered_by_it(client_for, users, visit):
    """The second sending finds the key taken only when it claims it (the first was still
    being saved when it looked): it is answered with the first one's redirect."""
    key = uuid.uuid4()
    FormSubmission.objects.create(user=users["monitor"], key=key, location="/visits/mine/")
    real = submissions._replay
    calls = []

    def looked(request, user_id, sent_key):
        calls.append(sent_key)
        return None if len(calls) == 1 else real(request, user_id, sent_key)

    with mock.patch.object(submissions, "_replay", side_effect=looked):
        response = client_for("monitor").post(
            f"/visits/{visit.public_id}/interviews/new/", _interview_form(visit, key)
        )
    assert response.status_code == 302
    assert response["Location"] == "/visits/mine/"
    assert not Interview.objects.exists()
