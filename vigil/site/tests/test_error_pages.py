"""Our own error pages (400, 403, 404, 500, CSRF failure) in kk, ru and en, in the site's
layout; the technical details stay in the log. Tests run with DEBUG off (config.settings.test)."""

import pytest
from django.test import Client, override_settings

TEXTS = {
    "404": {
        "en": "Page not found",
        "ru": "Страница не найдена",
        "kk": "Бет табылмады",
    },
    "403": {"en": "Not allowed", "ru": "Нет доступа", "kk": "Рұқсат жоқ"},
    "csrf": {
        "en": "The form has expired",
        "ru": "Срок действия формы истёк",
        "kk": "Форманың мерзімі өтті",
    },
    "500": {
        "en": "Something went wrong",
        "ru": "Что-то пошло не так",
        "kk": "Бірдеңе дұрыс болмады",
    },
}
LANGUAGES = ["kk", "ru", "en"]


def _get(client: Client, url: str, language: str):  # type: ignore[no-untyped-def]
    return client.get(url, headers={"accept-language": language})


@pytest.mark.parametrize("language", LANGUAGES)
def test_not_found_in_the_sites_layout(client_for, language):
    response = _get(client_for("coordinator"), "/no-such-page/", language)
    assert response.status_code == 404
    body = response.content.decode()
    assert TEXTS["404"][language] in body
    assert 'href="/registry/institutions/"' in body  # the menu is there
    assert "URLconf" not in body
    assert "Traceback" not in body
    assert f"<title>{TEXTS['404'][language]} · Vigil</title>" in body


@pytest.mark.parametrize("actor", ["anonymous", "coordinator"])
@pytest.mark.parametrize("url", ["/api/v1/no-such-endpoint/", "/api/v1/annual-reports/1/"])
def test_not_found_under_the_api_is_the_apis_error_body(client_for, actor, url):
    """An address under /api/ that no route matches answers the documented JSON error."""
    response = client_for(actor).get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize("language", LANGUAGES)
def test_forbidden_in_the_sites_layout(client_for, language):
    response = _get(client_for("liaison"), "/accounts/users/", language)
    assert response.status_code == 403
    body = response.content.decode()
    assert TEXTS["403"][language] in body
    assert 'href="/recommendations/portal/"' in body


@pytest.mark.parametrize("language", LANGUAGES)
def test_csrf_failure_says_what_to_do(db, language):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/accounts/login/",
        {"username": "x", "password": "y"},
        headers={"accept-language": language},
    )
    assert response.status_code == 403
    body = response.content.decode()
    assert TEXTS["csrf"][language] in body
    assert "CSRF" not in body  # the reason stays in the log


@pytest.mark.parametrize("language", LANGUAGES)
@override_settings(ROOT_URLCONF="vigil.site.tests.boom_urls")
def test_server_error_shows_nothing_technical(client_for, language):
    client = client_for("coordinator")
    client.raise_request_exception = False
    response = _get(client, "/boom/", language)
    assert response.status_code == 500
    body = response.content.decode()
    assert TEXTS["500"][language] in body
    assert "a failure the user must not see" not in body
    assert "Traceback" not in body
    assert "SECRET" not in body


@pytest.mark.parametrize("language", LANGUAGES)
def test_bad_request_page(rf, language, settings):
    from django.utils import translation
    from django.views.defaults import bad_request

    settings.DEBUG = False
    request = rf.get("/", headers={"accept-language": language})
    with translation.override(language):
        response = bad_request(request, Exception("malformed"))
    assert response.status_code == 400
    assert {"kk": "Қате сұрау", "ru": "Неверный запрос", "en": "Bad request"}[language] in (
        response.content.decode()
    )


@override_settings(ROOT_URLCONF="vigil.site.tests.boom_urls")
def test_api_errors_answer_json_and_nothing_technical(client_for):
    client = client_for("coordinator")
    client.raise_request_exception = False
    english = {"accept-language": "en"}
    missing = client.get("/api/v1/no-such-thing/", headers=english)
    assert (missing.status_code, missing["Content-Type"]) == (404, "application/json")
    assert missing.json() == {"detail": "Not found."}
    failed = client.get("/api/v1/boom/", headers=english)
    assert (failed.status_code, failed["Content-Type"]) == (500, "application/json")
    assert failed.json() == {"detail": "A server error occurred."}


@pytest.mark.parametrize("language", LANGUAGES)
@override_settings(ROOT_URLCONF="vigil.site.tests.boom_urls", VIGIL_RETRY_AFTER_SECONDS=7)
def test_unreachable_database_answers_503_with_retry_after(client_for, language):
    """A database that cannot be reached (here: the error a restart gives) fails cleanly."""
    client = client_for("coordinator")
    client.raise_request_exception = False
    page = _get(client, "/database-down/", language)
    assert (page.status_code, page["Retry-After"]) == (503, "7")
    body = page.content.decode()
    assert "the secret host name" not in body
    assert "Traceback" not in body
    if language == "en":  # the kk/ru catalogs are filled by the lead after merging
        assert "Briefly unavailable" in body
    api = _get(client, "/api/v1/database-down/", language)
    assert (api.status_code, api["Content-Type"], api["Retry-After"]) == (
        503,
        "application/json",
        "7",
    )
    assert "the secret host name" not in api.json()["detail"]


@override_settings(ROOT_URLCONF="vigil.site.tests.boom_urls")
def test_the_drivers_own_connection_error_answers_503_too(client_for):
    client = client_for("coordinator")
    client.raise_request_exception = False
    page = client.get("/driver-error/")
    assert page.status_code == 503
    assert "Retry-After" in page
