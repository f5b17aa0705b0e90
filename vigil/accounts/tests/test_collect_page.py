"""The "ODK Collect" page: app passwords issued per device, shown once with the QR code
Collect scans (its settings: the server, the e-mail, the password), listed and revoked; only
for the roles that go on visits (others: 404, and no menu entry)."""

import base64
import json
import re
import zlib

import pytest

from vigil.accounts.enums import TokenKind
from vigil.accounts.models import ApiToken

pytestmark = pytest.mark.django_db

ALLOWED = ("monitor", "regional", "coordinator")
REFUSED = ("admin", "liaison", "auditor")


@pytest.mark.parametrize("role", ALLOWED + REFUSED + ("anonymous",))
def test_who_opens_the_page(client_for, role):
    client = client_for(role)
    response = client.get("/accounts/collect/")
    if role == "anonymous":
        assert response.status_code == 302
        return
    assert response.status_code == (200 if role in ALLOWED else 404)
    home = client.get("/").content.decode()
    assert ('href="/accounts/collect/"' in home) == (role in ALLOWED)
    assert client.post("/accounts/collect/", {"name": "phone"}).status_code == (
        200 if role in ALLOWED else 404
    )
    assert ApiToken.objects.filter(kind=TokenKind.COLLECT).exists() == (role in ALLOWED)


def test_a_new_app_password_is_shown_once_with_collects_qr_settings(client_for, users):
    client = client_for("monitor")
    page = client.post("/accounts/collect/", {"name": "Samsung A14"}).content.decode()
    found = re.search(r'id="new-token" type="text" readonly value="([^"]+)"', page)
    assert found is not None
    key = found.group(1)
    token = ApiToken.objects.get(user=users["monitor"])
    assert token.kind == TokenKind.COLLECT
    assert token.name == "Samsung A14"
    assert key not in str(token.digest)
    assert 'data-testid="collect-qr"' in page
    assert "data:image/svg+xml" in page
    assert "http://testserver/openrosa" in page
    # the QR code's payload, as Collect reads it
    from vigil.accounts.tokens import collect_settings_payload, collect_settings_qr

    given = {
        "server": "http://testserver/openrosa",
        "username": users["monitor"].email,
        "password": key,
    }
    assert collect_settings_qr(**given) in page
    settings = json.loads(zlib.decompress(base64.b64decode(collect_settings_payload(**given))))
    assert settings["general"]["server_url"] == "http://testserver/openrosa"
    assert settings["general"]["username"] == "monitor@test.vigil"
    assert settings["general"]["password"] == key
    assert settings["project"]["name"] == "Vigil"
    again = client.get("/accounts/collect/").content.decode()
    assert key not in again
    assert "Samsung A14" in again
    # revoked from the page, back to it
    response = client.post(f"/accounts/tokens/{token.public_id}/revoke/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/collect/"
    assert not ApiToken.objects.exists()
