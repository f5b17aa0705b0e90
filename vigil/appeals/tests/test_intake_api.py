"""POST /api/v1/intake/appeals/: terminal operators and partner NGOs submit appeals with a
token scoped to this one endpoint; idempotent on the sender's id."""

import hashlib
from typing import Any

import pytest
from django.test import Client

from vigil.accounts.tests.fixtures import api_key
from vigil.appeals.enums import AppealState, Channel
from vigil.appeals.models import Appeal, AppealIdentity, IntakePartner
from vigil.appeals.services.appeals import status_secret_matches
from vigil.appeals.services.intake import (
    intake_partner_create,
    intake_partner_revoke,
    intake_partner_rotate,
)
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

API = "/api/v1/intake/appeals/"
BODY = {
    "external_id": "TERM-0042-000117",
    "content": "Сотрудник колонии угрожал мне после жалобы прокурору.",
    "institution_text": "ЕЦ-166/12",
    "received_on": "2026-11-30",
    "name": "Осужденный Б.",
    "consent": ["allegation"],
}


@pytest.fixture(autouse=True)
def _reference(ref: Any, appeal_reference: Any) -> None:
    """Regions and the time limits."""


@pytest.fixture
def terminal() -> tuple[IntakePartner, str]:
    return intake_partner_create(name="Terminals of KUIS", kind=IntakePartner.Kind.TERMINAL)


@pytest.fixture
def ngo() -> tuple[IntakePartner, str]:
    return intake_partner_create(name="Kazakhstan Bureau", kind=IntakePartner.Kind.NGO)


def _post(client: Client, body: dict[str, Any], token: str | None = None, **headers: Any) -> Any:
    if token is not None:
        headers["HTTP_AUTHORIZATION"] = f"Intake {token}"
    return client.post(API, body, content_type="application/json", **headers)


def test_first_submission_creates_then_the_same_id_returns_the_same(
    client: Client, terminal: tuple[IntakePartner, str]
) -> None:
    partner, token = terminal
    first = _post(client, BODY, token)
    assert first.status_code == 201, first.content
    data = first.json()
    assert data["created"] is True
    assert data["status"] == "received"
    appeal = Appeal.objects.get()
    assert data["reference"] == appeal.reference
    assert status_secret_matches(appeal, data["secret"])
    assert appeal.channel == Channel.TERMINAL
    assert appeal.intake_partner == partner
    assert appeal.external_id == BODY["external_id"]
    assert str(appeal.received_on) == "2026-11-30"
    assert appeal.state == AppealState.RECEIVED
    assert AppealIdentity.objects.filter(appeal=appeal).exists()
    partner.refresh_from_db()
    assert partner.last_used_at is not None

    again = _post(client, BODY | {"content": "changed"}, token)
    assert again.status_code == 200
    assert again.json() == {
        "reference": appeal.reference,
        "secret": None,
        "status": "received",
        "created": False,
    }
    assert Appeal.objects.count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.APPEAL_SUBMITTED).count() == 1


def test_the_same_id_from_two_partners_is_two_appeals(
    client: Client, terminal: tuple[IntakePartner, str], ngo: tuple[IntakePartner, str]
) -> None:
    assert _post(client, BODY, terminal[1]).status_code == 201
    second = _post(client, BODY, ngo[1])
    assert second.status_code == 201
    assert Appeal.objects.get(intake_partner=ngo[0]).channel == Channel.NGO


def test_channel_is_limited_to_the_partner_kind(
    client: Client, terminal: tuple[IntakePartner, str]
) -> None:
    refused = _post(client, BODY | {"channel": Channel.NGO}, terminal[1])
    assert refused.status_code == 400
    assert "channel" in refused.json()["errors"]
    assert _post(client, BODY | {"channel": Channel.TERMINAL}, terminal[1]).status_code == 201


def test_institution_by_public_id(
    client: Client, terminal: tuple[IntakePartner, str], make_institution: Any
) -> None:
    institution = make_institution()
    body = BODY | {"institution": str(institution.public_id), "institution_text": ""}
    assert _post(client, body, terminal[1]).status_code == 201
    appeal = Appeal.objects.get()
    assert appeal.institution == institution
    assert appeal.region == institution.region


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"external_id": ""}, "external_id"),
        ({"content": ""}, "content"),
        ({"received_on": "2999-01-01"}, "received_on"),
        ({"institution_text": ""}, "institution_text"),
        ({"anonymous": True}, "anonymous"),
    ],
)
def test_invalid_submissions_store_nothing(
    client: Client, terminal: tuple[IntakePartner, str], change: dict[str, Any], field: str
) -> None:
    response = _post(client, BODY | change, terminal[1])
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert Appeal.objects.count() == 0


def _refused_and_nothing_stored(response: Any, status: int = 401) -> None:
    assert response.status_code == status, response.content
    assert Appeal.objects.count() == 0
    assert not AuditEvent.objects.filter(action=AuditAction.APPEAL_SUBMITTED).exists()


@pytest.mark.parametrize(
    "actor", ["anonymous", "admin", "coordinator", "regional", "monitor", "liaison", "auditor"]
)
def test_users_sessions_do_not_open_the_intake(client_for: Any, actor: str) -> None:
    _refused_and_nothing_stored(_post(client_for(actor), BODY))


def test_user_api_token_does_not_open_the_intake(client: Client, users: Any) -> None:
    key = api_key(users["coordinator"])
    _refused_and_nothing_stored(
        _post(client, BODY, HTTP_AUTHORIZATION=f"Token {key}"),
    )
    # Nor passed as an intake token.
    _refused_and_nothing_stored(_post(client, BODY, key))


@pytest.mark.parametrize("header", ["Intake", "Intake a b", "Intake wrong-token", "Bearer x"])
def test_wrong_tokens_are_refused(
    client: Client, terminal: tuple[IntakePartner, str], header: str
) -> None:
    response = _post(client, BODY, HTTP_AUTHORIZATION=header)
    _refused_and_nothing_stored(response)
    assert response["WWW-Authenticate"] == "Intake"


def test_revoked_and_rotated_tokens_are_refused(
    client: Client, terminal: tuple[IntakePartner, str]
) -> None:
    partner, token = terminal
    intake_partner_revoke(name=partner.name)
    _refused_and_nothing_stored(_post(client, BODY, token))
    _partner, new = intake_partner_rotate(name=partner.name)
    _refused_and_nothing_stored(_post(client, BODY, token))
    assert _post(client, BODY, new).status_code == 201


@pytest.mark.parametrize(
    "url", ["/api/v1/institutions/", "/api/v1/visits/", "/api/v1/recommendations/"]
)
def test_the_token_opens_nothing_else(
    client: Client, terminal: tuple[IntakePartner, str], url: str
) -> None:
    response = client.get(url, HTTP_AUTHORIZATION=f"Intake {terminal[1]}")
    assert response.status_code == 401


def test_token_kept_only_as_its_hash(terminal: tuple[IntakePartner, str]) -> None:
    partner, token = terminal
    partner.refresh_from_db()
    assert partner.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token.startswith(partner.token_prefix)
    assert token not in str(list(IntakePartner.objects.values_list()))
    events = AuditEvent.objects.filter(action=AuditAction.INTAKE_PARTNER_CREATED)
    assert events.count() == 1
    assert token not in str(events.get().data)


def test_the_partner_endpoint_is_rate_limited(
    client: Client, terminal: tuple[IntakePartner, str], settings: Any
) -> None:
    settings.VIGIL_INTAKE_PARTNER_RATE = "3/min"
    for n in range(3):
        assert _post(client, BODY | {"external_id": f"id-{n}"}, terminal[1]).status_code == 201
    assert _post(client, BODY | {"external_id": "id-4"}, terminal[1]).status_code == 429
    assert Appeal.objects.count() == 3
