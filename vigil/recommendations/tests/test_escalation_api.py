"""API of escalations: role matrix of the list, one escalation, escalating, the candidates and
the letter; a liaison's token sees only its own; refused writes change nothing."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from conftest import ALL_ACTORS
from vigil.accounts.models import User
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.recommendations.enums import Level, Source, State
from vigil.recommendations.models import Recommendation
from vigil.recommendations.services.escalation import recommendations_escalate

pytestmark = pytest.mark.django_db

ACTORS = [*ALL_ACTORS, "other_liaison"]
TODAY = timezone.localdate()
PAST = TODAY - datetime.timedelta(days=60)
BASE = "/api/v1/recommendation-escalations/"
# who sees an escalation addressed to the Penitentiary System Committee (no institution)
READERS = {"admin", "coordinator", "monitor", "auditor", "liaison"}


@pytest.fixture
def overdue(make_recommendation: Callable[..., Recommendation]) -> Callable[..., Recommendation]:
    def make(**fields: Any) -> Recommendation:
        data = {"issued_on": PAST - datetime.timedelta(days=30), "deadline": PAST, **fields}
        return make_recommendation(**data)

    return make


@pytest.fixture
def escalation(users: dict[str, User], overdue: Callable[..., Recommendation]) -> Recommendation:
    return recommendations_escalate(
        actor=users["coordinator"],
        recommendations=[overdue()],
        text="Make the department answer.",
        level=Level.SYSTEMIC,
        language="kk",
    )


def _status(actor: str, allowed: bool, denied: int) -> int:
    if actor == "anonymous":
        return 401
    return 200 if allowed else denied


@pytest.mark.parametrize("actor", ACTORS)
def test_list(client_for: Callable[[str], Client], escalation: Recommendation, actor: str) -> None:
    response = client_for(actor).get(BASE)
    assert response.status_code == _status(actor, True, 403)
    if actor == "anonymous":
        return
    ids = [item["id"] for item in response.json()["results"]]
    assert ids == ([str(escalation.public_id)] if actor in READERS else [])
    if actor in READERS:
        item = response.json()["results"][0]
        assert item["source"] == Source.ESCALATION
        assert item["addressee"] == "MVD-KUIS"
        assert item["letter_language"] == "kk"
        assert [o["reference"] for o in item["escalates"]] == [escalation.escalates.get().reference]
        assert item["letter_url"].endswith(f"{BASE}{escalation.public_id}/letter/pdf/")


@pytest.mark.parametrize("actor", ACTORS)
def test_retrieve(
    client_for: Callable[[str], Client], escalation: Recommendation, actor: str
) -> None:
    response = client_for(actor).get(f"{BASE}{escalation.public_id}/")
    assert response.status_code == _status(actor, actor in READERS, 404)


def test_retrieve_unknown_or_ordinary_is_404(
    client_for: Callable[[str], Client], escalation: Recommendation
) -> None:
    client = client_for("coordinator")
    original = escalation.escalates.get()
    assert client.get(f"{BASE}{original.public_id}/").status_code == 404
    assert client.get(f"{BASE}00000000-0000-0000-0000-000000000000/").status_code == 404


@pytest.mark.parametrize("actor", ACTORS)
def test_escalate(
    client_for: Callable[[str], Client], overdue: Callable[..., Recommendation], actor: str
) -> None:
    first, second = overdue(), overdue(state=State.NOT_ACCEPTED)
    response = client_for(actor).post(
        BASE,
        {
            "recommendations": [str(first.public_id), str(second.public_id)],
            "text": "Make the department answer.",
            "language": "en",
        },
        content_type="application/json",
    )
    first.refresh_from_db()
    if actor == "coordinator":
        assert response.status_code == 201
        body = response.json()
        assert body["addressee"] == "MVD-KUIS"
        assert body["level"] == Level.SYSTEMIC
        assert {o["reference"] for o in body["escalates"]} == {first.reference, second.reference}
        assert first.state == State.ESCALATED
    else:
        assert response.status_code == (401 if actor == "anonymous" else 403)
        assert first.state == State.AWAITING_RESPONSE
        assert not Recommendation.objects.filter(source=Source.ESCALATION).exists()
        assert not AuditEvent.objects.filter(action__startswith="recommendation.").exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        pytest.param({"recommendations": []}, "recommendations", id="none"),
        pytest.param({"target": "NOPE"}, "target", id="unknown-target"),
        pytest.param({"target": "MOH"}, "target", id="not-higher"),
        pytest.param({"language": "de"}, "language", id="language"),
        pytest.param({"text": ""}, "text", id="text"),
        pytest.param({"deadline": "soon"}, "deadline", id="deadline"),
    ],
)
def test_escalate_validation(
    client_for: Callable[[str], Client],
    overdue: Callable[..., Recommendation],
    payload: dict[str, Any],
    field: str,
) -> None:
    rec = overdue()
    body = {"recommendations": [str(rec.public_id)], "text": "Answer.", "language": "ru"}
    body.update(payload)
    response = client_for("coordinator").post(BASE, body, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    rec.refresh_from_db()
    assert rec.state == State.AWAITING_RESPONSE


def test_escalate_not_qualifying_is_400(
    client_for: Callable[[str], Client], make_recommendation: Callable[..., Recommendation]
) -> None:
    rec = make_recommendation(deadline=TODAY + datetime.timedelta(days=20))
    response = client_for("coordinator").post(
        BASE,
        {"recommendations": [str(rec.public_id)], "text": "Answer.", "language": "ru"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "cannot be escalated" in str(response.json()["errors"]["recommendations"])


@pytest.mark.parametrize("actor", ACTORS)
def test_candidates(
    client_for: Callable[[str], Client], overdue: Callable[..., Recommendation], actor: str
) -> None:
    rec = overdue()
    response = client_for(actor).get(f"{BASE}candidates/")
    assert response.status_code == _status(actor, actor == "coordinator", 403)
    if actor == "coordinator":
        results = response.json()["results"]
        assert [(r["reference"], r["reasons"]) for r in results] == [(rec.reference, ["overdue"])]
        assert client_for(actor).get(f"{BASE}candidates/?agency=MOH").json()["count"] == 0


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
@pytest.mark.parametrize("actor", ACTORS)
def test_letter(
    client_for: Callable[[str], Client], escalation: Recommendation, actor: str, fmt: str
) -> None:
    response = client_for(actor).get(f"{BASE}{escalation.public_id}/letter/{fmt}/?language=en")
    assert response.status_code == _status(actor, actor in READERS, 404)
    exported = AuditEvent.objects.filter(action=AuditAction.RECOMMENDATION_LETTER_EXPORTED)
    if actor in READERS:
        assert response["Content-Disposition"].endswith(f'-en.{fmt}"')
        assert exported.count() == 1
        if fmt == "pdf":
            assert response.content.startswith(b"%PDF")
    else:
        assert not exported.exists()


def test_letter_bad_language(
    client_for: Callable[[str], Client], escalation: Recommendation
) -> None:
    response = client_for("coordinator").get(
        f"{BASE}{escalation.public_id}/letter/pdf/?language=de"
    )
    assert response.status_code == 400
    assert "language" in response.json()["errors"]


def _queries(client: Client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("actor", "path"),
    [
        pytest.param("coordinator", BASE, id="list-coordinator"),
        pytest.param("liaison", BASE, id="list-liaison"),
        pytest.param("regional", BASE, id="list-regional"),
        pytest.param("coordinator", f"{BASE}candidates/", id="candidates"),
        pytest.param("coordinator", "/recommendations/escalations/", id="candidates-page"),
    ],
)
def test_constant_queries(
    client_for: Callable[[str], Client],
    users: dict[str, User],
    overdue: Callable[..., Recommendation],
    make_institution: Callable[..., Any],
    actor: str,
    path: str,
) -> None:
    def grow(n: int) -> None:
        for _ in range(n):
            colony = make_institution()
            recommendations_escalate(
                actor=users["coordinator"],
                recommendations=[overdue(institution=colony), overdue(institution=colony)],
                text="Answer.",
                language="ru",
            )
            overdue(institution=colony)  # a candidate left

    client = client_for(actor)
    grow(1)
    few = _queries(client, path)
    grow(3)
    assert _queries(client, path) == few


def test_list_shows_deadline_flags(
    client_for: Callable[[str], Client], escalation: Recommendation
) -> None:
    item = client_for("coordinator").get(BASE).json()["results"][0]
    assert item["is_overdue"] is False
    assert item["is_due_soon"] is False
