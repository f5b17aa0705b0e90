"""Session authentication keeps its CSRF check; token clients need none."""

import pytest
from django.test import Client

from vigil.accounts.tests.fixtures import api_key
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.registry.models import Institution

URL = "/api/v1/institutions/"
PAYLOAD = {
    "name_ru": "Учреждение через API",
    "type": "COLONY_MEDIUM",
    "agency": "MVD-KUIS-71",
    "region": "KZ-71",
}
CSRF_SECRET = "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6"  # 32 allowed characters


@pytest.fixture
def csrf_client(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["coordinator"])
    return client


def test_session_post_without_csrf_token_is_rejected(csrf_client):
    response = csrf_client.post(URL, PAYLOAD, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["detail"].startswith("CSRF Failed")
    assert not Institution.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.INSTITUTION_CREATED).exists()


def test_session_patch_without_csrf_token_is_rejected(csrf_client, make_institution):
    inst = make_institution()
    response = csrf_client.patch(
        f"{URL}{inst.public_id}/", {"capacity": 1}, content_type="application/json"
    )
    assert response.status_code == 403
    inst.refresh_from_db()
    assert inst.capacity != 1


def test_session_post_with_csrf_token_is_accepted(csrf_client):
    csrf_client.cookies["csrftoken"] = CSRF_SECRET
    response = csrf_client.post(
        URL, PAYLOAD, content_type="application/json", HTTP_X_CSRFTOKEN=CSRF_SECRET
    )
    assert response.status_code == 201, response.content
    assert Institution.objects.count() == 1


def test_session_reads_need_no_csrf_token(csrf_client):
    assert csrf_client.get(URL).status_code == 200


def test_token_clients_need_no_csrf_token(users):
    key = api_key(users["coordinator"])
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        URL, PAYLOAD, content_type="application/json", HTTP_AUTHORIZATION=f"Token {key}"
    )
    assert response.status_code == 201, response.content
