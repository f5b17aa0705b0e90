"""Pages of recommendations: role matrices for the list, the recommendation page, drafting,
the life-cycle buttons, issuing and assessing; denied writes change nothing and log nothing."""

import datetime
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import ALL_ACTORS
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.recommendations.enums import ClaimedStatus, State, Verdict
from vigil.recommendations.models import (
    Assessment,
    AuthorityResponse,
    Recommendation,
    RecommendationEvent,
)
from vigil.recommendations.services.assessments import recommendation_assess

pytestmark = pytest.mark.django_db

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
def world(make_recommendation, make_institution, ref) -> dict[str, Recommendation]:
    astana = make_institution()
    almaty = make_institution(type=ref["psych"], agency=ref["moh"], region=ref["almaty"])
    return {
        "rec": make_recommendation(institution=astana),
        "draft": make_recommendation(state=State.DRAFT, institution=astana),
        "moh": make_recommendation(addressee=ref["moh"], institution=almaty),
    }


def _expect(actor: str, key: str, allowed: set[str], denied: int = 403) -> int:
    """The status of a write: 404 when the object is not visible, else allowed or denied."""
    if actor == "anonymous":
        return 302
    if key not in VISIBLE[actor]:
        return 404
    return 200 if actor in allowed else denied


# ---------------------------------------------------------------- reading


@pytest.mark.parametrize("actor", ACTORS)
def test_list_matrix(client_for, world, actor):
    response = client_for(actor).get("/recommendations/")
    if actor == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
        return
    assert response.status_code == 200
    shown = set(re.findall(r'data-reference="([^"]+)"', response.content.decode()))
    assert shown == {world[key].reference for key in VISIBLE[actor]}


@pytest.mark.parametrize("key", sorted(EVERYTHING))
@pytest.mark.parametrize("actor", ACTORS)
def test_detail_matrix(client_for, world, actor, key):
    rec = world[key]
    response = client_for(actor).get(f"/recommendations/{rec.public_id}/")
    if actor == "anonymous":
        assert response.status_code == 302
    elif key in VISIBLE[actor]:
        assert response.status_code == 200
        assert rec.reference in response.content.decode()
    else:
        assert response.status_code == 404


def test_detail_of_a_missing_recommendation_is_404(client_for):
    response = client_for("coordinator").get(
        "/recommendations/00000000-0000-0000-0000-000000000000/"
    )
    assert response.status_code == 404


def test_detail_shows_the_allowed_buttons_only(client_for, world):
    url = f"/recommendations/{world['rec'].public_id}/"
    coordinator = client_for("coordinator").get(url).content.decode()
    assert "Close as obsolete" in coordinator
    monitor = client_for("monitor").get(url).content.decode()
    assert "Close as obsolete" not in monitor
    assert "Assess" in monitor
    liaison = client_for("liaison").get(url).content.decode()
    assert "Close as obsolete" not in liaison
    assert 'href="/recommendations/' + str(world["rec"].public_id) + '/assess/"' not in liaison
    draft = client_for("coordinator").get(f"/recommendations/{world['draft'].public_id}/")
    html = draft.content.decode()
    assert "Delete draft" in html
    assert ">Issue<" in html


def test_detail_shows_status_with_text_and_deadline_flag(client_for, world):
    html = client_for("coordinator").get(f"/recommendations/{world['rec'].public_id}/")
    text = html.content.decode()
    assert 'data-state="awaiting_response">Awaiting response</span>' in text
    assert 'data-deadline="overdue"' in text  # deadline 2026-02-27 is long past in tests


def test_list_filters_are_kept_in_the_url(client_for, world, ref):
    client = client_for("coordinator")
    response = client.get("/recommendations/", {"agency": "MOH", "ordering": "deadline"})
    shown = set(re.findall(r'data-reference="([^"]+)"', response.content.decode()))
    assert shown == {world["moh"].reference}
    response = client.get("/recommendations/", {"agency": "MVD"})
    shown = set(re.findall(r'data-reference="([^"]+)"', response.content.decode()))
    assert shown == {world["rec"].reference, world["draft"].reference}
    response = client.get("/recommendations/", {"status": "draft"})
    shown = set(re.findall(r'data-reference="([^"]+)"', response.content.decode()))
    assert shown == {world["draft"].reference}
    response = client.get("/recommendations/", {"overdue": "true", "page": "1"})
    shown = set(re.findall(r'data-reference="([^"]+)"', response.content.decode()))
    assert shown == {world["rec"].reference, world["moh"].reference}
    htmx = client.get("/recommendations/", {"search": world["moh"].reference}, HTTP_HX_REQUEST="1")
    assert "<html" not in htmx.content.decode()
    assert world["moh"].reference in htmx.content.decode()


def _list_queries(client: Any, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("actor", ["coordinator", "regional", "liaison"])
def test_list_page_runs_constant_queries(client_for, make_recommendation, make_institution, actor):
    client = client_for(actor)
    client.get("/recommendations/")
    for _ in range(2):
        make_recommendation(institution=make_institution())
    few = _list_queries(client, "/recommendations/")
    for _ in range(12):
        make_recommendation(
            institution=make_institution(), repeat_of=Recommendation.objects.first()
        )
    assert _list_queries(client, "/recommendations/") == few


# ---------------------------------------------------------------- drafting


def _draft_post(ref: dict[str, Any], institution: Any) -> dict[str, Any]:
    return {
        "source": "thematic_report",
        "source_document": "Thematic report on ventilation, 2026",
        "addressee": "MVD-KUIS-71",
        "institution": str(institution.public_id),
        "theme": "T3",
        "level": "institutional",
        "text": "Install mechanical ventilation in every cell block.",
        "indicator": "Measured air exchange in every cell.",
        "deadline": "",
        "repeat_of": "",
    }


@pytest.mark.parametrize("actor", ACTORS)
def test_create_matrix(client_for, ref, make_institution, actor):
    institution = make_institution()
    client = client_for(actor)
    expected = 302 if actor == "anonymous" else 200 if actor in DRAFTERS else 403
    assert client.get("/recommendations/new/").status_code == expected
    response = client.post("/recommendations/new/", _draft_post(ref, institution))
    if actor in DRAFTERS:
        rec = Recommendation.objects.get()
        assert response.status_code == 302
        assert response["Location"] == f"/recommendations/{rec.public_id}/"
        assert rec.state == State.DRAFT
        assert rec.reference.startswith("REC-")
        assert rec.institution == institution
        assert audit_rows() == [AuditAction.RECOMMENDATION_CREATED]
    else:
        assert response.status_code == (302 if actor == "anonymous" else 403)
        assert not Recommendation.objects.exists()
        assert audit_rows() == []


def test_create_errors_are_shown_next_to_the_fields(client_for, ref, make_institution):
    data = _draft_post(ref, make_institution())
    data.update(text="", deadline="2020-01-01", repeat_of="NO-SUCH-REF")
    response = client_for("coordinator").post("/recommendations/new/", data)
    assert response.status_code == 200
    form = response.context["form"]
    assert "text" in form.errors
    assert form.errors["repeat_of"] == ["No recommendation you can see has this reference."]
    assert not Recommendation.objects.exists()


def test_regional_representative_cannot_draft_outside_their_region(
    client_for, ref, make_institution
):
    almaty = make_institution(region=ref["almaty"], agency=ref["moh"], type=ref["psych"])
    data = _draft_post(ref, almaty)
    data["addressee"] = "MOH"
    response = client_for("regional").post("/recommendations/new/", data)
    assert response.status_code == 200  # the institution is not among those it can choose
    assert not Recommendation.objects.exists()


@pytest.mark.parametrize("actor", ACTORS)
def test_edit_matrix(client_for, world, actor):
    draft = world["draft"]
    client = client_for(actor)
    url = f"/recommendations/{draft.public_id}/edit/"
    expected = _expect(actor, "draft", DRAFTERS)
    assert client.get(url).status_code == expected
    data = {
        "source": "thematic_report",
        "source_document": "",
        "addressee": "MVD-KUIS-71",
        "institution": str(draft.institution.public_id),
        "theme": "T5",
        "level": "systemic",
        "text": "Changed text.",
        "indicator": "",
        "deadline": "",
        "repeat_of": world["rec"].reference,
    }
    response = client.post(url, data)
    draft.refresh_from_db()
    if expected == 200:
        assert response.status_code == 302
        assert draft.text == "Changed text."
        assert draft.repeat_of == world["rec"]
        assert audit_rows() == [AuditAction.RECOMMENDATION_UPDATED]
    else:
        assert response.status_code == expected
        assert draft.text != "Changed text."
        assert audit_rows() == []


def test_issued_recommendations_are_not_edited(client_for, world):
    rec = world["rec"]
    response = client_for("coordinator").get(f"/recommendations/{rec.public_id}/edit/")
    assert response.status_code == 302
    assert response["Location"] == f"/recommendations/{rec.public_id}/"


@pytest.mark.parametrize("actor", ACTORS)
def test_delete_matrix(client_for, world, actor):
    draft = world["draft"]
    response = client_for(actor).post(f"/recommendations/{draft.public_id}/delete/")
    expected = _expect(actor, "draft", DRAFTERS)
    if expected == 200:
        assert response.status_code == 302
        assert not Recommendation.objects.filter(pk=draft.pk).exists()
        assert audit_rows() == [AuditAction.RECOMMENDATION_DELETED]
    else:
        assert response.status_code == expected
        assert Recommendation.objects.filter(pk=draft.pk).exists()
        assert audit_rows() == []


def test_delete_refuses_an_issued_one(client_for, world):
    rec = world["rec"]
    response = client_for("coordinator").post(f"/recommendations/{rec.public_id}/delete/")
    assert response.status_code == 403
    assert Recommendation.objects.filter(pk=rec.pk).exists()


# ---------------------------------------------------------------- the life cycle


@pytest.mark.parametrize("actor", ACTORS)
def test_transition_matrix(client_for, world, actor):
    rec = world["rec"]
    response = client_for(actor).post(
        f"/recommendations/{rec.public_id}/transition/",
        {"to_state": "obsolete", "note": "The colony was closed.", "expected_state": rec.state},
    )
    rec.refresh_from_db()
    expected = _expect(actor, "rec", DRAFTERS)
    if expected == 200:
        assert response.status_code == 302
        assert rec.state == State.OBSOLETE
        assert audit_rows() == [AuditAction.RECOMMENDATION_TRANSITIONED]
    else:
        assert response.status_code == expected
        assert rec.state == State.AWAITING_RESPONSE
        assert not RecommendationEvent.objects.exists()
        assert audit_rows() == []


def test_transition_refused_with_the_reason(client_for, world):
    rec = world["rec"]
    response = client_for("coordinator").post(
        f"/recommendations/{rec.public_id}/transition/",
        {"to_state": "implemented_verified", "note": ""},
        follow=True,
    )
    assert "cannot go from" in response.content.decode()
    rec.refresh_from_db()
    assert rec.state == State.AWAITING_RESPONSE


def test_transition_with_a_stale_page_is_refused(client_for, world):
    rec = world["rec"]
    response = client_for("coordinator").post(
        f"/recommendations/{rec.public_id}/transition/",
        {"to_state": "obsolete", "note": "Closed.", "expected_state": "issued"},
        follow=True,
    )
    assert "changed meanwhile" in response.content.decode()
    rec.refresh_from_db()
    assert rec.state == State.AWAITING_RESPONSE


@pytest.mark.parametrize("actor", ACTORS)
def test_issue_one_matrix(client_for, world, actor):
    draft = world["draft"]
    response = client_for(actor).post(f"/recommendations/{draft.public_id}/issue/")
    draft.refresh_from_db()
    expected = _expect(actor, "draft", DRAFTERS)
    if expected == 200:
        assert response.status_code == 302
        assert draft.state == State.AWAITING_RESPONSE
    else:
        assert response.status_code == expected
        assert draft.state == State.DRAFT
        assert audit_rows() == []


# ---------------------------------------------------------------- assessing


@pytest.fixture
def claimed(make_recommendation, make_institution) -> Recommendation:
    return make_recommendation(
        state=State.IMPLEMENTED_CLAIMED,
        claimed_status=ClaimedStatus.IMPLEMENTED,
        institution=make_institution(),
    )


@pytest.mark.parametrize("actor", ACTORS)
def test_assess_matrix(client_for, claimed, actor):
    client = client_for(actor)
    url = f"/recommendations/{claimed.public_id}/assess/"
    visible = actor not in ("anonymous", "other_liaison")
    if actor == "anonymous":
        expected = 302
    elif not visible:
        expected = 404
    else:
        expected = 200 if actor in ASSESSORS else 403
    assert client.get(url).status_code == expected
    response = client.post(
        url,
        {"verdict": Verdict.DISPUTE, "reasons": "The cells still have no ventilation."},
    )
    claimed.refresh_from_db()
    if expected == 200:
        assert response.status_code == 302
        assert claimed.assessed_verdict == Verdict.DISPUTE
        assert claimed.claimed_status == ClaimedStatus.IMPLEMENTED  # kept apart
        assert audit_rows() == [AuditAction.RECOMMENDATION_ASSESSED]
    else:
        assert response.status_code == expected
        assert claimed.assessed_verdict == ""
        assert not Assessment.objects.exists()
        assert audit_rows() == []


def test_dispute_without_reasons_is_shown_on_the_form(client_for, claimed):
    response = client_for("monitor").post(
        f"/recommendations/{claimed.public_id}/assess/", {"verdict": Verdict.DISPUTE}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["reasons"] == ["Give the reasons."]
    assert not Assessment.objects.exists()


# ---------------------------------------------------------------- issuing pages


@pytest.mark.parametrize("actor", ACTORS)
def test_issue_pages_matrix(client_for, approved_visit, make_recommendation, actor):
    visit = approved_visit()
    make_recommendation(state=State.DRAFT, visit=visit)
    client = client_for(actor)
    index = client.get("/recommendations/issue/")
    page = client.get(f"/recommendations/issue/{visit.public_id}/")
    new = client.get(f"/recommendations/issue/{visit.public_id}/new/")
    if actor == "anonymous":
        assert {index.status_code, page.status_code, new.status_code} == {302}
    elif actor in DRAFTERS:
        assert (index.status_code, page.status_code, new.status_code) == (200, 200, 200)
        assert visit.reference in index.content.decode()
    else:
        assert index.status_code == 403
        assert page.status_code == 404
        assert new.status_code == 404


def test_draft_from_the_report(client_for, approved_visit):
    visit = approved_visit()
    findings = list(visit.findings.order_by("id"))
    response = client_for("coordinator").post(
        f"/recommendations/issue/{visit.public_id}/new/",
        {
            "addressee": "MVD-KUIS-71",
            "institution": str(visit.institutions.get().public_id),
            "findings": [str(findings[1].public_id)],
            "theme": "T5",
            "level": "urgent_individual",
            "text": "Examine every detainee with injuries today.",
            "indicator": "",
            "deadline": "",
            "repeat_of": "",
            "add_another": "1",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/recommendations/issue/{visit.public_id}/new/"
    rec = Recommendation.objects.get()
    assert rec.visit == visit
    assert rec.source == "visit_report"
    assert list(rec.findings.all()) == [findings[1]]
    page = client_for("coordinator").get(f"/recommendations/{rec.public_id}/")
    assert f'href="/visits/findings/{findings[1].public_id}/"' in page.content.decode()


def test_detail_shows_responses_assessments_and_history(client_for, users, claimed, ref):
    AuthorityResponse.objects.create(
        recommendation=claimed,
        responding_agency=ref["kuis_71"],
        letter_number="77-1/9",
        letter_date=datetime.date(2026, 2, 2),
        measures="A new ventilation system was installed.",
        claimed_status=ClaimedStatus.IMPLEMENTED,
        on_time=True,
        submitted_by=users["liaison"],
    )
    recommendation_assess(
        actor=users["monitor"],
        recommendation=claimed,
        verdict=Verdict.DISPUTE,
        reasons="Block 2 has no ventilation.",
    )
    html = client_for("coordinator").get(f"/recommendations/{claimed.public_id}/").content.decode()
    assert "77-1/9" in html
    assert "Block 2 has no ventilation." in html
    assert 'data-testid="assessed-verdict">Claim disputed<' in html
    assert 'data-testid="claimed-status">Implemented<' in html
    liaison = client_for("liaison").get(f"/recommendations/{claimed.public_id}/").content.decode()
    assert "Block 2 has no ventilation." in liaison
