"""API v1 of the UN follow-up: the role matrix of the paragraphs, their validation errors,
filters, and the evidence counts in a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vigil.audit.enums import AuditAction
from vigil.international.models import Paragraph
from vigil.international.services import link_confirm
from vigil.international.tests.api_helpers import (
    ACTORS,
    API,
    MANAGERS,
    PARAGRAPHS,
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
from vigil.recommendations.enums import State

pytestmark = pytest.mark.django_db

# ---------------------------------------------------------------- paragraphs


@pytest.mark.parametrize("actor", ACTORS)
def test_paragraph_list_matrix(api, docs, actor):
    response = api(actor).get(f"{API}paragraphs/")
    if actor == "anonymous":
        assert response.status_code == 401
        return
    rows = _results(response)
    assert {r["id"] for r in rows} == {str(docs[k].public_id) for k in PARAGRAPHS[actor]}


@pytest.mark.parametrize("key", ["to_kuis", "to_moh", "spt_kuis", "pub_kuis"])
@pytest.mark.parametrize("actor", ACTORS)
def test_paragraph_retrieve_matrix(api, docs, actor, key):
    paragraph = docs[key]
    response = api(actor).get(f"{API}paragraphs/{paragraph.public_id}/")
    visible = actor != "anonymous" and key in PARAGRAPHS[actor]
    assert response.status_code == expected(actor, visible, True)
    if response.status_code == 200:
        body = response.json()
        assert body["document"] == str(paragraph.document.public_id)
        assert body["document_symbol"] == paragraph.document.symbol
        assert body["themes"] == paragraph.theme_list
        assert set(body["evidence"]) == {
            "findings",
            "recommendations",
            "visits",
            "open",
            "implemented",
        }


@pytest.mark.parametrize("actor", ACTORS)
def test_paragraph_create_matrix(api, docs, actor, ref):
    before = Paragraph.objects.count()
    response = api(actor).post(
        f"{API}paragraphs/",
        {
            "document": str(docs["cat"].public_id),
            "number": "11",
            "text_en": "Investigate every allegation of ill-treatment promptly (synthetic).",
            "follow_up": True,
            "themes": ["T1", "T8"],
            "addressees": ["MVD-KUIS"],
        },
        format="json",
    )
    assert response.status_code == expected(actor, True, actor in MANAGERS, ok=201)
    if response.status_code == 201:
        body = response.json()
        assert body["themes"] == ["T1", "T8"]
        assert body["addressees"] == ["MVD-KUIS"]
        assert body["position"] == 3  # after the two of the document
        assert audit_rows() == [AuditAction.UN_PARAGRAPH_CREATED]
    else:
        assert Paragraph.objects.count() == before
        assert audit_rows() == []


def test_a_paragraph_of_a_document_the_author_cannot_see_does_not_exist(api, docs):
    # a monitor is refused before the body is read; a coordinator names an unknown document
    response = api("coordinator").post(
        f"{API}paragraphs/",
        {"document": "00000000-0000-0000-0000-000000000000", "number": "1", "text_en": "x"},
        format="json",
    )
    assert response.status_code == 400
    assert "document" in response.json()["errors"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"number": "10", "text_en": "Again."}, "non_field_errors"),
        ({"number": "12"}, "text_en"),
        ({"number": "12", "text_en": "x", "themes": ["T9"]}, "themes.0"),
        ({"number": "12", "text_en": "x", "addressees": ["NOPE"]}, "addressees"),
    ],
    ids=["duplicate-number", "no-text", "unknown-theme", "unknown-agency"],
)
def test_paragraph_validation_errors_name_the_field(api, docs, body, field):
    response = api("coordinator").post(
        f"{API}paragraphs/", {"document": str(docs["cat"].public_id), **body}, format="json"
    )
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"], response.json()
    assert audit_rows() == []


@pytest.mark.parametrize("key", ["to_kuis", "spt_kuis"])
@pytest.mark.parametrize("actor", ACTORS)
def test_paragraph_patch_matrix(api, docs, actor, key):
    paragraph = docs[key]
    response = api(actor).patch(
        f"{API}paragraphs/{paragraph.public_id}/",
        {"follow_up": False, "themes": ["T2"]},
        format="json",
    )
    visible = actor != "anonymous" and key in PARAGRAPHS[actor]
    assert response.status_code == expected(actor, visible, actor in MANAGERS)
    paragraph.refresh_from_db()
    if response.status_code == 200:
        assert response.json()["themes"] == ["T2"]
        assert paragraph.themes == "T2"
        assert audit_rows() == [AuditAction.UN_PARAGRAPH_UPDATED]
    else:
        assert audit_rows() == []
        assert paragraph.themes != "T2"


def test_a_paragraph_stays_in_its_document(api, docs):
    response = api("coordinator").patch(
        f"{API}paragraphs/{docs['to_kuis'].public_id}/",
        {"document": str(docs["spt"].public_id)},
        format="json",
    )
    assert response.status_code == 400
    assert "document" in response.json()["errors"]


def test_paragraph_addressees_change_through_the_api(api, docs, ref):
    paragraph = docs["to_kuis"]
    response = api("coordinator").patch(
        f"{API}paragraphs/{paragraph.public_id}/", {"addressees": ["MOH"]}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["addressees"] == ["MOH"]
    assert api("liaison").get(f"{API}paragraphs/{paragraph.public_id}/").status_code == 404
    assert api("other_liaison").get(f"{API}paragraphs/{paragraph.public_id}/").status_code == 200


@pytest.mark.parametrize(
    ("params", "keys"),
    [
        ({"document": "CAT/C/KAZ/CO/4"}, {"to_kuis", "to_moh"}),
        ({"document": "spt"}, {"spt_kuis"}),
        ({"theme": "T1"}, {"to_kuis"}),
        ({"theme": "T5"}, {"to_moh"}),
        ({"follow_up": "true"}, {"to_kuis"}),
        ({"addressee": "MVD-KUIS"}, {"to_kuis", "spt_kuis", "pub_kuis"}),
        ({"addressee": "MVD"}, {"to_kuis", "spt_kuis", "pub_kuis"}),
        ({"addressee": "MOH"}, {"to_moh"}),
    ],
    ids=lambda v: "-".join(f"{k}={x}" for k, x in v.items()) if isinstance(v, dict) else "",
)
def test_paragraph_filters(api, docs, params, keys):
    if params.get("document") == "spt":
        params = {"document": str(docs["spt"].public_id)}
    rows = _results(api("coordinator").get(f"{API}paragraphs/", params))
    assert {r["id"] for r in rows} == {str(docs[k].public_id) for k in keys}


def test_paragraph_filters_stay_within_what_the_liaison_sees(api, docs):
    rows = _results(api("liaison").get(f"{API}paragraphs/", {"addressee": "MOH"}))
    assert rows == []
    response = api("liaison").get(f"{API}paragraphs/", {"addressee": "NOPE"})
    assert response.status_code == 400
    assert "addressee" in response.json()["errors"]


# ---------------------------------------------------------------- evidence


@pytest.fixture
def evidence_world(docs, users, make_recommendation, approved_visit, ref):
    coordinator = users["coordinator"]
    visit = approved_visit()
    finding = visit.findings.first()
    on_finding = make_recommendation(visit=visit, findings=[finding], state=State.IN_IMPLEMENTATION)
    done = make_recommendation(state=State.IMPLEMENTED_VERIFIED)
    paragraph = docs["to_kuis"]
    link_confirm(actor=coordinator, paragraph=paragraph, target=finding)
    link_confirm(actor=coordinator, paragraph=paragraph, target=done, origin="suggested", score=0.4)
    return {"finding": finding, "on_finding": on_finding, "done": done, "visit": visit}


def test_paragraph_carries_its_evidence_counts(api, docs, evidence_world):
    body = api("coordinator").get(f"{API}paragraphs/{docs['to_kuis'].public_id}/").json()
    assert body["evidence"] == {
        "findings": 1,
        "recommendations": 2,
        "visits": 1,
        "open": 1,
        "implemented": 1,
    }
    # the liaison never sees the findings, nor what is counted through them: only the
    # recommendation linked itself (addressed to its agency)
    liaison = api("liaison").get(f"{API}paragraphs/{docs['to_kuis'].public_id}/").json()
    assert liaison["evidence"] == {
        "findings": 0,
        "recommendations": 1,
        "visits": 0,
        "open": 0,
        "implemented": 1,
    }


def test_paragraph_list_takes_a_constant_number_of_queries(
    api, docs, users, make_paragraph, make_recommendation
):
    client = api("coordinator")
    coordinator = users["coordinator"]

    def add_linked(n: int) -> None:
        for _ in range(n):
            paragraph = make_paragraph(docs["cat"], number=f"{100 + Paragraph.objects.count()}")
            link_confirm(actor=coordinator, paragraph=paragraph, target=make_recommendation())

    add_linked(1)
    client.get(f"{API}paragraphs/")  # warm up (the token's first use)
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"{API}paragraphs/").status_code == 200
    add_linked(6)
    with CaptureQueriesContext(connection) as many:
        rows = _results(client.get(f"{API}paragraphs/"))
    assert len(rows) == 11
    assert sum(r["evidence"]["recommendations"] for r in rows) == 7
    assert len(many) == len(few)
