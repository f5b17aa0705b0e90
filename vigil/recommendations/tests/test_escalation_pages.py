"""Escalation pages: role matrix of the candidates list, the form, the letter page and the
downloads; a refused or invalid request changes nothing and writes no audit row."""

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


@pytest.fixture
def overdue(make_recommendation: Callable[..., Recommendation]) -> Recommendation:
    return make_recommendation(issued_on=PAST - datetime.timedelta(days=30), deadline=PAST)


@pytest.fixture
def escalation(users: dict[str, User], overdue: Recommendation) -> Recommendation:
    return recommendations_escalate(
        actor=users["coordinator"],
        recommendations=[overdue],
        text="Make the department answer.",
        level=Level.SYSTEMIC,
        language="ru",
    )


def _expect(response: Any, allowed: bool, actor: str, denied: int = 403) -> None:
    if actor == "anonymous":
        assert response.status_code == 302
        assert "/login" in response["Location"] or "login" in response["Location"]
    elif allowed:
        assert response.status_code == 200, response.status_code
    else:
        assert response.status_code == denied, response.status_code


@pytest.mark.parametrize("actor", ACTORS)
def test_candidates_page(
    client_for: Callable[[str], Client], overdue: Recommendation, actor: str
) -> None:
    response = client_for(actor).get("/recommendations/escalations/")
    _expect(response, actor in ("coordinator", "regional"), actor)
    if actor in ("coordinator", "regional"):
        html = response.content.decode()
        assert overdue.reference in html
        assert "Deadline passed" in html
        # only coordinators escalate: the regional representative prepares
        assert ('name="rec"' in html) is (actor == "coordinator")


def test_candidates_filter_by_addressee(
    client_for: Callable[[str], Client],
    overdue: Recommendation,
    make_recommendation: Callable[..., Recommendation],
    ref: dict[str, Any],
) -> None:
    other = make_recommendation(
        addressee=ref["police"], issued_on=PAST - datetime.timedelta(days=30), deadline=PAST
    )
    html = client_for("coordinator").get("/recommendations/escalations/?agency=MVD-POLICE")
    text = html.content.decode()
    assert other.reference in text
    assert overdue.reference not in text


@pytest.mark.parametrize("actor", ACTORS)
def test_escalate_form_get(
    client_for: Callable[[str], Client], overdue: Recommendation, actor: str
) -> None:
    response = client_for(actor).get(f"/recommendations/escalate/?rec={overdue.public_id}")
    _expect(response, actor == "coordinator", actor)
    if actor == "coordinator":
        html = response.content.decode()
        assert overdue.reference in html
        assert 'value="MVD-KUIS" selected' in html  # the next level up is proposed


@pytest.mark.parametrize("actor", ACTORS)
def test_escalate_post(
    client_for: Callable[[str], Client],
    overdue: Recommendation,
    users: dict[str, User],
    actor: str,
) -> None:
    response = client_for(actor).post(
        "/recommendations/escalate/",
        {
            "rec": str(overdue.public_id),
            "target": "MVD-KUIS",
            "level": Level.SYSTEMIC,
            "text": "Make the department answer.",
            "language": "kk",
        },
    )
    overdue.refresh_from_db()
    if actor == "coordinator":
        assert response.status_code == 302
        escalation = Recommendation.objects.get(source=Source.ESCALATION)
        assert response["Location"] == f"/recommendations/{escalation.public_id}/letter/"
        assert overdue.state == State.ESCALATED
    else:
        _expect(response, False, actor)
        assert overdue.state == State.AWAITING_RESPONSE
        assert not Recommendation.objects.filter(source=Source.ESCALATION).exists()
        assert not AuditEvent.objects.filter(action__startswith="recommendation.").exists()


def test_escalate_errors_stay_on_the_form(
    client_for: Callable[[str], Client], make_recommendation: Callable[..., Recommendation]
) -> None:
    not_due = make_recommendation(deadline=TODAY + datetime.timedelta(days=30))
    response = client_for("coordinator").post(
        "/recommendations/escalate/",
        {
            "rec": str(not_due.public_id),
            "target": "MVD-KUIS",
            "level": Level.SYSTEMIC,
            "text": "Answer.",
            "language": "en",
        },
    )
    assert response.status_code == 200
    assert "cannot be escalated" in response.content.decode()
    assert not Recommendation.objects.filter(source=Source.ESCALATION).exists()


@pytest.mark.parametrize(
    "query",
    ["", "?rec=not-a-uuid", "?rec=00000000-0000-0000-0000-000000000000"],
    ids=["none", "bad", "missing"],
)
def test_escalate_unknown_is_404(client_for: Callable[[str], Client], query: str) -> None:
    assert client_for("coordinator").get(f"/recommendations/escalate/{query}").status_code == 404


LETTER_READERS = {"admin", "coordinator", "monitor", "auditor", "liaison"}


@pytest.mark.parametrize("actor", ACTORS)
def test_letter_page(
    client_for: Callable[[str], Client], escalation: Recommendation, actor: str
) -> None:
    response = client_for(actor).get(f"/recommendations/{escalation.public_id}/letter/")
    _expect(response, actor in LETTER_READERS, actor, denied=404)
    if actor in LETTER_READERS:
        html = response.content.decode()
        assert f"/recommendations/{escalation.public_id}/letter.pdf?language=kk" in html
        assert f"/recommendations/{escalation.public_id}/letter.docx?language=ru" in html


@pytest.mark.parametrize("actor", ACTORS)
def test_letter_download(
    client_for: Callable[[str], Client], escalation: Recommendation, actor: str
) -> None:
    response = client_for(actor).get(
        f"/recommendations/{escalation.public_id}/letter.docx", {"language": "en"}
    )
    _expect(response, actor in LETTER_READERS, actor, denied=404)
    exported = AuditEvent.objects.filter(action=AuditAction.RECOMMENDATION_LETTER_EXPORTED)
    if actor in LETTER_READERS:
        assert response["Content-Type"].startswith(
            "application/vnd.openxmlformats-officedocument.wordprocessingml"
        )
        assert f"{escalation.reference}-en.docx" in response["Content-Disposition"]
        assert exported.count() == 1
    else:
        assert not exported.exists()


@pytest.mark.parametrize(
    "path",
    ["letter.odt", "letter.pdf?language=de"],
    ids=["format", "language"],
)
def test_letter_bad_request_is_404(
    client_for: Callable[[str], Client], escalation: Recommendation, path: str
) -> None:
    response = client_for("coordinator").get(f"/recommendations/{escalation.public_id}/{path}")
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.RECOMMENDATION_LETTER_EXPORTED).exists()


def test_an_ordinary_recommendation_has_no_letter(
    client_for: Callable[[str], Client], overdue: Recommendation
) -> None:
    client = client_for("coordinator")
    assert client.get(f"/recommendations/{overdue.public_id}/letter/").status_code == 404
    assert client.get(f"/recommendations/{overdue.public_id}/letter.pdf").status_code == 404


def test_detail_page_offers_escalation(
    client_for: Callable[[str], Client], overdue: Recommendation
) -> None:
    html = client_for("coordinator").get(f"/recommendations/{overdue.public_id}/").content.decode()
    assert f"/recommendations/escalate/?rec={overdue.public_id}" in html
    monitor = client_for("monitor").get(f"/recommendations/{overdue.public_id}/").content.decode()
    assert "/recommendations/escalate/" not in monitor


@pytest.mark.parametrize(
    ("actor", "tools"),
    [
        pytest.param("admin", ["systemic", "import"], id="admin"),
        pytest.param("coordinator", ["escalate", "systemic", "import"], id="coordinator"),
        pytest.param("regional", ["escalate", "systemic"], id="regional"),
        pytest.param("monitor", ["systemic"], id="monitor"),
        pytest.param("auditor", ["systemic"], id="auditor"),
    ],
)
def test_list_page_links_to_the_tools(
    client_for: Callable[[str], Client], actor: str, tools: list[str]
) -> None:
    html = client_for(actor).get("/recommendations/").content.decode()
    found = [key for key in ("escalate", "systemic", "import") if f'data-tool="{key}"' in html]
    assert found == tools


def test_no_higher_level_is_said_and_not_offered(
    client_for: Callable[[str], Client],
    make_recommendation: Callable[..., Recommendation],
    ref: dict[str, Any],
) -> None:
    top = make_recommendation(
        addressee=ref["moh"], issued_on=PAST - datetime.timedelta(days=30), deadline=PAST
    )
    client = client_for("coordinator")
    assert top.reference not in client.get("/recommendations/escalations/").content.decode()
    html = client.get(f"/recommendations/escalate/?rec={top.public_id}").content.decode()
    assert 'data-testid="no-higher-level"' in html
    assert 'name="target"' not in html
