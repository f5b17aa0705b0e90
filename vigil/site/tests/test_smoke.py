import pytest

from conftest import ALL_ACTORS


@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_home_requires_login_and_renders_for_each_role(client_for, actor):
    response = client_for(actor).get("/")
    if actor == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == 200
        assert "Content-Security-Policy" in response.headers
        assert (
            "nonce-" in response.headers["Content-Security-Policy"]
            or "script-src 'self'" in response.headers["Content-Security-Policy"]
        )


def test_healthz_is_public(client, db):
    assert client.get("/healthz").json() == {"status": "ok"}
