"""Interviews through the API: role matrices for list, detail, content, unseal, create, update,
consent and follow-up (the pages are tested in test_interviews_web.py)."""

import pytest

from vigil.audit.enums import AccessKind, AuditAction
from vigil.audit.models import AccessEvent, AuditEvent
from vigil.visits.enums import VisitState
from vigil.visits.models import Interview
from vigil.visits.services.interviews import interview_create
from vigil.visits.tests.test_interviews_web import (
    ACTORS,
    API,
    CONTENT,
    IDENTITY,
    LISTERS,
    READERS,
    TODAY,
    _state,
)

# ---------------------------------------------------------------------------- API


def _api_expected(actor, ok, *, auditor=403, hidden=404):
    if actor == "anonymous":
        return (401, 403)
    if actor in READERS:
        return (ok,)
    if actor == "auditor":
        return (auditor,)
    return (hidden,)


@pytest.mark.parametrize("actor", ACTORS)
def test_api_list_and_detail(client_for, interview, actor):
    client = client_for(actor)
    listing = client.get(API)
    detail = client.get(f"{API}{interview.public_id}/")
    if actor == "anonymous":
        assert listing.status_code in (401, 403)
        assert detail.status_code in (401, 403)
        return
    assert listing.status_code == 200
    ids = [row["id"] for row in listing.json()["results"]]
    assert ids == ([str(interview.public_id)] if actor in LISTERS else [])
    assert detail.status_code == (200 if actor in LISTERS else 404)
    if actor in LISTERS:
        body = detail.json()
        assert body["pseudonym"] == "Witness K"
        assert body["has_identity"] is True
        assert body["alleges_ill_treatment"] is True
        assert "content" not in body
        assert "identity" not in body
        assert CONTENT not in detail.content.decode()
        assert IDENTITY not in listing.content.decode()
    assert not AccessEvent.objects.filter(outcome="granted").exists()


def test_api_list_filters_by_visit(client_for, interview, make_visit, users):
    other = make_visit(state=VisitState.ON_SITE)
    interview_create(
        actor=users["monitor"], visit=other, institution=None, data={"pseudonym": "O"}, content=""
    )
    rows = client_for("coordinator").get(API, {"visit": str(interview.visit.public_id)}).json()
    assert [r["pseudonym"] for r in rows["results"]] == ["Witness K"]
    assert client_for("coordinator").get(API, {"visit": "nope"}).status_code == 400


@pytest.mark.parametrize("actor", ACTORS)
def test_api_content_role_matrix(client_for, interview, actor):
    before = _state()
    response = client_for(actor).post(f"{API}{interview.public_id}/content/")
    assert response.status_code in _api_expected(actor, 200)
    if response.status_code == 200:
        assert response.json() == {"content": CONTENT, "present_persons": ""}
        assert response["Cache-Control"] == "no-store"
        assert AccessEvent.objects.filter(kind=AccessKind.INTERVIEW_READ).count() == 1
    else:
        assert CONTENT not in response.content.decode()
        assert _state() == before


@pytest.mark.parametrize("actor", ACTORS)
def test_api_unseal_role_matrix(client_for, interview, actor):
    before = _state()
    response = client_for(actor).post(
        f"{API}{interview.public_id}/unseal/",
        {"reason": "contact back"},
        content_type="application/json",
    )
    assert response.status_code in _api_expected(actor, 200)
    if response.status_code == 200:
        assert response.json() == {"identity": IDENTITY}
        event = AccessEvent.objects.get()
        assert (event.kind, event.reason) == (AccessKind.IDENTITY_UNSEALED, "contact back")
    else:
        assert IDENTITY not in response.content.decode()
        assert _state() == before


def test_api_unseal_needs_a_reason(client_for, interview):
    response = client_for("coordinator").post(
        f"{API}{interview.public_id}/unseal/", {"reason": "  "}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "reason" in response.json()["errors"]
    assert not AccessEvent.objects.filter(outcome="granted").exists()


@pytest.mark.parametrize("actor", ACTORS)
def test_api_create_role_matrix(client_for, visit, actor):
    before = _state()
    payload = {
        "visit": str(visit.public_id),
        "pseudonym": "API witness",
        "category": "staff",
        "consent_scopes": ["anonymous_use"],
        "content": "Қызметкер айтты",
        "identity": "Айгүл Т.",
    }
    response = client_for(actor).post(API, payload, content_type="application/json")
    if actor == "anonymous":
        assert response.status_code in (401, 403)
    elif actor in READERS:
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["pseudonym"] == "API witness"
        assert body["has_identity"] is True
        assert "content" not in body
        assert "identity" not in body
        interview = Interview.objects.get(public_id=body["id"])
        assert interview.institution == visit.institutions.get()
        return
    elif actor == "auditor":
        assert response.status_code == 403
    else:
        # The visit is not among those the caller may write to: it is not found.
        assert response.status_code == 400
        assert "visit" in response.json()["errors"]
    assert _state() == before


def test_api_create_validation_error_shape(client_for, visit):
    response = client_for("monitor").post(
        API,
        {"visit": str(visit.public_id), "pseudonym": "X", "in_private": False},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "present_persons" in response.json()["errors"]
    response = client_for("monitor").post(
        API,
        {"visit": str(visit.public_id), "pseudonym": "X", "consent_scopes": ["everything"]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "consent_scopes.0" in response.json()["errors"]  # a list item, by its path
    assert not Interview.objects.exists()


@pytest.mark.parametrize("actor", ACTORS)
def test_api_update_role_matrix(client_for, interview, actor):
    before = _state()
    response = client_for(actor).patch(
        f"{API}{interview.public_id}/",
        {"reprisal_risk": "low", "content": "replaced"},
        content_type="application/json",
    )
    assert response.status_code in _api_expected(actor, 200)
    interview.refresh_from_db()
    if response.status_code == 200:
        assert response.json()["reprisal_risk"] == "low"
        assert interview.reprisal_risk == "low"
        assert AuditEvent.objects.filter(action=AuditAction.INTERVIEW_UPDATED).count() == 1
        assert not AccessEvent.objects.exists()
    else:
        assert interview.reprisal_risk == "high"
        assert _state() == before


def test_api_visit_cannot_move(client_for, interview, make_visit):
    other = make_visit(state=VisitState.ON_SITE)
    response = client_for("coordinator").patch(
        f"{API}{interview.public_id}/",
        {"visit": str(other.public_id)},
        content_type="application/json",
    )
    assert response.status_code == 200
    interview.refresh_from_db()
    assert interview.visit_id != other.pk


@pytest.mark.parametrize("actor", ACTORS)
def test_api_withdraw_consent_role_matrix(client_for, interview, actor):
    before = _state()
    response = client_for(actor).post(
        f"{API}{interview.public_id}/withdraw-consent/", {}, content_type="application/json"
    )
    assert response.status_code in _api_expected(actor, 200)
    interview.refresh_from_db()
    if response.status_code == 200:
        assert response.json()["consent_withdrawn_on"] is not None
        assert interview.consent_withdrawn
    else:
        assert not interview.consent_withdrawn
        assert _state() == before


def test_api_follow_up_done(client_for, interview):
    Interview.objects.filter(pk=interview.pk).update(follow_up_on=TODAY)
    response = client_for("monitor_lead").post(
        f"{API}{interview.public_id}/follow-up-done/",
        {"on_date": str(TODAY)},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["follow_up_done_on"] == str(TODAY)


def test_api_unknown_or_malformed_ids(client_for, interview):
    client = client_for("coordinator")
    assert client.get(f"{API}not-a-uuid/").status_code == 404
    assert client.post(f"{API}00000000-0000-0000-0000-000000000000/content/").status_code == 404
    assert not AccessEvent.objects.exists()
