"""API of responses: a liaison's token lists and answers only its own; responses are never
changed (PUT, PATCH, DELETE: 405); multipart with attachments; role matrix with denied
writes changing nothing and logging nothing."""

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from conftest import ALL_ACTORS
from vigil.accounts.tests.fixtures import api_key
from vigil.audit.enums import AccessKind, AuditAction
from vigil.audit.models import AccessEvent, AuditEvent
from vigil.core.tests.pdfs import pdf_bytes
from vigil.recommendations.enums import ClaimedStatus, State
from vigil.recommendations.models import AuthorityResponse, Recommendation, ResponseAttachment

ACTORS = [*ALL_ACTORS, "other_liaison"]
PDF = pdf_bytes()
TODAY = timezone.localdate

# Submitting: the addressee's liaisons, and the NPM recording a letter (coordinators,
# administrators, the regional representative in scope); monitors and auditors read only.
CREATE_STATUS = {
    "anonymous": 401,
    "admin": 201,
    "coordinator": 201,
    "regional": 201,
    "monitor": 403,
    "liaison": 201,
    "auditor": 403,
    "other_liaison": 404,
}


@pytest.fixture
def api_for(users: dict[str, Any]) -> Any:
    def make(actor: str) -> APIClient:
        client = APIClient()
        if actor != "anonymous":
            client.credentials(HTTP_AUTHORIZATION=f"Token {api_key(users[actor])}")
        return client

    return make


@pytest.fixture
def rec(make_recommendation: Any) -> Recommendation:
    return make_recommendation(
        issued_on=TODAY() - datetime.timedelta(days=20),
        deadline=TODAY() + datetime.timedelta(days=20),
    )


def url(rec: Recommendation) -> str:
    return f"/api/v1/recommendations/{rec.public_id}/responses/"


def payload(**overrides: Any) -> dict[str, Any]:
    data = {
        "responding_agency": "MVD-KUIS-71",
        "letter_number": "17-5/99",
        "letter_date": (TODAY() - datetime.timedelta(days=1)).isoformat(),
        "measures": "Ventilation repaired.",
        "claimed_status": ClaimedStatus.IMPLEMENTED,
    }
    data.update(overrides)
    return data


def writes() -> tuple[int, int]:
    return (
        AuthorityResponse.objects.count(),
        AuditEvent.objects.exclude(action=AuditAction.API_TOKEN_ISSUED).count(),
    )


@pytest.mark.parametrize("actor", ACTORS)
def test_create_role_matrix(api_for: Any, rec: Recommendation, actor: str) -> None:
    before = writes()
    response = api_for(actor).post(url(rec), payload(), format="json")
    assert response.status_code == CREATE_STATUS[actor], response.content
    rec.refresh_from_db()
    if response.status_code == 201:
        body = response.json()
        assert body["claimed_status"] == "implemented"
        assert body["on_time"] is True
        assert body["recommendation"] == str(rec.public_id)
        assert rec.state == State.IMPLEMENTED_CLAIMED
    else:
        assert set(response.json()) >= {"detail"}
        assert writes() == before
        assert rec.state == State.AWAITING_RESPONSE


LIST_STATUS = {actor: 200 for actor in ACTORS} | {"anonymous": 401, "other_liaison": 404}


@pytest.mark.parametrize("actor", ACTORS)
def test_list_role_matrix(api_for: Any, rec: Recommendation, actor: str) -> None:
    api_for("liaison").post(url(rec), payload(), format="json")
    response = api_for(actor).get(url(rec))
    assert response.status_code == LIST_STATUS[actor]
    if response.status_code == 200:
        assert [r["letter_number"] for r in response.json()] == ["17-5/99"]


def test_liaison_token_other_agency_and_drafts_are_404(
    api_for: Any, make_recommendation: Any, ref: dict[str, Any]
) -> None:
    sibling = make_recommendation(addressee=ref["police"])
    draft = make_recommendation(state=State.DRAFT)
    client = api_for("liaison")
    for target in (sibling, draft):
        assert client.get(url(target)).status_code == 404
        assert client.post(url(target), payload(), format="json").status_code == 404
    assert client.get("/api/v1/recommendations/not-a-uuid/responses/").status_code == 404
    assert AuthorityResponse.objects.count() == 0


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_responses_cannot_be_changed(api_for: Any, rec: Recommendation, method: str) -> None:
    created = api_for("liaison").post(url(rec), payload(), format="json").json()
    detail = f"{url(rec)}{created['id']}/"
    for actor in ("liaison", "coordinator", "admin"):
        response = getattr(api_for(actor), method)(
            detail, payload(measures="Changed"), format="json"
        )
        assert response.status_code == 405
    answer = AuthorityResponse.objects.get()
    assert answer.measures == "Ventilation repaired."


def test_retrieve_and_correction(api_for: Any, rec: Recommendation) -> None:
    client = api_for("liaison")
    first = client.post(
        url(rec), payload(claimed_status=ClaimedStatus.ACCEPTED), format="json"
    ).json()
    assert client.get(f"{url(rec)}{first['id']}/").json()["letter_number"] == "17-5/99"
    second = client.post(
        url(rec),
        payload(claimed_status=ClaimedStatus.IN_IMPLEMENTATION, corrects=first["id"]),
        format="json",
    )
    assert second.status_code == 201
    assert second.json()["corrects"] == first["id"]
    listed = client.get(url(rec)).json()
    assert listed[0]["corrected_by"] == [second.json()["id"]]
    unknown = client.post(
        url(rec), payload(corrects="00000000-0000-0000-0000-000000000000"), format="json"
    )
    assert unknown.status_code == 400
    assert "corrects" in unknown.json()["errors"]


def test_multipart_with_attachments_and_download(api_for: Any, rec: Recommendation) -> None:
    client = api_for("liaison")
    response = client.post(
        url(rec),
        {
            **payload(),
            "attachments": [
                SimpleUploadedFile("act.pdf", PDF, content_type="application/pdf"),
                SimpleUploadedFile("act2.pdf", PDF, content_type="application/pdf"),
            ],
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    files = response.json()["attachments"]
    assert sorted(f["file_name"] for f in files) == ["act.pdf", "act2.pdf"]
    download = client.get(files[0]["download_url"])
    assert download.status_code == 200
    assert download.content == PDF
    assert AccessEvent.objects.filter(kind=AccessKind.ATTACHMENT_DOWNLOADED).count() == 1
    listing = client.get(f"/api/v1/response-attachments/?response={response.json()['id']}")
    assert listing.json()["count"] == 2
    assert api_for("other_liaison").get(files[0]["download_url"]).status_code == 404
    assert api_for("other_liaison").get("/api/v1/response-attachments/").json()["count"] == 0


def test_bad_attachment_is_400_and_writes_nothing(api_for: Any, rec: Recommendation) -> None:
    before = writes()
    response = api_for("liaison").post(
        url(rec),
        {**payload(), "attachments": [SimpleUploadedFile("a.pdf", b"MZ" + b"\0" * 100)]},
        format="multipart",
    )
    assert response.status_code == 400
    assert "attachments" in response.json()["errors"]
    assert writes() == before
    assert ResponseAttachment.objects.count() == 0


def test_validation_errors_name_fields(api_for: Any, rec: Recommendation) -> None:
    response = api_for("liaison").post(
        url(rec),
        payload(
            responding_agency="MOH",
            letter_date=(TODAY() + datetime.timedelta(days=2)).isoformat(),
        ),
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"responding_agency", "letter_date"}
