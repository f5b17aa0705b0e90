"""API v1 for appeal handling: role matrices for list, retrieve, create and every action;
denied writes change nothing; the field policy; the content and identity only by logged
actions."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from conftest import ALL_ACTORS
from vigil.accounts.models import User
from vigil.appeals.deadlines import longest_extension
from vigil.appeals.enums import AppealState, Channel
from vigil.appeals.models import Appeal
from vigil.appeals.tests.fixtures import APPEAL_CONTENT, APPELLANT_NAME
from vigil.audit.enums import AccessKind, AuditAction
from vigil.audit.models import AccessEvent, AuditEvent

pytestmark = pytest.mark.django_db

ACTORS = [*ALL_ACTORS, "other_liaison"]
VISIBLE = {
    "coordinator": {"own", "other", "visit"},
    "auditor": {"own", "other", "visit"},
    "regional": {"own", "visit"},
    "monitor": {"visit"},
    "liaison": set(),
    "other_liaison": set(),
    "admin": set(),
}
HANDLERS = {"coordinator", "regional"}


@pytest.fixture
def api(users: dict[str, User]) -> Callable[[str], APIClient]:
    def make(actor: str) -> APIClient:
        client = APIClient()
        if actor != "anonymous":
            client.force_authenticate(users[actor])
        return client

    return make


@pytest.fixture
def world(
    make_appeal: Callable[..., Appeal],
    make_institution: Callable[..., Any],
    make_visit: Callable[..., Any],
    ref: dict[str, Any],
) -> dict[str, Any]:
    visit = make_visit(state="on_site")
    return {
        "own": make_appeal(),
        "other": make_appeal(institution=make_institution(region=ref["almaty"])),
        "visit": make_appeal(visit=visit, channel=Channel.VISIT, name=""),
        "the_visit": visit,
    }


def _expected(actor: str, key: str, allowed: set[str], ok: int = 200) -> int:
    if actor == "anonymous":
        return 401
    if key not in VISIBLE[actor]:
        return 404
    return ok if actor in allowed else 403


def _successes(action: AuditAction) -> int:
    return AuditEvent.objects.filter(action=action).count()


@pytest.mark.parametrize("actor", ACTORS)
def test_list_matrix(api: Callable[[str], APIClient], world: dict[str, Any], actor: str) -> None:
    response = api(actor).get("/api/v1/appeals/")
    if actor == "anonymous":
        assert response.status_code in (401, 403)
        return
    assert response.status_code == 200
    shown = {row["reference"] for row in response.json()["results"]}
    assert shown == {world[k].reference for k in VISIBLE[actor]}
    for row in response.json()["results"]:
        assert "content" not in row
        assert APPELLANT_NAME not in str(row)
        assert ("repeat_count" in row) == (actor in {"coordinator", "regional", "auditor"})


@pytest.mark.parametrize("actor", ACTORS)
def test_retrieve_matrix(
    api: Callable[[str], APIClient], world: dict[str, Any], actor: str
) -> None:
    for key in ("own", "other", "visit"):
        response = api(actor).get(f"/api/v1/appeals/{world[key].public_id}/")
        expected = _expected(actor, key, set(VISIBLE))
        if actor == "anonymous":
            assert response.status_code in (401, 403)
        else:
            assert response.status_code == expected, key


def test_list_filters(
    api: Callable[[str], APIClient], make_appeal: Callable[..., Appeal], users: Any
) -> None:
    today = timezone.localdate()
    late = make_appeal(due_on=today - datetime.timedelta(days=2), name="")
    mine = make_appeal(due_on=today, assigned_to=users["coordinator"], name="")
    client = api("coordinator")

    def refs(query: str) -> set[str]:
        return {r["reference"] for r in client.get(f"/api/v1/appeals/?{query}").json()["results"]}

    assert refs("overdue=true") == {late.reference}
    assert refs("mine=true") == {mine.reference}
    assert refs("due_today=true") == {mine.reference}
    late_row = client.get(f"/api/v1/appeals/{late.public_id}/").json()
    assert late_row["deadline"] == "overdue"
    assert late_row["repeat_count"] == 0


CREATE = {
    "channel": Channel.HOTLINE,
    "content": "ТИ-де ұрды",
    "name": "Асель Нурланова",
    "contact": "+7 700 000 00 01",
    "urgency": "urgent",
    "consent_scopes": ["allegation"],
}


@pytest.mark.parametrize("actor", ACTORS)
def test_create_matrix(
    api: Callable[[str], APIClient], appeal_reference: Any, users: Any, actor: str
) -> None:
    response = api(actor).post("/api/v1/appeals/", CREATE, format="json")
    if actor in HANDLERS:
        assert response.status_code == 201
        body = response.json()
        assert body["status"] == AppealState.REGISTERED
        assert "Асель" not in str(body)
        assert "ұрды" not in str(body)
        return
    assert response.status_code in (401, 403)
    assert not Appeal.objects.exists()
    assert _successes(AuditAction.APPEAL_CREATED) == 0


def test_monitor_creates_from_own_visit(
    api: Callable[[str], APIClient], world: dict[str, Any]
) -> None:
    data = {**CREATE, "channel": Channel.VISIT, "visit": str(world["the_visit"].public_id)}
    response = api("monitor").post("/api/v1/appeals/", data, format="json")
    assert response.status_code == 201
    assert response.json()["channel"] == Channel.VISIT
    refused = api("monitor").post("/api/v1/appeals/", CREATE, format="json")
    assert refused.status_code == 403


def test_an_interview_needs_its_visit(
    api: Callable[[str], APIClient], interview: Any, make_visit: Callable[..., Any]
) -> None:
    client = api("coordinator")
    alone = client.post(
        "/api/v1/appeals/", {**CREATE, "interview": str(interview.public_id)}, format="json"
    )
    assert alone.status_code == 400
    other = make_visit(state="on_site")
    elsewhere = client.post(
        "/api/v1/appeals/",
        {**CREATE, "visit": str(other.public_id), "interview": str(interview.public_id)},
        format="json",
    )
    assert elsewhere.status_code == 400
    assert not Appeal.objects.exists()


@pytest.mark.parametrize("actor", ACTORS)
def test_actions_matrix(
    api: Callable[[str], APIClient], world: dict[str, Any], users: Any, actor: str
) -> None:
    appeal = world["own"]
    client = api(actor)
    base = f"/api/v1/appeals/{appeal.public_id}"
    assert appeal.registered_on is not None
    limit = longest_extension(appeal.registered_on)
    calls = [
        ("transition", {"move": "triage"}, AuditAction.APPEAL_TRANSITIONED),
        ("triage", {"urgency": "immediate"}, AuditAction.APPEAL_UPDATED),
        ("assign", {"assignee": str(users["monitor"].public_id)}, AuditAction.APPEAL_ASSIGNED),
        ("extend", {"until": limit.isoformat(), "reason": "File"}, AuditAction.APPEAL_EXTENDED),
    ]
    for name, data, audit in calls:
        response = client.post(f"{base}/{name}/", data, format="json")
        if actor == "anonymous":
            assert response.status_code in (401, 403)
        else:
            assert response.status_code == _expected(actor, "own", HANDLERS), name
        assert _successes(audit) == (1 if actor in HANDLERS else 0), name
    appeal.refresh_from_db()
    if actor not in HANDLERS:
        assert appeal.state == AppealState.REGISTERED
        assert appeal.assigned_to is None
        assert appeal.extended_until is None


def test_action_errors_are_400(api: Callable[[str], APIClient], world: dict[str, Any]) -> None:
    appeal = world["own"]
    client = api("coordinator")
    base = f"/api/v1/appeals/{appeal.public_id}"
    assert client.post(f"{base}/transition/", {"move": "forward"}, format="json").status_code == 400
    assert client.post(f"{base}/transition/", {"move": "fly"}, format="json").status_code == 400
    far = (timezone.localdate() + datetime.timedelta(days=400)).isoformat()
    assert (
        client.post(f"{base}/extend/", {"until": far, "reason": "x"}, format="json").status_code
        == 400
    )
    assert (
        client.post(f"{base}/merge/", {"into": str(appeal.public_id)}, format="json").status_code
        == 400
    )


def test_merge(api: Callable[[str], APIClient], make_appeal: Callable[..., Appeal]) -> None:
    first, second = make_appeal(), make_appeal()
    response = api("coordinator").post(
        f"/api/v1/appeals/{second.public_id}/merge/", {"into": str(first.public_id)}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == AppealState.MERGED
    assert response.json()["duplicate_of"] == first.reference


@pytest.mark.parametrize("actor", ACTORS)
def test_content_and_unseal_matrix(
    api: Callable[[str], APIClient], world: dict[str, Any], actor: str
) -> None:
    appeal = world["own"]
    client = api(actor)
    content = client.post(f"/api/v1/appeals/{appeal.public_id}/content/")
    unseal = client.post(
        f"/api/v1/appeals/{appeal.public_id}/unseal/", {"reason": "Letter"}, format="json"
    )
    if actor == "anonymous":
        assert content.status_code in (401, 403)
        assert unseal.status_code in (401, 403)
        assert not AccessEvent.objects.exists()
        return
    readers = {"coordinator", "regional", "auditor"}
    assert content.status_code == _expected(actor, "own", readers)
    assert unseal.status_code == _expected(actor, "own", HANDLERS)
    granted = AccessEvent.objects.filter(outcome="granted")  # refusals are logged as denied
    reads = granted.filter(kind=AccessKind.APPEAL_READ).count()
    if content.status_code == 200:
        assert content.json()["content"] == APPEAL_CONTENT
    assert reads == (1 if content.status_code == 200 else 0)
    if unseal.status_code == 200:
        assert unseal.json()["name"] == APPELLANT_NAME
        assert granted.exclude(kind=AccessKind.APPEAL_READ).get().reason == "Letter"
    else:
        assert not granted.exclude(kind=AccessKind.APPEAL_READ).exists()
