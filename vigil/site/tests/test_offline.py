"""The service worker is served from the site's root with its scope header, never cached,
and sign-out tells the browser to clear what the session kept (docs/offline.md)."""

import pytest

from vigil.accounts.views import WIPE_DEVICE


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [False, True])
def test_service_worker_is_served_to_everyone(client, settings, debug):
    settings.DEBUG = debug
    page = client.get("/sw.js")
    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/javascript")
    assert page["Service-Worker-Allowed"] == "/"
    assert page["Cache-Control"] == "no-cache"
    body = page.content.decode()
    assert "importScripts(" in body
    assert "secure-store.js" in body
    assert 'X-Vigil-Offline") !== "keep"' in body
    assert "this page is not kept on this device" in body


@pytest.mark.parametrize(
    ("language", "words"), [("ru", "не сохранена на этом устройстве"), ("kk", "сақталмаған")]
)
@pytest.mark.django_db
def test_service_worker_speaks_the_language_it_was_fetched_in(client, language, words):
    body = client.get("/sw.js", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert "var NOT_KEPT = " in body
    assert words in body


@pytest.mark.django_db
def test_sign_out_clears_the_site_data_and_the_next_page_wipes_the_device(client_for):
    client = client_for("monitor")
    home = client.get("/").content.decode()
    assert "data-device-user=" in home
    assert 'data-sw="/sw.js"' in home
    out = client.post("/accounts/logout/")
    assert out.status_code == 302
    assert out["Clear-Site-Data"] == '"cache", "storage"'
    login = client.get("/accounts/login/").content.decode()
    assert "<body data-wipe-device>" in login
    assert "data-device-user" not in login
    # Once only: a session that merely expired does not erase answers not yet sent.
    assert "data-wipe-device" not in client.get("/accounts/login/").content.decode()
    assert WIPE_DEVICE not in client.session
