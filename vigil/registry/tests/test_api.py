"""API v1 of the registry: the role matrix for every endpoint and method, scopes, writes,
filters, pagination and a constant number of queries."""

import uuid
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import ALL_ACTORS
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.registry.enums import InstitutionStatus
from vigil.registry.models import Institution

API = "/api/v1"
WRITERS = {"admin", "coordinator", "regional"}  # regional: in its own region (Astana)
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


def institution_state() -> list[tuple[Any, ...]]:
    return list(
        Institution.objects.order_by("pk").values_list(
            "pk", "name_ru", "region_id", "agency_id", "capacity", "status", "updated_at"
        )
    )


def audit_actions() -> list[str]:
    """Audit rows other than the sign-in that `client_for` does."""
    return list(
        AuditEvent.objects.exclude(action=AuditAction.USER_LOGGED_IN).values_list(
            "action", flat=True
        )
    )


@pytest.fixture
def places(make_institution, ref):
    """Four institutions: Astana/KUIS-71, Almaty/KUIS, Astana/police, Karaganda/MOH."""
    return {
        "astana_kuis": make_institution(name_ru="Колония № 1 Астана"),
        "almaty_kuis": make_institution(
            region=ref["almaty"], agency=ref["kuis"], name_ru="Колония № 2 Алматы"
        ),
        "astana_police": make_institution(
            type=ref["ivs"], agency=ref["police"], name_ru="ИВС Астана", capacity=20
        ),
        "karaganda_moh": make_institution(
            type=ref["psych"],
            agency=ref["moh"],
            region=ref["karaganda"],
            name_ru="Психиатрическая больница Караганды",
            name_kk="Қарағанды психиатриялық ауруханасы",
        ),
    }


VISIBLE = {
    "admin": {"astana_kuis", "almaty_kuis", "astana_police", "karaganda_moh"},
    "coordinator": {"astana_kuis", "almaty_kuis", "astana_police", "karaganda_moh"},
    "monitor": {"astana_kuis", "almaty_kuis", "astana_police", "karaganda_moh"},
    "auditor": {"astana_kuis", "almaty_kuis", "astana_police", "karaganda_moh"},
    "regional": {"astana_kuis", "astana_police"},
    "liaison": {"astana_kuis", "almaty_kuis"},  # MVD-KUIS and its sub-units
    "other_liaison": {"karaganda_moh"},
}


def new_institution_payload(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "external_code": "NEW-001",
        "name_ru": "Новое учреждение",
        "name_kk": "Жаңа мекеме",
        "name_en": "New institution",
        "type": "COLONY_MEDIUM",
        "agency": "MVD-KUIS-71",
        "region": "KZ-71",
        "capacity": 250,
        "security_level": "medium",
        "status": "active",
    }
    data.update(overrides)
    return data


# ---------------------------------------------------------------- institutions: reads


@pytest.mark.parametrize("actor", [*ALL_ACTORS, "other_liaison"])
def test_institution_list_matrix_and_scope(client_for, places, actor):
    response = client_for(actor).get(f"{API}/institutions/")
    if actor == "anonymous":
        assert_unauthenticated(response)
        return
    assert response.status_code == 200
    body = response.json()
    expected = {str(places[key].public_id) for key in VISIBLE[actor]}
    assert {item["id"] for item in body["results"]} == expected
    assert body["count"] == len(expected)


@pytest.mark.parametrize("target", ["astana_kuis", "almaty_kuis", "astana_police", "karaganda_moh"])
@pytest.mark.parametrize("actor", [*ALL_ACTORS, "other_liaison"])
def test_institution_detail_matrix(client_for, places, actor, target):
    response = client_for(actor).get(f"{API}/institutions/{places[target].public_id}/")
    if actor == "anonymous":
        assert_unauthenticated(response)
    elif target in VISIBLE[actor]:
        assert response.status_code == 200
        assert response.json()["id"] == str(places[target].public_id)
    else:
        assert_error(response, 404)


def test_liaison_gets_404_for_an_institution_of_another_agency(client_for, places):
    response = client_for("liaison").get(f"{API}/institutions/{places['karaganda_moh'].public_id}/")
    assert_error(response, 404)


def test_institution_item_shape(client_for, places):
    inst = places["astana_kuis"]
    inst.population_men = 80
    inst.population_women = 5
    inst.save()
    body = (
        client_for("coordinator")
        .get(f"{API}/institutions/{inst.public_id}/", HTTP_ACCEPT_LANGUAGE="en")
        .json()
    )
    assert body["id"] == str(inst.public_id)
    assert "pk" not in body
    assert uuid.UUID(body["id"]) == inst.public_id
    assert body["url"] == f"http://testserver{API}/institutions/{inst.public_id}/"
    assert body["html_url"] == f"http://testserver/registry/institutions/{inst.public_id}/"
    assert body["external_code"] == inst.external_code
    assert body["name"] == inst.name_en
    assert (body["name_kk"], body["name_ru"]) == (inst.name_kk, inst.name_ru)
    assert (body["type"], body["agency"], body["region"]) == (
        "COLONY_MEDIUM",
        "MVD-KUIS-71",
        "KZ-71",
    )
    assert body["type_name"] == "Medium-security colony"
    assert body["region_name"] == "Astana"
    assert body["category"] == "penal"
    assert body["population_total"] == 85
    assert body["status"] == "active"
    assert body["last_visited_on"] is None


@pytest.mark.parametrize("bad", ["not-a-uuid", "1", "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9"])
def test_bad_or_unknown_id_is_404(client_for, places, bad):
    assert_error(client_for("admin").get(f"{API}/institutions/{bad}/"), 404)


# ---------------------------------------------------------------- institutions: writes


@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_institution_create_matrix(client_for, places, actor):
    before = institution_state()
    response = client_for(actor).post(
        f"{API}/institutions/", new_institution_payload(), content_type="application/json"
    )
    if actor in WRITERS:
        assert response.status_code == 201, response.content
        created = Institution.objects.get(external_code="NEW-001")
        body = response.json()
        assert body["id"] == str(created.public_id)
        assert response["Location"] == body["url"]
        assert created.region.code == "KZ-71"
        assert created.search_text  # the service prepared it
        event = AuditEvent.objects.get(action=AuditAction.INSTITUTION_CREATED)
        assert event.actor is not None
        assert event.actor.email == f"{actor}@test.vigil"
        assert event.target_id == str(created.public_id)
        assert event.request_id
        return
    if actor == "anonymous":
        assert_unauthenticated(response)
    else:
        assert_error(response, 403)
    assert institution_state() == before
    assert audit_actions() == []


@pytest.mark.parametrize("method", ["patch", "put"])
@pytest.mark.parametrize("actor", [*ALL_ACTORS, "other_liaison"])
def test_institution_update_matrix(client_for, places, actor, method):
    inst = places["astana_kuis"]
    before = institution_state()
    payload = (
        {"capacity": 999, "status": "under_reconstruction"}
        if method == "patch"
        else new_institution_payload(
            external_code=inst.external_code, capacity=999, status="under_reconstruction"
        )
    )
    response = getattr(client_for(actor), method)(
        f"{API}/institutions/{inst.public_id}/", payload, content_type="application/json"
    )
    if actor in WRITERS:
        assert response.status_code == 200, response.content
        assert response.json()["capacity"] == 999
        inst.refresh_from_db()
        assert (inst.capacity, inst.status) == (999, InstitutionStatus.UNDER_RECONSTRUCTION)
        event = AuditEvent.objects.get(action=AuditAction.INSTITUTION_UPDATED)
        assert event.data["changes"]["capacity"][1] == 999
        assert event.actor is not None
        assert event.actor.email == f"{actor}@test.vigil"
        return
    if actor == "anonymous":
        assert_unauthenticated(response)
    elif actor == "other_liaison":
        assert_error(response, 404)  # cannot even see it
    else:
        assert_error(response, 403)
    assert institution_state() == before
    assert audit_actions() == []


@pytest.mark.parametrize("actor", [*ALL_ACTORS, "other_liaison"])
def test_institutions_cannot_be_deleted(client_for, places, actor):
    before = institution_state()
    response = client_for(actor).delete(f"{API}/institutions/{places['astana_kuis'].public_id}/")
    if actor == "anonymous":
        assert_unauthenticated(response)
    else:
        assert_error(response, 405)
    assert institution_state() == before
    assert audit_actions() == []


def test_regional_cannot_create_outside_its_regions(client_for, places):
    before = institution_state()
    response = client_for("regional").post(
        f"{API}/institutions/",
        new_institution_payload(region="KZ-75"),
        content_type="application/json",
    )
    assert_error(response, 403)
    assert institution_state() == before
    assert audit_actions() == []


def test_regional_cannot_move_an_institution_out_of_its_regions(client_for, places):
    before = institution_state()
    response = client_for("regional").patch(
        f"{API}/institutions/{places['astana_kuis'].public_id}/",
        {"region": "KZ-75"},
        content_type="application/json",
    )
    assert_error(response, 403)
    assert institution_state() == before
    assert audit_actions() == []


def test_regional_gets_404_for_another_regions_institution(client_for, places):
    before = institution_state()
    response = client_for("regional").patch(
        f"{API}/institutions/{places['almaty_kuis'].public_id}/",
        {"capacity": 1},
        content_type="application/json",
    )
    assert_error(response, 404)
    assert institution_state() == before


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name_ru": "", "name_kk": "", "name_en": ""}, "name_ru"),  # model rule, via service
        ({"region": "KZ-00"}, "region"),
        ({"type": "NO_SUCH_TYPE"}, "type"),
        ({"capacity": -1}, "capacity"),
        ({"capacity": 3_000_000_000}, "capacity"),
        ({"status": "demolished"}, "status"),
        ({"population_date": "31.12.2024"}, "population_date"),
        ({"external_code": "T-00001"}, "external_code"),  # taken by `places`
    ],
)
def test_create_validation_error_names_the_field(client_for, places, payload, field):
    before = institution_state()
    response = client_for("coordinator").post(
        f"{API}/institutions/", new_institution_payload(**payload), content_type="application/json"
    )
    body = assert_error(response, 400)
    assert field in body["errors"], body
    assert all(isinstance(m, str) for m in body["errors"][field])
    assert institution_state() == before
    assert audit_actions() == []


def test_missing_required_fields_are_named(client_for, places):
    body = assert_error(
        client_for("admin").post(f"{API}/institutions/", {}, content_type="application/json"), 400
    )
    assert {"type", "agency", "region"} <= body["errors"].keys()


def test_patch_validation_error_changes_nothing(client_for, places):
    before = institution_state()
    response = client_for("coordinator").patch(
        f"{API}/institutions/{places['astana_kuis'].public_id}/",
        {"name_ru": "", "name_kk": "", "name_en": ""},
        content_type="application/json",
    )
    assert "name_ru" in assert_error(response, 400)["errors"]
    assert institution_state() == before
    assert audit_actions() == []


def test_patch_without_changes_writes_no_audit_row(client_for, places):
    inst = places["astana_kuis"]
    response = client_for("coordinator").patch(
        f"{API}/institutions/{inst.public_id}/",
        {"capacity": inst.capacity},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert audit_actions() == []


def test_read_only_fields_are_ignored_on_write(client_for, places):
    inst = places["astana_kuis"]
    response = client_for("coordinator").patch(
        f"{API}/institutions/{inst.public_id}/",
        {"id": str(uuid.uuid4()), "last_visited_on": "2020-01-01", "capacity": 5},
        content_type="application/json",
    )
    assert response.status_code == 200
    inst.refresh_from_db()
    assert response.json()["id"] == str(inst.public_id)
    assert inst.last_visited_on is None


def test_form_encoded_writes_are_refused(client_for, places):
    response = client_for("coordinator").post(f"{API}/institutions/", new_institution_payload())
    assert_error(response, 415)
    assert not Institution.objects.filter(external_code="NEW-001").exists()


# ---------------------------------------------------------------- filters, pagination, queries


def _ids(response: Any) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["results"]}


def test_filters_region_and_cyrillic_search(client_for, places):
    client = client_for("coordinator")
    pid = {k: str(v.public_id) for k, v in places.items()}
    assert _ids(client.get(f"{API}/institutions/", {"region": "KZ-71"})) == {
        pid["astana_kuis"],
        pid["astana_police"],
    }
    assert _ids(client.get(f"{API}/institutions/", {"region": "KZ-71", "search": "колония"})) == {
        pid["astana_kuis"]
    }
    # Kazakh letters and case fold: "ҚАРАҒАНДЫ" finds the Kazakh name.
    assert _ids(client.get(f"{API}/institutions/", {"search": "ҚАРАҒАНДЫ"})) == {
        pid["karaganda_moh"]
    }
    assert _ids(client.get(f"{API}/institutions/", {"agency": "MVD-KUIS"})) == {
        pid["astana_kuis"],
        pid["almaty_kuis"],
    }
    assert _ids(client.get(f"{API}/institutions/", {"category": "police"})) == {
        pid["astana_police"]
    }


def test_filters_respect_the_callers_scope(client_for, places):
    # A liaison filtering for another agency's institutions finds nothing.
    assert _ids(client_for("liaison").get(f"{API}/institutions/", {"agency": "MOH"})) == set()


def test_invalid_filter_is_400_naming_the_parameter(client_for, places):
    response = client_for("monitor").get(f"{API}/institutions/", {"region": "KZ-00"})
    assert "region" in assert_error(response, 400)["errors"]
    response = client_for("monitor").get(f"{API}/institutions/", {"not_visited_since": "soon"})
    assert "not_visited_since" in assert_error(response, 400)["errors"]


def test_ordering_and_not_visited_since(client_for, places):
    import datetime

    places["astana_kuis"].last_visited_on = datetime.date(2025, 5, 1)
    places["astana_kuis"].save()
    client = client_for("coordinator")
    body = client.get(f"{API}/institutions/", {"ordering": "-capacity"}).json()
    capacities = [item["capacity"] for item in body["results"]]
    assert capacities == sorted(capacities, reverse=True)
    ids = _ids(client.get(f"{API}/institutions/", {"not_visited_since": "2025-01-01"}))
    assert str(places["astana_kuis"].public_id) not in ids
    assert len(ids) == 3


def test_pagination_count_and_pages(client_for, make_institution):
    for _ in range(60):
        make_institution()
    client = client_for("coordinator")
    first = client.get(f"{API}/institutions/").json()
    assert first["count"] == 60
    assert len(first["results"]) == 50
    assert first["previous"] is None
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 10
    assert second["next"] is None
    seen = {i["id"] for i in first["results"]} | {i["id"] for i in second["results"]}
    assert len(seen) == 60
    small = client.get(f"{API}/institutions/", {"page_size": 7, "ordering": "region"}).json()
    assert (small["count"], len(small["results"])) == (60, 7)
    assert_error(client.get(f"{API}/institutions/", {"page": 99}), 404)


@pytest.mark.parametrize("actor", ["coordinator", "regional", "liaison"])
def test_list_query_count_is_constant(client_for, make_institution, ref, actor):
    client = client_for(actor)
    client.get(f"{API}/institutions/")  # warm-up: session, language

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"{API}/institutions/", {"region": "KZ-71"})
        assert response.status_code == 200
        return len(ctx.captured_queries)

    for _ in range(3):
        make_institution()
    few = count_queries()
    for _ in range(27):
        make_institution(agency=ref["kuis"])
    assert Institution.objects.count() == 30
    many = count_queries()
    assert many == few, (few, many)
