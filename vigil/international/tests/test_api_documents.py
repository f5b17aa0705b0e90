"""API v1 of the UN follow-up: the role matrix of the documents and the scales, their
validation errors by field and their filters. Denied writes change nothing and audit nothing."""

import pytest

from vigil.audit.enums import AuditAction
from vigil.international.enums import EventKind
from vigil.international.models import Document
from vigil.international.tests.api_helpers import (
    ACTORS,
    API,
    DOCUMENTS,
    MANAGERS,
    RECORDERS_SEEN_BY,
    _results,
    audit_rows,
    expected,
)
from vigil.international.tests.api_helpers import (
    api as api,
)
from vigil.international.tests.api_helpers import (
    docs as docs,
)

pytestmark = pytest.mark.django_db

# ---------------------------------------------------------------- documents


@pytest.mark.parametrize("actor", ACTORS)
def test_document_list_matrix(api, docs, actor):
    response = api(actor).get(f"{API}documents/")
    if actor == "anonymous":
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Token")
        return
    rows = _results(response)
    assert {r["symbol"] for r in rows} == {docs[k].symbol for k in DOCUMENTS[actor]}
    for row in rows:
        assert ("created_by" in row) == (actor in RECORDERS_SEEN_BY)
    if actor == "liaison":  # of the CAT observations, only the paragraph addressed to it
        cat = next(r for r in rows if r["symbol"] == "CAT/C/KAZ/CO/4")
        assert cat["paragraph_count"] == 1


@pytest.mark.parametrize("key", ["cat", "spt", "published"])
@pytest.mark.parametrize("actor", ACTORS)
def test_document_retrieve_matrix(api, docs, actor, key):
    document = docs[key]
    response = api(actor).get(f"{API}documents/{document.public_id}/")
    visible = actor != "anonymous" and key in DOCUMENTS[actor]
    assert response.status_code == expected(actor, visible, True)
    if response.status_code == 200:
        body = response.json()
        assert body["id"] == str(document.public_id)
        assert body["restricted"] == (key == "spt")


def test_document_bad_ids_are_404(api):
    assert api("coordinator").get(f"{API}documents/not-a-uuid/").status_code == 404
    missing = f"{API}documents/00000000-0000-0000-0000-000000000000/"
    assert api("coordinator").get(missing).status_code == 404


DOCUMENT_BODY = {
    "symbol": "CAT/C/KAZ/CO/5",
    "body": "CAT",
    "kind": "concluding_observations",
    "title_en": "Concluding observations on the fifth periodic report",
    "adopted_on": "2028-05-10",
}


@pytest.mark.parametrize("actor", ACTORS)
def test_document_create_matrix(api, docs, actor):
    before = Document.objects.count()
    response = api(actor).post(f"{API}documents/", DOCUMENT_BODY, format="json")
    assert response.status_code == expected(actor, True, actor in MANAGERS, ok=201)
    if response.status_code == 201:
        body = response.json()
        assert body["symbol"] == "CAT/C/KAZ/CO/5"
        assert body["created_by"] == f"Test {actor.title()}" or body["created_by"]
        assert audit_rows() == [AuditAction.UN_DOCUMENT_CREATED]
    else:
        assert Document.objects.count() == before
        assert audit_rows() == []


@pytest.mark.parametrize("key", ["cat", "spt"])
@pytest.mark.parametrize("actor", ACTORS)
def test_document_patch_matrix(api, docs, actor, key):
    document = docs[key]
    response = api(actor).patch(
        f"{API}documents/{document.public_id}/", {"title_en": "Renamed"}, format="json"
    )
    visible = actor != "anonymous" and key in DOCUMENTS[actor]
    assert response.status_code == expected(actor, visible, actor in MANAGERS)
    document.refresh_from_db()
    if response.status_code == 200:
        assert response.json()["title_en"] == "Renamed"
        assert audit_rows() == [AuditAction.UN_DOCUMENT_UPDATED]
    else:
        assert document.title_en != "Renamed"
        assert audit_rows() == []


def test_document_put_and_delete_are_not_offered(api, docs):
    url = f"{API}documents/{docs['cat'].public_id}/"
    assert api("coordinator").put(url, DOCUMENT_BODY, format="json").status_code == 405
    assert api("coordinator").delete(url).status_code == 405
    assert Document.objects.filter(pk=docs["cat"].pk).exists()


def test_publishing_a_confidential_report_through_the_api_shows_it(api, docs):
    url = f"{API}documents/{docs['spt'].public_id}/"
    assert api("monitor").get(url).status_code == 404
    response = api("coordinator").patch(url, {"published_on": "2025-01-09"}, format="json")
    assert response.status_code == 200
    assert response.json()["restricted"] is False
    assert api("monitor").get(url).status_code == 200
    assert docs["spt_kuis"].events.filter(kind=EventKind.PUBLISHED).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**DOCUMENT_BODY, "symbol": "CAT/C/KAZ/CO/4"}, "symbol"),
        ({**DOCUMENT_BODY, "body": "XYZ"}, "body"),
        ({**DOCUMENT_BODY, "adopted_on": "0613-01-01"}, "adopted_on"),
        ({**DOCUMENT_BODY, "published_on": "2020-01-01"}, "published_on"),
        ({k: v for k, v in DOCUMENT_BODY.items() if k != "kind"}, "kind"),
    ],
    ids=["duplicate-symbol", "unknown-body", "year-613", "published-before-adopted", "no-kind"],
)
def test_document_validation_errors_name_the_field(api, docs, body, field):
    response = api("coordinator").post(f"{API}documents/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"], response.json()
    assert audit_rows() == []


@pytest.mark.parametrize(
    ("params", "keys"),
    [
        ({"body": "SPT"}, {"spt", "published"}),
        ({"body": "CAT"}, {"cat"}),
        ({"kind": "visit_report"}, {"spt", "published"}),
        ({"year": "2024"}, {"cat"}),
        ({"adopted_from": "2017-01-01"}, {"cat", "spt"}),
        ({"adopted_from": "2017-01-01", "adopted_to": "2023-12-31"}, {"spt"}),
        ({"follow_up": "true"}, {"cat"}),
        ({"follow_up": "false"}, {"spt", "published"}),
    ],
    ids=lambda v: "-".join(f"{k}={x}" for k, x in v.items()) if isinstance(v, dict) else "",
)
def test_document_filters(api, docs, params, keys):
    rows = _results(api("coordinator").get(f"{API}documents/", params))
    assert {r["symbol"] for r in rows} == {docs[k].symbol for k in keys}


def test_document_filter_errors_name_the_parameter(api, docs):
    response = api("coordinator").get(f"{API}documents/", {"adopted_from": "soon"})
    assert response.status_code == 400
    assert "adopted_from" in response.json()["errors"]


# ---------------------------------------------------------------- scales


@pytest.mark.parametrize("actor", ACTORS)
def test_scales_are_read_by_every_role(api, actor):
    response = api(actor).get(f"{API}scales/")
    if actor == "anonymous":
        assert response.status_code == 401
        return
    scales = {s["code"]: s for s in _results(response)}
    assert [g["code"] for g in scales["implementation-1-3"]["grades"]] == ["1", "2", "3", "n/a"]
    detail = api(actor).get(f"{API}scales/follow-up-a-e/")
    assert detail.status_code == 200
    grades = detail.json()["grades"]
    assert [g["code"] for g in grades] == ["A", "B", "C", "D", "E", "n/a"]
    assert [g["not_applicable"] for g in grades].count(True) == 1


def test_scales_are_read_only(api):
    client = api("coordinator")
    assert client.get(f"{API}scales/unknown/").status_code == 404
    assert client.post(f"{API}scales/", {"code": "x"}, format="json").status_code == 405
    assert client.delete(f"{API}scales/implementation-1-3/").status_code == 405
