"""Pages come in Kazakh, Russian and English; reference names follow the language."""

import pytest


@pytest.mark.parametrize(
    ("language", "nav", "name"),
    [
        ("kk", "Мекемелер", "№ 1 мекеме"),
        ("ru", "Учреждения", "Учреждение № 1"),
        ("en", "Institutions", "Institution No. 1"),
    ],
)
def test_registry_in_each_language(client_for, make_institution, language, nav, name):
    make_institution()
    client = client_for("coordinator")
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    body = client.get("/registry/institutions/").content.decode()
    assert f'<html lang="{language}">' in body
    assert nav in body
    assert name in body


def test_language_switch_works_before_login(client):
    response = client.post("/i18n/setlang/", {"language": "kk", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert "Vigil жүйесіне кіру" in client.get("/accounts/login/").content.decode()
