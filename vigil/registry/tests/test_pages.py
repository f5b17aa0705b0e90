"""Registry pages: role matrix, filters, search, audited writes, constant queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import ALL_ACTORS
from vigil.audit.models import AuditEvent
from vigil.registry.models import Institution

LIST = "/registry/institutions/"

# Who sees which of the fixture institutions (astana/kuis_71, almaty/moh).
LIST_STATUS = {
    "anonymous": 302,
    "admin": 200,
    "coordinator": 200,
    "regional": 200,
    "monitor": 200,
    "liaison": 200,
    "auditor": 200,
}
CREATE_STATUS = {
    "anonymous": 302,
    "admin": 200,
    "coordinator": 200,
    "regional": 200,
    "monitor": 403,
    "liaison": 403,
    "auditor": 403,
}


@pytest.fixture
def two(ref, make_institution):
    penal = make_institution(name_ru="Учреждение ЕЦ-166/1", name_kk="ЕЦ-166/1 мекемесі")
    hospital = make_institution(
        name_ru="Городская психиатрическая больница",
        name_kk="Қалалық психиатриялық аурухана",
        name_en="City psychiatric hospital",
        type=ref["psych"],
        agency=ref["moh"],
        region=ref["almaty"],
    )
    return penal, hospital


@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_list_role_matrix(client_for, two, actor):
    penal, hospital = two
    response = client_for(actor).get(LIST)
    assert response.status_code == LIST_STATUS[actor]
    if actor == "anonymous":
        assert response["Location"].startswith("/accounts/login/")
        return
    body = response.content.decode()
    sees_hospital = actor not in ("regional", "liaison")
    assert str(penal.public_id) in body
    assert (str(hospital.public_id) in body) == sees_hospital


@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_detail_role_matrix(client_for, two, actor):
    penal, hospital = two
    client = client_for(actor)
    own = client.get(f"{LIST}{penal.public_id}/")
    other = client.get(f"{LIST}{hospital.public_id}/")
    if actor == "anonymous":
        assert own.status_code == other.status_code == 302
        return
    assert own.status_code == 200
    # Out-of-scope institutions are 404, not 403: their existence is not revealed.
    assert other.status_code == (404 if actor in ("regional", "liaison") else 200)


def test_detail_shows_history_only_to_reviewers(client_for, two):
    penal, _ = two
    assert (
        "History of changes"
        in client_for("coordinator").get(f"{LIST}{penal.public_id}/").content.decode()
    )
    assert (
        "History of changes"
        not in client_for("monitor").get(f"{LIST}{penal.public_id}/").content.decode()
    )


def _form_data(ref, **overrides):
    data = {
        "external_code": "NEW-1",
        "name_kk": "Жаңа мекеме",
        "name_ru": "Новое учреждение",
        "name_en": "New institution",
        "type": ref["ivs"].pk,
        "agency": ref["police"].pk,
        "region": ref["astana"].pk,
        "address": "ул. Примерная, 1",
        "capacity": "40",
        "security_level": "",
        "status": "active",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_create_role_matrix(client_for, ref, actor):
    client = client_for(actor)
    assert client.get(f"{LIST}new/").status_code == CREATE_STATUS[actor]
    audit_before = AuditEvent.objects.count()
    response = client.post(f"{LIST}new/", _form_data(ref))
    created = Institution.objects.filter(external_code="NEW-1").first()
    if CREATE_STATUS[actor] == 200:
        assert response.status_code == 302
        assert created is not None
        event = AuditEvent.objects.get(
            action="institution.created", target_id=str(created.public_id)
        )
        assert event.actor is not None
        assert event.actor.role == actor
        assert event.data["fields"]["name_ru"] == "Новое учреждение"
    else:
        assert response.status_code in (302, 403)
        assert created is None
        assert AuditEvent.objects.count() == audit_before


def test_regional_cannot_create_outside_region(client_for, ref):
    response = client_for("regional").post(f"{LIST}new/", _form_data(ref, region=ref["almaty"].pk))
    assert response.status_code == 200
    assert "You may not add institutions in this region." in response.content.decode()
    assert not Institution.objects.filter(external_code="NEW-1").exists()


@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_edit_role_matrix(client_for, ref, two, actor):
    penal, _ = two
    client = client_for(actor)
    url = f"{LIST}{penal.public_id}/edit/"
    data = _form_data(
        ref,
        external_code=penal.external_code,
        name_ru="Переименованное учреждение",
        type=ref["colony"].pk,
        agency=ref["kuis_71"].pk,
    )
    response = client.post(url, data)
    penal.refresh_from_db()
    if actor in ("admin", "coordinator", "regional"):
        assert response.status_code == 302
        assert penal.name_ru == "Переименованное учреждение"
        event = AuditEvent.objects.get(action="institution.updated", target_id=str(penal.public_id))
        assert event.data["changes"]["name_ru"] == [
            "Учреждение ЕЦ-166/1",
            "Переименованное учреждение",
        ]
    else:
        assert response.status_code in (302, 403)
        assert penal.name_ru == "Учреждение ЕЦ-166/1"
        assert not AuditEvent.objects.filter(action="institution.updated").exists()


def test_edit_without_changes_writes_no_audit(client_for, ref, two):
    penal, _ = two
    data = _form_data(
        ref,
        external_code=penal.external_code,
        name_ru=penal.name_ru,
        name_kk=penal.name_kk,
        name_en=penal.name_en,
        type=ref["colony"].pk,
        agency=ref["kuis_71"].pk,
        address=penal.address,
        capacity=str(penal.capacity),
    )
    client_for("coordinator").post(f"{LIST}{penal.public_id}/edit/", data)
    assert not AuditEvent.objects.filter(action="institution.updated").exists()


def test_invalid_form_keeps_input_and_names_field(client_for, ref):
    response = client_for("coordinator").post(
        f"{LIST}new/", _form_data(ref, capacity="-5", name_ru="Сохранённый текст")
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="form-errors"' in body
    assert "Сохранённый текст" in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("психиатрическая", {"hospital"}),
        ("Психиатриялық", {"hospital"}),  # Kazakh spelling
        ("психиатриялык", {"hospital"}),  # Kazakh typed on a Russian keyboard
        ("psychiatric", {"hospital"}),
        ("ец-166", {"penal"}),
        ("мекеме", {"penal"}),
        ("нет такого", set()),
    ],
)
def test_search_any_language(client_for, two, query, expected):
    penal, hospital = two
    body = client_for("coordinator").get(LIST, {"search": query}).content.decode()
    found = {
        name
        for name, inst in (("penal", penal), ("hospital", hospital))
        if f"{inst.public_id}" in body
    }
    assert found == expected


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram search: PostgreSQL")
def test_a_misspelt_name_is_found_only_when_no_name_holds_the_text(client_for, two):
    penal, hospital = two
    coordinator = client_for("coordinator")

    def found(query):
        body = coordinator.get(LIST, {"search": query}).content.decode()
        return {
            n for n, i in (("penal", penal), ("hospital", hospital)) if str(i.public_id) in body
        }

    assert found("психиатрическя") == {"hospital"}  # a letter missing: the trigram match
    # A text some name holds lists those names only, not the near ones besides them.
    assert found("психиатрическая больница") == {"hospital"}
    assert found("больница") == {"hospital"}


def test_filters(client_for, ref, two, make_institution):
    penal, hospital = two
    import datetime

    make_institution(name_ru="Недавно посещённое", last_visited_on=datetime.date(2026, 6, 1))
    client = client_for("coordinator")

    def ids(**params):
        body = client.get(LIST, params).content.decode()
        return {i.name_ru for i in Institution.objects.all() if str(i.public_id) in body}

    assert ids(region="KZ-75") == {hospital.name_ru}
    assert ids(agency="MVD") == {penal.name_ru, "Недавно посещённое"}  # subtree of the ministry
    assert ids(category="medical") == {hospital.name_ru}
    assert ids(type="COLONY_MEDIUM", not_visited_since="2026-01-01") == {penal.name_ru}
    assert ids(status="closed") == set()


def test_htmx_request_gets_the_table_only(client_for, two):
    response = client_for("coordinator").get(LIST, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body
    assert 'data-testid="result-count"' in body


def _count_list_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(LIST).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("actor", ["coordinator", "liaison", "regional"])
def test_list_runs_constant_queries(client_for, make_institution, ref, actor):
    client = client_for(actor)
    for _ in range(3):
        make_institution()
    few = _count_list_queries(client)
    for _ in range(40):
        make_institution()
    assert _count_list_queries(client) == few


def test_sorting_by_capacity_and_by_name_in_the_active_language(client_for, ref, make_institution):
    make_institution(name_en="Alpha", name_ru="Яблоко", capacity=10)
    make_institution(name_en="Zulu", name_ru="Арбуз", capacity=500)
    client = client_for("coordinator")

    def order(params, language="en"):
        body = client.get(LIST, params, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        names = ("Alpha", "Zulu") if language == "en" else ("Яблоко", "Арбуз")
        return sorted(names, key=body.index)

    assert order({}) == ["Alpha", "Zulu"]
    assert order({"ordering": "-name"}) == ["Zulu", "Alpha"]
    assert order({}, language="ru") == ["Арбуз", "Яблоко"]
    assert order({"ordering": "-capacity"}) == ["Zulu", "Alpha"]
    body = client.get(LIST, {"ordering": "capacity"}).content.decode()
    assert 'aria-sort="ascending"' in body
