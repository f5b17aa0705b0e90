"""Interview pages and API: role matrices (who can and cannot), content shown only after an
explicit logged request, identity only after an unseal with a reason, denied requests change
nothing and log nothing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import ALL_ACTORS
from vigil.audit.enums import AccessKind, AuditAction
from vigil.audit.models import AccessEvent, AuditEvent
from vigil.visits.enums import VisitState
from vigil.visits.models import Interview, SealedIdentity
from vigil.visits.services.interviews import interview_create
from vigil.visits.tests.fixtures import INTERVIEW_CONTENT as CONTENT
from vigil.visits.tests.fixtures import INTERVIEW_IDENTITY as IDENTITY

ACTORS = [*ALL_ACTORS, "monitor_outsider", "monitor_lead", "other_liaison"]
# Who may read content and unseal (and write): the team, coordinators, the regional (Astana).
READERS = {"coordinator", "regional", "monitor", "monitor_lead"}
# Who sees that interviews exist (metadata), without reading them.
LISTERS = READERS | {"auditor"}
API = "/api/v1/interviews/"
TODAY = timezone.localdate()


def _state():
    return (
        list(Interview.objects.order_by("pk").values()),
        list(SealedIdentity.objects.order_by("pk").values_list("pk", "ciphertext")),
        list(
            AuditEvent.objects.exclude(action=AuditAction.USER_LOGGED_IN).values_list(
                "pk", flat=True
            )
        ),
        AccessEvent.objects.filter(outcome="granted").count(),  # refusals are logged as denied
    )


def _expected_page(actor, ok, *, hidden=404, meta_only=None):
    if actor == "anonymous":
        return 302
    if actor in READERS:
        return ok
    if actor == "auditor" and meta_only is not None:
        return meta_only
    return hidden


# ---------------------------------------------------------------------------- pages


@pytest.mark.parametrize("actor", ACTORS)
def test_list_page_role_matrix(client_for, visit, interview, actor):
    response = client_for(actor).get(f"/visits/{visit.public_id}/interviews/")
    assert response.status_code == _expected_page(actor, 200, meta_only=200)
    if response.status_code != 200:
        assert "Witness K" not in response.content.decode()
        return
    body = response.content.decode()
    assert "Witness K" in body
    assert "Alleges ill-treatment" in body
    assert "Risk of reprisals: High" in body
    assert CONTENT not in body
    assert IDENTITY not in body
    assert response["Cache-Control"].count("no-store") == 1
    assert ("Record an interview" in body) == (actor in READERS)


def test_another_region_sees_nothing(client_for, make_visit, make_institution, ref, users):
    elsewhere = make_visit(
        state=VisitState.ON_SITE, institution=make_institution(region=ref["almaty"])
    )
    interview = interview_create(
        actor=users["monitor"],
        visit=elsewhere,
        institution=None,
        data={"pseudonym": "Almaty witness"},
        content=CONTENT,
        identity=IDENTITY,
    )
    regional = client_for("regional")
    before = _state()
    assert regional.get(f"/visits/{elsewhere.public_id}/interviews/").status_code == 404
    assert regional.get(f"/visits/interviews/{interview.public_id}/").status_code == 404
    assert regional.post(f"/visits/interviews/{interview.public_id}/content/").status_code == 404
    assert (
        regional.post(
            f"/visits/interviews/{interview.public_id}/unseal/", {"reason": "x"}
        ).status_code
        == 404
    )
    assert regional.get(API).json()["results"] == []
    assert regional.post(f"{API}{interview.public_id}/content/").status_code == 404
    assert _state() == before
    coordinator = client_for("coordinator")
    assert coordinator.get(f"/visits/{elsewhere.public_id}/interviews/").status_code == 200


def test_api_auditor_refused_before_validation(client_for, interview):
    response = client_for("auditor").patch(
        f"{API}{interview.public_id}/",
        {"reprisal_risk": "not-a-risk"},
        content_type="application/json",
    )
    assert response.status_code == 403


@pytest.mark.parametrize("actor", ACTORS)
def test_detail_page_role_matrix(client_for, interview, actor):
    response = client_for(actor).get(f"/visits/interviews/{interview.public_id}/")
    assert response.status_code == _expected_page(actor, 200, meta_only=200)
    if response.status_code == 200:
        body = response.content.decode()
        assert "Witness K" in body
        # Neither the content nor the identity is on the page until asked for.
        assert CONTENT not in body
        assert IDENTITY not in body
        assert ("Show content" in body) == (actor in READERS)
        assert (">Unseal<" in body) == (actor in READERS)
        assert ">Edit<" in body if actor in READERS else ">Edit<" not in body
    assert not AccessEvent.objects.filter(outcome="granted").exists()


@pytest.mark.parametrize("actor", ACTORS)
def test_show_content_role_matrix(client_for, interview, actor):
    before = _state()
    response = client_for(actor).post(f"/visits/interviews/{interview.public_id}/content/")
    assert response.status_code == _expected_page(actor, 200, meta_only=403)
    events = AccessEvent.objects.filter(kind=AccessKind.INTERVIEW_READ)
    if response.status_code == 200:
        assert CONTENT in response.content.decode()
        assert IDENTITY not in response.content.decode()
        assert "no-store" in response["Cache-Control"]
        assert events.count() == 1
        assert events.get().target_id == str(interview.public_id)
    else:
        assert CONTENT not in response.content.decode()
        assert _state() == before


def test_show_content_with_htmx_returns_the_section(client_for, interview):
    client = client_for("monitor")
    for n in (1, 2):
        response = client.post(
            f"/visits/interviews/{interview.public_id}/content/", HTTP_HX_REQUEST="true"
        )
        body = response.content.decode()
        assert body.lstrip().startswith('<section id="interview-content"')
        assert CONTENT in body
        assert AccessEvent.objects.filter(kind=AccessKind.INTERVIEW_READ).count() == n


def test_content_is_not_readable_with_get(client_for, interview):
    response = client_for("monitor").get(f"/visits/interviews/{interview.public_id}/content/")
    assert response.status_code == 405
    assert not AccessEvent.objects.exists()


@pytest.mark.parametrize("actor", ACTORS)
def test_unseal_role_matrix(client_for, interview, actor):
    before = _state()
    response = client_for(actor).post(
        f"/visits/interviews/{interview.public_id}/unseal/", {"reason": "Referral to prosecutor"}
    )
    assert response.status_code == _expected_page(actor, 200, meta_only=403)
    if response.status_code == 200:
        body = response.content.decode()
        assert IDENTITY in body
        assert CONTENT not in body
        event = AccessEvent.objects.get()
        assert event.kind == AccessKind.IDENTITY_UNSEALED
        assert event.reason == "Referral to prosecutor"
    else:
        assert IDENTITY not in response.content.decode()
        assert _state() == before


def test_unseal_without_reason_is_refused_with_a_message(client_for, interview):
    response = client_for("coordinator").post(
        f"/visits/interviews/{interview.public_id}/unseal/", {"reason": ""}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Reason for unsealing" in body
    assert "This field is required" in body
    assert IDENTITY not in body
    assert not AccessEvent.objects.exists()


def _form(visit, **overrides):
    data = {
        "institution": str(visit.institutions.get().public_id),
        "conducted_on": str(TODAY),
        "category": "detainee",
        "pseudonym": "Witness Z",
        "in_private": "on",
        "consent_scopes": ["anonymous_use"],
        "vulnerabilities": ["minor", "disability"],
        "reprisal_risk": "low",
        "content": "Айтылғаны: тамақ нашар",
        "identity": "Ерлан Ә.",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("actor", ACTORS)
def test_create_page_role_matrix(client_for, visit, actor):
    client = client_for(actor)
    url = f"/visits/{visit.public_id}/interviews/new/"
    expected = _expected_page(actor, 200, meta_only=403)
    assert client.get(url).status_code == expected
    before = _state()
    response = client.post(url, _form(visit))
    if actor in READERS:
        assert response.status_code == 302
        interview = Interview.objects.get(pseudonym="Witness Z")
        assert response["Location"] == f"/visits/interviews/{interview.public_id}/"
        assert interview.vulnerabilities == ["minor", "disability"]
        assert interview.reprisal_risk == "low"
        assert SealedIdentity.objects.filter(interview=interview).exists()
        assert AuditEvent.objects.filter(
            action=AuditAction.INTERVIEW_CREATED, target_id=str(interview.public_id)
        ).exists()
    else:
        assert response.status_code == expected
        assert _state() == before
        if actor == "anonymous":
            assert response["Location"].startswith("/accounts/login/")


def test_create_page_keeps_typed_text_on_error(client_for, visit):
    response = client_for("monitor").post(
        f"/visits/{visit.public_id}/interviews/new/",
        _form(visit, in_private="", present_persons="", content="long notes kept"),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Please correct the errors below." in body
    assert "Say who else was present" in body
    assert "long notes kept" in body
    assert not Interview.objects.exists()


def test_create_page_before_the_visit_starts(client_for, make_visit):
    planned = make_visit(state=VisitState.PLANNED)
    response = client_for("monitor").get(f"/visits/{planned.public_id}/interviews/new/")
    assert "Interviews are recorded once the visit has started." in response.content.decode()
    response = client_for("monitor").post(
        f"/visits/{planned.public_id}/interviews/new/", _form(planned)
    )
    assert not Interview.objects.exists()


@pytest.mark.parametrize("actor", ACTORS)
def test_edit_page_role_matrix(client_for, interview, actor):
    client = client_for(actor)
    url = f"/visits/interviews/{interview.public_id}/edit/"
    expected = _expected_page(actor, 200, meta_only=403)
    response = client.get(url)
    assert response.status_code == expected
    if expected == 200:
        assert CONTENT not in response.content.decode()
        assert IDENTITY not in response.content.decode()
    before = _state()
    response = client.post(
        url,
        _form(
            interview.visit,
            pseudonym="Renamed",
            consent_scopes=["anonymous_use", "contact_back"],
            identity="",
            content_addition="added later",
        ),
    )
    if actor in READERS:
        assert response.status_code == 302
        interview.refresh_from_db()
        assert interview.pseudonym == "Renamed"
        assert not AccessEvent.objects.exists()
    else:
        assert response.status_code == expected
        assert _state() == before


@pytest.mark.parametrize("actor", ACTORS)
def test_withdraw_consent_role_matrix(client_for, interview, actor):
    before = _state()
    response = client_for(actor).post(
        f"/visits/interviews/{interview.public_id}/withdraw-consent/",
        {"withdraw-on_date": str(TODAY)},
    )
    expected = _expected_page(actor, 302, meta_only=403)
    assert response.status_code == expected
    interview.refresh_from_db()
    if actor in READERS:
        assert interview.consent_withdrawn_on == TODAY
        assert AuditEvent.objects.filter(action=AuditAction.INTERVIEW_CONSENT_WITHDRAWN).exists()
    else:
        assert interview.consent_withdrawn_on is None
        assert _state() == before


@pytest.mark.parametrize("actor", ACTORS)
def test_follow_up_done_role_matrix(client_for, interview, actor):
    Interview.objects.filter(pk=interview.pk).update(follow_up_on=TODAY)
    before = _state()
    response = client_for(actor).post(
        f"/visits/interviews/{interview.public_id}/follow-up-done/",
        {"follow_up-on_date": str(TODAY)},
    )
    expected = _expected_page(actor, 302, meta_only=403)
    assert response.status_code == expected
    interview.refresh_from_db()
    assert (interview.follow_up_done_on is not None) == (actor in READERS)
    if actor not in READERS:
        assert _state() == before


def test_interview_list_runs_constant_queries(client_for, users, visit):
    client = client_for("monitor")
    url = f"/visits/{visit.public_id}/interviews/"
    client.get(url)

    def add(n):
        for i in range(n):
            interview_create(
                actor=users["monitor"],
                visit=visit,
                institution=None,
                data={"pseudonym": f"P{Interview.objects.count()}-{i}"},
                content="c",
                identity="x" if i % 2 else "",
            )

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    add(2)
    few = count()
    add(10)
    assert count() == few
