"""API v1 for recommendations: role matrices for the list and each endpoint, a liaison's token,
filters, transitions, assessments and issuing; denied writes change nothing."""

from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from conftest import ALL_ACTORS
from vigil.accounts.tests.fixtures import api_key
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.recommendations.enums import ClaimedStatus, State, Verdict
from vigil.recommendations.models import Assessment, Recommendation, RecommendationEvent

pytestmark = pytest.mark.django_db

API = "/api/v1/recommendations/"
ACTORS = [*ALL_ACTORS, "other_liaison"]
EVERYTHING = {"rec", "draft", "moh"}
VISIBLE = {
    "admin": EVERYTHING,
    "coordinator": EVERYTHING,
    "monitor": EVERYTHING,
    "auditor": EVERYTHING,
    "regional": {"rec", "draft"},
    "liaison": {"rec"},
    "other_liaison": {"moh"},
}
DRAFTERS = {"admin", "coordinator", "regional"}
ASSESSORS = {"coordinator", "monitor", "regional"}


def audit_rows() -> list[str]:
    return list(
        AuditEvent.objects.exclude(action=AuditAction.USER_LOGGED_IN).values_list(
            "action", flat=True
        )
    )


@pytest.fixture
def api_for(users):
    def make(actor: str) -> APIClient:
        client = APIClient()
        if actor != "anonymous":
            client.force_authenticate(users[actor])
        return client

    return make


@pytest.fixture
def world(make_recommendation, make_institution, ref) -> dict[str, Recommendation]:
    astana = make_institution()
    almaty = make_institution(type=ref["psych"], agency=ref["moh"], region=ref["almaty"])
    return {
        "rec": make_recommendation(institution=astana),
        "draft": make_recommendation(state=State.DRAFT, institution=astana),
        "moh": make_recommendation(addressee=ref["moh"], institution=almaty),
    }


def _status(actor: str, key: str, allowed: set[str], ok: int = 200) -> int:
    if actor == "anonymous":
        return 401
    if key not in VISIBLE[actor]:
        return 404
    return ok if actor in allowed else 403


# ---------------------------------------------------------------- reading


@pytest.mark.parametrize("actor", ACTORS)
def test_list_matrix(api_for, world, actor):
    response = api_for(actor).get(API)
    if actor == "anonymous":
        assert response.status_code == 401
        return
    assert response.status_code == 200
    body = response.json()
    assert {r["reference"] for r in body["results"]} == {world[k].reference for k in VISIBLE[actor]}
    assert body["count"] == len(VISIBLE[actor])


@pytest.mark.parametrize("key", sorted(EVERYTHING))
@pytest.mark.parametrize("actor", ACTORS)
def test_retrieve_matrix(api_for, world, actor, key):
    rec = world[key]
    response = api_for(actor).get(f"{API}{rec.public_id}/")
    assert response.status_code == _status(actor, key, set(VISIBLE))
    if response.status_code == 200:
        body = response.json()
        assert body["id"] == str(rec.public_id)
        assert body["addressee"] == rec.addressee.code
        assert body["html_url"].endswith(f"/recommendations/{rec.public_id}/")


def test_retrieve_bad_id_is_404(api_for):
    assert api_for("coordinator").get(f"{API}not-a-uuid/").status_code == 404
    missing = f"{API}00000000-0000-0000-0000-000000000000/"
    assert api_for("coordinator").get(missing).status_code == 404


def test_a_liaison_token_lists_and_reads_only_its_own(client, users, world):
    headers = {"HTTP_AUTHORIZATION": f"Token {api_key(users['other_liaison'])}"}
    listing = client.get(API, **headers)
    assert [r["reference"] for r in listing.json()["results"]] == [world["moh"].reference]
    assert client.get(f"{API}{world['rec'].public_id}/", **headers).status_code == 404
    assert client.get(f"{API}{world['draft'].public_id}/", **headers).status_code == 404


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"agency": "MVD"}, {"rec", "draft"}),
        ({"agency": "MOH"}, {"moh"}),
        ({"status": "draft"}, {"draft"}),
        ({"tally": "in_implementation"}, set()),
        ({"year": "2026"}, {"rec", "moh"}),
        ({"year": "2025"}, set()),
        ({"overdue": "true"}, {"rec", "moh"}),
        ({"overdue": "false"}, {"draft"}),
        ({"theme": "T3"}, EVERYTHING),
        ({"level": "systemic"}, set()),
    ],
    ids=lambda v: "-".join(f"{k}={val}" for k, val in v.items()) if isinstance(v, dict) else "",
)
def test_list_filters(api_for, world, params, expected):
    response = api_for("coordinator").get(API, params)
    assert response.status_code == 200
    assert {r["reference"] for r in response.json()["results"]} == {
        world[k].reference for k in expected
    }


def test_filter_by_institution_id_or_code(api_for, world):
    institution = world["moh"].institution
    for value in (str(institution.public_id), institution.external_code):
        response = api_for("coordinator").get(API, {"institution": value})
        assert [r["reference"] for r in response.json()["results"]] == [world["moh"].reference]


def test_bad_filter_is_400(api_for, world):
    response = api_for("coordinator").get(API, {"agency": "NOPE"})
    assert response.status_code == 400
    assert "agency" in response.json()["errors"]


def _api_queries(client: Any) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(API)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("actor", ["coordinator", "liaison"])
def test_list_runs_constant_queries(api_for, approved_visit, make_recommendation, actor):
    client = api_for(actor)
    visit = approved_visit()
    findings = list(visit.findings.all())
    make_recommendation(visit=visit, findings=findings)
    few = _api_queries(client)
    for _ in range(10):
        make_recommendation(
            visit=visit, findings=findings, repeat_of=Recommendation.objects.first()
        )
    assert _api_queries(client) == few


# ---------------------------------------------------------------- drafts


def _payload(institution: Any) -> dict[str, Any]:
    return {
        "addressee": "MVD-KUIS-71",
        "institution": str(institution.public_id),
        "theme": "T2",
        "level": "institutional",
        "text": "Record every admission in the register within one hour.",
    }


@pytest.mark.parametrize("actor", ACTORS)
def test_create_matrix(api_for, make_institution, actor):
    institution = make_institution()
    response = api_for(actor).post(API, _payload(institution), format="json")
    if actor in DRAFTERS:
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["state"] == "draft"
        assert body["source"] == "thematic_report"
        assert body["reference"].startswith("REC-")
        assert audit_rows() == [AuditAction.RECOMMENDATION_CREATED]
    else:
        assert response.status_code == (401 if actor == "anonymous" else 403)
        assert not Recommendation.objects.exists()
        assert audit_rows() == []


def test_create_validation_errors_name_the_field(api_for, make_institution, approved_visit):
    institution = make_institution()
    other_visit = approved_visit()
    data = _payload(institution) | {
        "theme": "T9",
        "findings": [str(other_visit.findings.first().public_id)],
    }
    response = api_for("coordinator").post(API, data, format="json")
    assert response.status_code == 400
    assert "theme" in response.json()["errors"]
    data = _payload(institution) | {"findings": [str(other_visit.findings.first().public_id)]}
    response = api_for("coordinator").post(API, data, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "findings": ["Findings can be linked only to a recommendation of a visit."]
    }


def test_create_from_a_visit_links_findings(api_for, approved_visit):
    visit = approved_visit()
    finding = visit.findings.first()
    response = api_for("coordinator").post(
        API,
        {
            "visit": str(visit.public_id),
            "addressee": "MVD-KUIS-71",
            "findings": [str(finding.public_id)],
            "theme": "T3",
            "text": "Repair the heating.",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["source"] == "visit_report"
    assert body["findings"] == [str(finding.public_id)]
    assert body["institution"] == str(visit.institutions.get().public_id)


@pytest.mark.parametrize("actor", ACTORS)
def test_patch_and_delete_draft_matrix(api_for, world, actor):
    draft = world["draft"]
    client = api_for(actor)
    response = client.patch(f"{API}{draft.public_id}/", {"text": "New text"}, format="json")
    expected = _status(actor, "draft", DRAFTERS)
    assert response.status_code == expected
    draft.refresh_from_db()
    assert (draft.text == "New text") == (expected == 200)
    response = client.delete(f"{API}{draft.public_id}/")
    assert response.status_code == (204 if expected == 200 else expected)
    assert Recommendation.objects.filter(pk=draft.pk).exists() == (expected != 200)
    if expected != 200:
        assert audit_rows() == []


def test_issued_ones_cannot_be_changed_or_deleted(api_for, world):
    rec = world["rec"]
    client = api_for("coordinator")
    response = client.patch(f"{API}{rec.public_id}/", {"text": "x"}, format="json")
    assert response.status_code == 400
    assert "state" in response.json()["errors"]
    assert client.delete(f"{API}{rec.public_id}/").status_code == 400
    assert client.put(f"{API}{rec.public_id}/", {}, format="json").status_code == 405


# ---------------------------------------------------------------- transitions


@pytest.mark.parametrize("actor", ACTORS)
def test_transitions_matrix(api_for, world, actor):
    rec = world["rec"]
    client = api_for(actor)
    url = f"{API}{rec.public_id}/transitions/"
    listing = client.get(url)
    assert listing.status_code == _status(actor, "rec", set(VISIBLE))
    if listing.status_code == 200:
        targets = {m["to_state"] for m in listing.json()["available"]}
        assert targets == ({"obsolete"} if actor in DRAFTERS else set())
    response = client.post(url, {"to_state": "obsolete", "note": "Closed."}, format="json")
    expected = _status(actor, "rec", DRAFTERS)
    assert response.status_code == expected
    rec.refresh_from_db()
    if expected == 200:
        assert response.json()["state"] == "obsolete"
        assert rec.state == State.OBSOLETE
        history = client.get(url).json()["history"]
        assert [(h["from_state"], h["to_state"]) for h in history] == [
            ("awaiting_response", "obsolete")
        ]
    else:
        assert rec.state == State.AWAITING_RESPONSE
        assert not RecommendationEvent.objects.exists()
        assert audit_rows() == []


def test_transition_not_allowed_is_400_with_reason(api_for, world):
    response = api_for("coordinator").post(
        f"{API}{world['rec'].public_id}/transitions/",
        {"to_state": "implemented_verified"},
        format="json",
    )
    assert response.status_code == 400
    assert "cannot go from" in response.json()["errors"]["to_state"][0]


def test_transition_expected_state(api_for, world):
    response = api_for("coordinator").post(
        f"{API}{world['rec'].public_id}/transitions/",
        {"to_state": "obsolete", "note": "x", "expected_state": "issued"},
        format="json",
    )
    assert response.status_code == 400
    assert "changed meanwhile" in response.json()["errors"]["to_state"][0]


# ---------------------------------------------------------------- assessments


@pytest.fixture
def claimed(make_recommendation, make_institution):
    return make_recommendation(
        state=State.IMPLEMENTED_CLAIMED,
        claimed_status=ClaimedStatus.IMPLEMENTED,
        institution=make_institution(),
    )


@pytest.mark.parametrize("actor", ACTORS)
def test_assessments_matrix(api_for, claimed, actor):
    client = api_for(actor)
    url = f"{API}{claimed.public_id}/assessments/"
    visible = actor not in ("anonymous", "other_liaison")
    read = client.get(url)
    assert read.status_code == (401 if actor == "anonymous" else 200 if visible else 404)
    response = client.post(
        url, {"verdict": "dispute", "reasons": "Nothing changed."}, format="json"
    )
    if actor == "anonymous":
        expected = 401
    elif not visible:
        expected = 404
    else:
        expected = 201 if actor in ASSESSORS else 403
    assert response.status_code == expected
    claimed.refresh_from_db()
    if expected == 201:
        assert response.json()["verdict"] == "dispute"
        assert claimed.assessed_verdict == Verdict.DISPUTE
        assert claimed.state == State.IMPLEMENTED_CLAIMED
        assert [a["verdict"] for a in client.get(url).json()] == ["dispute"]
    else:
        assert not Assessment.objects.exists()
        assert audit_rows() == []


def test_dispute_needs_reasons(api_for, claimed):
    response = api_for("monitor").post(
        f"{API}{claimed.public_id}/assessments/", {"verdict": "dispute"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"reasons": ["Give the reasons."]}


def test_liaison_reads_the_assessments_of_its_own(api_for, claimed):
    response = api_for("liaison").get(f"{API}{claimed.public_id}/assessments/")
    assert response.status_code == 200


# ---------------------------------------------------------------- issuing


def test_issue_all_of_a_visit(
    api_for, approved_visit, make_recommendation, django_capture_on_commit_callbacks
):
    visit = approved_visit()
    drafts = [make_recommendation(state=State.DRAFT, visit=visit) for _ in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        response = api_for("coordinator").post(
            f"{API}issue/", {"visit": str(visit.public_id)}, format="json"
        )
    assert response.status_code == 200, response.json()
    assert [r["reference"] for r in response.json()] == [d.reference for d in drafts]
    assert {r["state"] for r in response.json()} == {"awaiting_response"}
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("actor", ACTORS)
def test_issue_all_matrix(api_for, approved_visit, make_recommendation, actor):
    visit = approved_visit()
    make_recommendation(state=State.DRAFT, visit=visit)
    response = api_for(actor).post(f"{API}issue/", {"visit": str(visit.public_id)}, format="json")
    if actor in DRAFTERS:
        assert response.status_code == 200
    else:
        # monitors on the team see the visit (403); others do not (400: no such visit)
        assert response.status_code in (
            (401,) if actor == "anonymous" else (403,) if actor == "monitor" else (400, 403)
        )
        assert Recommendation.objects.get().state == State.DRAFT
        assert audit_rows() == []


@pytest.mark.parametrize("actor", ACTORS)
def test_issue_one_matrix(api_for, world, actor):
    draft = world["draft"]
    response = api_for(actor).post(f"{API}{draft.public_id}/issue/")
    expected = _status(actor, "draft", DRAFTERS)
    assert response.status_code == expected
    draft.refresh_from_db()
    assert (draft.state == State.AWAITING_RESPONSE) == (expected == 200)
