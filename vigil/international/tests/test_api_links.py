"""API v1 of the UN follow-up: links decided by a person (role matrix, validation, rejection,
no change in place) and the suggestions."""

from typing import Any

import pytest

from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.international.enums import EventKind, LinkKind, LinkStatus
from vigil.international.models import Paragraph, ParagraphLink
from vigil.international.services import SystemicTarget, link_confirm, link_reject
from vigil.international.tests.api_helpers import (
    ACTORS,
    API,
    MANAGERS,
    PARAGRAPHS,
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
from vigil.visits.enums import Theme

pytestmark = pytest.mark.django_db

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
