"""API v1 of the reference data: every role reads it, nobody writes it, items by code."""

from typing import Any

import pytest

from conftest import ALL_ACTORS
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.reference.models import Region

API = "/api/v1"
UNAUTHENTICATED = "Authentication credentials were not provided."


def assert_unauthenticated(response: Any) -> None:
    """Anonymous callers: 401 (token challenge) or 403 (session first), the error body."""
    assert response.status_code in (401, 403), response.content
    assert response.json() == {"detail": UNAUTHENTICATED}


def assert_error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert isinstance(body["detail"], str)
    assert body["detail"]
    return body


def audit_actions() -> list[str]:
    """Audit rows other than the sign-in that `client_for` does."""
    return list(
        AuditEvent.objects.exclude(action=AuditAction.USER_LOGGED_IN).values_list(
            "action", flat=True
        )
    )


REFERENCE_URLS = [
    f"{API}/regions/",
    f"{API}/regions/KZ-71/",
    f"{API}/agencies/",
    f"{API}/agencies/MVD-KUIS/",
    f"{API}/institution-types/",
    f"{API}/institution-types/IVS/",
]


@pytest.mark.parametrize("url", REFERENCE_URLS)
@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_reference_read_matrix(client_for, actor, url):
    response = client_for(actor).get(url)
    if actor == "anonymous":
        assert_unauthenticated(response)
    else:
        assert response.status_code == 200


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("post", f"{API}/regions/"),
        ("put", f"{API}/regions/KZ-71/"),
        ("patch", f"{API}/regions/KZ-71/"),
        ("delete", f"{API}/regions/KZ-71/"),
        ("post", f"{API}/agencies/"),
        ("patch", f"{API}/agencies/MOH/"),
        ("delete", f"{API}/agencies/MOH/"),
        ("post", f"{API}/institution-types/"),
        ("patch", f"{API}/institution-types/IVS/"),
        ("delete", f"{API}/institution-types/IVS/"),
    ],
)
@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_reference_data_is_read_only(client_for, actor, method, url):
    before = list(Region.objects.values_list("code", "name_ru"))
    response = getattr(client_for(actor), method)(
        url, {"code": "KZ-99", "name_ru": "X"}, content_type="application/json"
    )
    if actor == "anonymous":
        assert_unauthenticated(response)
    else:
        assert_error(response, 405)
    assert list(Region.objects.values_list("code", "name_ru")) == before
    assert audit_actions() == []


def test_region_item_shape_and_language(client_for, ref):
    ref["almaty"].predecessor = ref["karaganda"]
    ref["almaty"].save()
    ref["almaty"].neighbours.set([ref["karaganda"], ref["astana"]])
    client = client_for("monitor")
    body = client.get(f"{API}/regions/KZ-75/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body == {
        "code": "KZ-75",
        "name": "Almaty",
        "name_kk": "Алматы",
        "name_ru": "Алматы",
        "name_en": "Almaty",
        "kind": "city",
        "valid_from": None,
        "valid_to": None,
        "predecessor": "KZ-35",
        "neighbours": ["KZ-35", "KZ-71"],
    }
    assert (
        client.get(f"{API}/regions/KZ-35/", HTTP_ACCEPT_LANGUAGE="kk").json()["name"]
        == "Қарағанды облысы"
    )
    assert (
        client.get(f"{API}/regions/KZ-35/", HTTP_ACCEPT_LANGUAGE="ru").json()["name"]
        == "Карагандинская область"
    )


def test_agency_and_type_items_carry_codes(client_for):
    client = client_for("liaison")
    agency = client.get(f"{API}/agencies/MVD-KUIS-71/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert agency["parent"] == "MVD-KUIS"
    assert agency["region"] == "KZ-71"
    assert agency["level"] == "regional_department"
    assert agency["name"] == "Penitentiary Department of Astana"
    assert client.get(f"{API}/agencies/MVD/").json()["parent"] is None
    kind = client.get(f"{API}/institution-types/COLONY_MEDIUM/").json()
    assert kind["category"] == "penal"
    assert kind["agency"] == "MVD-KUIS"
    assert {"name_kk", "name_ru", "name_en", "name", "valid_from", "valid_to"} <= kind.keys()


def test_reference_lists_are_paginated(client_for):
    body = client_for("monitor").get(f"{API}/agencies/", {"page_size": 2}).json()
    assert body["count"] == 5
    assert [a["code"] for a in body["results"]] == ["MOH", "MVD"]
    assert body["next"].endswith("page=2&page_size=2")
    assert body["previous"] is None


def test_unknown_code_is_404_with_error_body(client_for):
    assert_error(client_for("admin").get(f"{API}/regions/KZ-00/"), 404)
