"""POST /api/v1/public/appeals/: the public form as an endpoint, without authentication,
rate-limited per address like the page; nothing stored for refused or invalid submissions."""

from typing import Any

import pytest
from django.test import Client, override_settings

from conftest import ALL_ACTORS
from vigil.appeals.enums import AppealState, Channel
from vigil.appeals.models import Appeal, AppealIdentity
from vigil.appeals.services.appeals import status_secret_matches
from vigil.appeals.services.intake import appeal_status_check

pytestmark = pytest.mark.django_db

API = "/api/v1/public/appeals/"
BODY = {
    "content": "В ИВС меня избили при задержании, врача не вызвали.",
    "institution_text": "ИВС № 1, Астана",
    "region": "KZ-71",
    "name": "Асхат Нұрланұлы",
    "contact": "+7 702 111 22 33",
    "anonymous": False,
    "consent": ["allegation", "identity"],
    "consent_contact": True,
}


@pytest.fixture(autouse=True)
def _reference(ref: Any, appeal_reference: Any) -> None:
    """Regions and the time limits."""


def _post(client: Client, body: dict[str, Any], addr: str = "127.0.0.1") -> Any:
    return client.post(API, body, content_type="application/json", REMOTE_ADDR=addr)


@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_anyone_may_submit(client_for: Any, actor: str) -> None:
    response = _post(client_for(actor), BODY)
    assert response.status_code == 201, response.content
    data = response.json()
    assert set(data) == {"reference", "secret", "status"}
    assert data["status"] == "received"
    appeal = Appeal.objects.get(reference=data["reference"])
    assert appeal.channel == Channel.WEB_FORM
    assert appeal.state == AppealState.RECEIVED
    assert appeal.consent_scopes == ["allegation", "identity"]
    assert appeal.region is not None
    assert status_secret_matches(appeal, data["secret"])
    assert appeal_status_check(reference=data["reference"], secret=data["secret"]) is not None
    assert AppealIdentity.objects.filter(appeal=appeal).exists()


@pytest.mark.parametrize("debug", [False, True])
def test_anonymous_submission(client: Client, debug: bool) -> None:
    body = BODY | {"name": "", "contact": "", "anonymous": True, "region": None}
    with override_settings(DEBUG=debug):
        response = _post(client, body)
    assert response.status_code == 201
    appeal = Appeal.objects.get()
    assert appeal.anonymous is True
    assert appeal.consent_contact is False
    assert not AppealIdentity.objects.filter(appeal=appeal).exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"content": ""}, "content"),
        ({"institution_text": ""}, "institution_text"),
        ({"region": "KZ-00"}, "region"),
        ({"consent": ["everything"]}, "consent.0"),  # a list item, by its path
        ({"anonymous": True}, "anonymous"),  # with a name
        ({"content": "x" * 20_001}, "content"),
    ],
)
def test_invalid_submissions_store_nothing(
    client: Client, change: dict[str, Any], field: str
) -> None:
    response = _post(client, BODY | change)
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert Appeal.objects.count() == 0


def test_eleventh_submission_a_minute_is_refused(client: Client) -> None:
    for _n in range(10):
        assert _post(client, BODY, addr="10.2.2.2").status_code == 201
    refused = _post(client, BODY, addr="10.2.2.2")
    assert refused.status_code == 429
    assert "Too many appeals were sent from this connection" in refused.json()["detail"]
    assert Appeal.objects.count() == 10
    # X-Forwarded-For is not trusted: a new header does not open a new budget.
    again = client.post(
        API,
        BODY,
        content_type="application/json",
        REMOTE_ADDR="10.2.2.2",
        HTTP_X_FORWARDED_FOR="192.0.2.9",
    )
    assert again.status_code == 429
    assert Appeal.objects.count() == 10


def test_session_is_not_needed_and_csrf_does_not_apply(users: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["coordinator"])
    response = _post(client, BODY)
    assert response.status_code == 201
