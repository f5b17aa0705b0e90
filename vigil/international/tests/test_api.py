"""API v1 of the UN follow-up over HTTP with API tokens: the role matrix of every endpoint and
method (a confidential SPT report exists for coordinators only, a liaison sees the published
documents and the paragraphs addressed to its agency), the fields hidden from readers,
validation errors by field, assessments as an append-only history (405), links decided by a
person, suggestions, filters, and the evidence counts in a constant number of queries.
Denied writes change nothing and audit nothing."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from conftest import ALL_ACTORS
from vigil.accounts.tests.fixtures import api_key
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.international.enums import Body, EventKind, LinkKind, LinkStatus
from vigil.international.models import Assessment, Document, Paragraph, ParagraphLink
from vigil.international.services import SystemicTarget, link_confirm, link_reject
from vigil.recommendations.enums import State
from vigil.visits.enums import Theme

pytestmark = pytest.mark.django_db

API = "/api/v1/international/"
ACTORS = [*ALL_ACTORS, "other_liaison"]
MANAGERS = {"admin", "coordinator"}
RECORDERS_SEEN_BY = {"admin", "coordinator", "auditor"}
DOCUMENTS = {
    "admin": {"cat", "spt", "published"},
    "coordinator": {"cat", "spt", "published"},
    "regional": {"cat", "published"},
    "monitor": {"cat", "published"},
    "auditor": {"cat", "published"},
    "liaison": {"cat", "published"},
    "other_liaison": {"cat"},
}
PARAGRAPHS = {
    "admin": {"to_kuis", "to_moh", "spt_kuis", "pub_kuis"},
    "coordinator": {"to_kuis", "to_moh", "spt_kuis", "pub_kuis"},
    "regional": {"to_kuis", "to_moh", "pub_kuis"},
    "monitor": {"to_kuis", "to_moh", "pub_kuis"},
    "auditor": {"to_kuis", "to_moh", "pub_kuis"},
    "liaison": {"to_kuis", "pub_kuis"},
    "other_liaison": {"to_moh"},
}


@pytest.fixture
def api(users: dict[str, Any]) -> Callable[[str], APIClient]:
    """A client authenticated with a real API token of the actor (none for anonymous)."""

    def make(actor: str) -> APIClient:
        client = APIClient()
        if actor != "anonymous":
            client.credentials(HTTP_AUTHORIZATION=f"Token {api_key(users[actor])}")
        return client

    return make


@pytest.fixture
def docs(
    ref: dict[str, Any],
    make_un_document: Callable[..., Document],
    make_paragraph: Callable[..., Paragraph],
) -> dict[str, Any]:
    cat = make_un_document(symbol="CAT/C/KAZ/CO/4", title_en="Concluding observations")
    spt = make_un_document(
        symbol="CAT/OP/KAZ/2",
        body=Body.SPT,
        kind="visit_report",
        confidential=True,
        adopted_on=datetime.date(2023, 9, 1),
    )
    published = make_un_document(
        symbol="CAT/OP/KAZ/1",
        body=Body.SPT,
        kind="visit_report",
        confidential=True,
        published_on=datetime.date(2017, 3, 1),
        adopted_on=datetime.date(2016, 12, 1),
    )
    return {
        "cat": cat,
        "spt": spt,
        "published": published,
        "to_kuis": make_paragraph(
            cat, addressees=[ref["kuis"]], number="10", follow_up=True, themes="T1 T2"
        ),
        "to_moh": make_paragraph(cat, addressees=[ref["moh"]], number="44", themes="T5"),
        "spt_kuis": make_paragraph(spt, addressees=[ref["kuis"]], number="21"),
        "pub_kuis": make_paragraph(published, addressees=[ref["kuis_71"]], number="3"),
    }


def audit_rows() -> list[str]:
    return list(
        AuditEvent.objects.exclude(action=AuditAction.USER_LOGGED_IN).values_list(
            "action", flat=True
        )
    )


def expected(actor: str, visible: bool, allowed: bool, ok: int = 200) -> int:
    if actor == "anonymous":
        return 401
    if not visible:
        return 404
    return ok if allowed else 403


def _results(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.content
    return response.json()["results"]  # type: ignore[no-any-return]


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


# ---------------------------------------------------------------- assessments


def _assessment_body(target: Paragraph, **changes: Any) -> dict[str, Any]:
    body = {
        "paragraph": str(target.public_id),
        "source": "civil_society",
        "source_name": "NGO Coalition against Torture",
        "scale": "implementation-1-3",
        "grade": "2",
        "assessed_on": "2025-06-01",
        "reference": "Alternative report, 2025",
    }
    body.update(changes)
    return body


@pytest.mark.parametrize("key", ["to_kuis", "spt_kuis"])
@pytest.mark.parametrize("actor", ACTORS)
def test_assessment_create_matrix(api, docs, actor, key):
    response = api(actor).post(f"{API}assessments/", _assessment_body(docs[key]), format="json")
    if actor in MANAGERS:
        assert response.status_code == 201, response.content
        body = response.json()
        assert (body["scale"], body["grade"], body["source_label"]) == (
            "implementation-1-3",
            "2",
            "NGO Coalition against Torture",
        )
        assert body["recorded_by"]
        assert audit_rows() == [AuditAction.UN_ASSESSMENT_RECORDED]
        return
    # anyone else is refused before the body is read: no paragraph is looked up
    assert response.status_code == (401 if actor == "anonymous" else 403)
    assert not Assessment.objects.exists()
    assert audit_rows() == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"grade": "n/a"}, "reason"),
        ({"grade": "B"}, "grade"),
        ({"scale": "no-such-scale"}, "scale"),
        ({"source": "oracle"}, "source"),
        ({"assessed_on": "2300-01-01"}, "assessed_on"),
        ({"paragraph": "00000000-0000-0000-0000-000000000000"}, "paragraph"),
    ],
    ids=["n/a-without-reason", "grade-of-another-scale", "unknown-scale", "source", "date", "para"],
)
def test_assessment_validation_errors_name_the_field(api, docs, changes, field):
    response = api("coordinator").post(
        f"{API}assessments/", _assessment_body(docs["to_kuis"], **changes), format="json"
    )
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"], response.json()
    assert not Assessment.objects.exists()
    assert audit_rows() == []


def test_n_a_with_its_reason_is_recorded(api, docs):
    reason = "The Ministry of Defence is still closed to NPM and NGO monitoring"
    response = api("coordinator").post(
        f"{API}assessments/",
        _assessment_body(docs["to_moh"], grade="n/a", reason=reason),
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["not_applicable"] is True
    assert response.json()["reason"] == reason


@pytest.fixture
def history(api, docs) -> list[dict[str, Any]]:
    client = api("coordinator")
    made = []
    for paragraph, changes in (
        (docs["to_kuis"], {"grade": "1", "assessed_on": "2024-06-01"}),
        (docs["to_kuis"], {"grade": "2", "assessed_on": "2025-06-01"}),
        (
            docs["to_kuis"],
            {"source": "committee", "source_name": "", "scale": "follow-up-a-e", "grade": "B"},
        ),
        (docs["spt_kuis"], {"grade": "3"}),
    ):
        response = client.post(
            f"{API}assessments/", _assessment_body(paragraph, **changes), format="json"
        )
        assert response.status_code == 201, response.content
        made.append(response.json())
    return made


@pytest.mark.parametrize("actor", ACTORS)
def test_assessment_list_and_retrieve_matrix(api, docs, history, actor):
    client = api(actor)
    response = client.get(f"{API}assessments/")
    if actor == "anonymous":
        assert response.status_code == 401
        return
    rows = _results(response)
    sees = PARAGRAPHS[actor]
    counts = {"to_kuis": 3, "spt_kuis": 1}
    assert len(rows) == sum(n for key, n in counts.items() if key in sees)
    for row in rows:
        assert ("recorded_by" in row) == (actor in RECORDERS_SEEN_BY)
    spt_one = history[3]["id"]
    assert client.get(f"{API}assessments/{spt_one}/").status_code == (
        200 if "spt_kuis" in sees else 404
    )


def test_assessments_by_paragraph_and_source(api, docs, history):
    client = api("monitor")
    params = {"paragraph": str(docs["to_kuis"].public_id), "source": "civil_society"}
    rows = _results(client.get(f"{API}assessments/", params))
    assert [(r["grade"], r["assessed_on"]) for r in rows] == [
        ("2", "2025-06-01"),
        ("1", "2024-06-01"),
    ]
    rows = _results(client.get(f"{API}assessments/", {"scale": "follow-up-a-e"}))
    assert [r["grade"] for r in rows] == ["B"]


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
@pytest.mark.parametrize("actor", ["admin", "coordinator", "auditor"])
def test_assessments_are_never_changed_or_deleted(api, history, method, actor):
    url = f"{API}assessments/{history[0]['id']}/"
    response = getattr(api(actor), method)(url, {"grade": "3"}, format="json")
    assert response.status_code == 405
    assert Assessment.objects.count() == 4
    assert Assessment.objects.filter(grade__code="3").count() == 1


# ---------------------------------------------------------------- links


@pytest.fixture
def targets(make_recommendation, approved_visit, ref):
    visit = approved_visit()
    return {
        "finding": visit.findings.first(),
        "rec": make_recommendation(theme=Theme.T1),
        "moh_rec": make_recommendation(addressee=ref["moh"]),
    }


def _link_bodies(docs, targets) -> dict[str, dict[str, Any]]:
    paragraph = str(docs["to_kuis"].public_id)
    return {
        "finding": {
            "paragraph": paragraph,
            "kind": "finding",
            "finding": str(targets["finding"].public_id),
        },
        "recommendation": {
            "paragraph": paragraph,
            "kind": "recommendation",
            "recommendation": targets["rec"].reference,
            "origin": "suggested",
            "score": 0.62,
        },
        "systemic": {
            "paragraph": paragraph,
            "kind": "systemic",
            "theme": "T1",
            "branch": "MVD-KUIS",
        },
    }


@pytest.mark.parametrize("kind", ["finding", "recommendation", "systemic"])
@pytest.mark.parametrize("actor", ACTORS)
def test_link_create_matrix(api, docs, targets, users, actor, kind):
    from vigil.visits.permissions import findings_visible_to

    body = _link_bodies(docs, targets)[kind]
    response = api(actor).post(f"{API}links/", body, format="json")
    if actor == "admin" and kind == "finding":
        # an administrator manages the UN follow-up but never reads a visit's findings
        assert not findings_visible_to(users["admin"]).exists()
        assert response.status_code == 400
        assert "finding" in response.json()["errors"]
        assert not ParagraphLink.objects.exists()
        return
    if actor in MANAGERS:
        assert response.status_code == 201, response.content
        link = response.json()
        assert (link["kind"], link["status"]) == (kind, "confirmed")
        if kind == "recommendation":
            assert link["recommendation"] == targets["rec"].reference
            assert (link["origin"], link["score"]) == ("suggested", 0.62)
        if kind == "systemic":
            assert (link["systemic_theme"], link["systemic_branch"]) == ("T1", "MVD-KUIS")
        assert audit_rows() == [AuditAction.UN_PARAGRAPH_LINKED]
        return
    assert response.status_code == (401 if actor == "anonymous" else 403)
    assert not ParagraphLink.objects.exists()
    assert audit_rows() == []


@pytest.mark.parametrize(
    ("kind", "changes", "field"),
    [
        ("recommendation", {"recommendation": "REC-0000-000000"}, "recommendation"),
        ("recommendation", {"recommendation": None}, "recommendation"),
        ("finding", {"finding": "00000000-0000-0000-0000-000000000000"}, "finding"),
        ("systemic", {"theme": "T9"}, "theme"),
        ("systemic", {"branch": None}, "branch"),
        ("systemic", {"branch": "NOPE"}, "branch"),
        ("recommendation", {"score": 3}, "score"),
        ("recommendation", {"origin": "magic"}, "origin"),
        ("finding", {"paragraph": "00000000-0000-0000-0000-000000000000"}, "paragraph"),
    ],
    ids=[
        "unknown-reference",
        "no-reference",
        "unknown-finding",
        "unknown-theme",
        "no-branch",
        "unknown-branch",
        "score",
        "origin",
        "paragraph",
    ],
)
def test_link_validation_errors_name_the_field(api, docs, targets, kind, changes, field):
    body = {**_link_bodies(docs, targets)[kind], **changes}
    response = api("coordinator").post(f"{API}links/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"], response.json()
    assert not ParagraphLink.objects.exists()


@pytest.fixture
def links(docs, targets, users, ref) -> dict[str, ParagraphLink]:
    coordinator = users["coordinator"]
    paragraph = docs["to_kuis"]
    return {
        "finding": link_confirm(actor=coordinator, paragraph=paragraph, target=targets["finding"]),
        "rec": link_confirm(
            actor=coordinator,
            paragraph=paragraph,
            target=targets["rec"],
            origin="suggested",
            score=0.7,
        ),
        "systemic": link_confirm(
            actor=coordinator, paragraph=paragraph, target=SystemicTarget("T3", ref["kuis"])
        ),
        "rejected": link_reject(
            actor=coordinator, paragraph=paragraph, target=targets["moh_rec"], score=0.3
        ),
        "spt": link_confirm(actor=coordinator, paragraph=docs["spt_kuis"], target=targets["rec"]),
    }


def _links_seen(actor: str, users: dict[str, Any]) -> set[str]:
    from vigil.visits.permissions import findings_visible_to

    if actor == "other_liaison":
        return set()  # none of the paragraph's links: it is not addressed to the ministry
    seen = {"rec", "systemic"} | ({"rejected", "spt"} if actor in MANAGERS else set())
    if findings_visible_to(users[actor]).exists():
        seen.add("finding")
    return seen


@pytest.mark.parametrize("actor", ACTORS)
def test_link_list_and_retrieve_matrix(api, docs, links, users, actor):
    client = api(actor)
    response = client.get(f"{API}links/")
    if actor == "anonymous":
        assert response.status_code == 401
        return
    seen = _links_seen(actor, users)
    rows = _results(response)
    assert {r["id"] for r in rows} == {str(links[k].public_id) for k in seen}
    hidden = {"decided_by", "score", "origin"}
    for row in rows:
        assert (hidden <= row.keys()) == (actor in RECORDERS_SEEN_BY)
        assert not (hidden & row.keys()) or actor in RECORDERS_SEEN_BY
    for key, link in links.items():
        answer = client.get(f"{API}links/{link.public_id}/").status_code
        assert answer == (200 if key in seen else 404), key


def test_a_liaison_never_meets_a_finding_through_a_link(api, links):
    for row in _results(api("liaison").get(f"{API}links/")):
        assert row["kind"] != LinkKind.FINDING
        assert row["finding"] is None


def test_links_of_one_paragraph(api, docs, links):
    params = {"paragraph": str(docs["to_kuis"].public_id), "status": "confirmed"}
    rows = _results(api("coordinator").get(f"{API}links/", params))
    assert {r["kind"] for r in rows} == {"finding", "recommendation", "systemic"}
    rejected = _results(api("coordinator").get(f"{API}links/", {"status": "rejected"}))
    assert [r["id"] for r in rejected] == [str(links["rejected"].public_id)]


@pytest.mark.parametrize("actor", ACTORS)
def test_link_delete_matrix(api, docs, links, users, actor):
    link = links["rec"]
    response = api(actor).delete(f"{API}links/{link.public_id}/")
    seen = actor != "anonymous" and "rec" in _links_seen(actor, users)
    before = len(audit_rows())
    assert response.status_code == expected(actor, seen, actor in MANAGERS, ok=204)
    exists = ParagraphLink.objects.filter(pk=link.pk).exists()
    assert exists == (response.status_code != 204)
    if response.status_code == 204:
        assert AuditEvent.objects.filter(action=AuditAction.UN_LINK_REMOVED).count() == 1
        assert docs["to_kuis"].events.filter(kind=EventKind.UNLINKED).exists()
    else:
        assert len(audit_rows()) == before


@pytest.mark.parametrize("actor", ACTORS)
def test_link_reject_matrix(api, docs, targets, actor):
    body = _link_bodies(docs, targets)["recommendation"]
    body.pop("origin")
    response = api(actor).post(f"{API}links/reject/", body, format="json")
    if actor in MANAGERS:
        assert response.status_code == 200, response.content
        assert response.json()["status"] == LinkStatus.REJECTED
        assert response.json()["origin"] == "suggested"
        assert audit_rows() == [AuditAction.UN_LINK_REJECTED]
        # a rejected suggestion confirmed later becomes a link
        again = api(actor).post(f"{API}links/", body, format="json")
        assert again.status_code == 201
        assert again.json()["status"] == LinkStatus.CONFIRMED
        assert ParagraphLink.objects.count() == 1
        return
    assert response.status_code == (401 if actor == "anonymous" else 403)
    assert not ParagraphLink.objects.exists()
    assert audit_rows() == []


def test_links_cannot_be_changed_in_place(api, links):
    url = f"{API}links/{links['rec'].public_id}/"
    assert api("coordinator").patch(url, {"score": 1}, format="json").status_code == 405
    assert api("coordinator").put(url, {}, format="json").status_code == 405


# ---------------------------------------------------------------- suggestions


@pytest.mark.parametrize("key", ["to_kuis", "spt_kuis"])
@pytest.mark.parametrize("actor", ACTORS)
def test_suggestions_matrix(api, docs, make_recommendation, actor, key):
    paragraph = docs[key]
    Paragraph.objects.filter(pk=paragraph.pk).update(
        text_en="Ensure that video surveillance covers all interrogation rooms.", themes="T1"
    )
    similar = make_recommendation(
        theme=Theme.T1, text="Установить видеонаблюдение во всех кабинетах для допросов."
    )
    response = api(actor).get(f"{API}paragraphs/{paragraph.public_id}/suggestions/")
    visible = actor != "anonymous" and key in PARAGRAPHS[actor]
    assert response.status_code == expected(actor, visible, actor in MANAGERS)
    if response.status_code == 200:
        found = response.json()
        assert found[0]["kind"] == "recommendation"
        assert found[0]["recommendation"]["reference"] == similar.reference
        assert found[0]["finding"] is None
        assert 0 < found[0]["score"] <= 1
