"""Pages of appeal handling: role matrices for the list, the appeal page, registering (staff
and from a visit) and each action; denied writes change nothing and log no success."""

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from conftest import ALL_ACTORS
from vigil.accounts.models import User
from vigil.appeals.deadlines import longest_extension
from vigil.appeals.enums import AppealState, Channel
from vigil.appeals.models import Appeal, AppealAttachment, AppealEvent
from vigil.appeals.tests.fixtures import APPEAL_CONTENT, APPELLANT_NAME
from vigil.audit.enums import AccessKind, AuditAction
from vigil.audit.models import AccessEvent, AuditEvent
from vigil.core.tests.pdfs import pdf_bytes

pytestmark = pytest.mark.django_db

PDF_BYTES = pdf_bytes()

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


def audit_rows() -> list[str]:
    return list(
        AuditEvent.objects.exclude(action=AuditAction.USER_LOGGED_IN).values_list(
            "action", flat=True
        )
    )


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


def _status(actor: str, key: str, allowed: set[str]) -> int:
    if actor == "anonymous":
        return 302
    if key not in VISIBLE[actor]:
        return 404
    return 200 if actor in allowed else 403


@pytest.mark.parametrize("actor", ACTORS)
def test_list_matrix(client_for: Callable[[str], Any], world: dict[str, Any], actor: str) -> None:
    response = client_for(actor).get("/appeals/")
    if actor == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
        return
    if not VISIBLE[actor]:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    shown = set(re.findall(r'data-reference="([^"]+)"', response.content.decode()))
    assert shown == {world[k].reference for k in VISIBLE[actor]}


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("key", ["own", "other", "visit"])
def test_detail_matrix(
    client_for: Callable[[str], Any], world: dict[str, Any], actor: str, key: str
) -> None:
    response = client_for(actor).get(f"/appeals/{world[key].public_id}/")
    expected = _status(actor, key, set(VISIBLE))
    assert response.status_code == expected
    if expected == 200:
        body = response.content.decode()
        assert world[key].reference in body
        assert APPEAL_CONTENT not in body
        assert APPELLANT_NAME not in body


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_pages_render_in_each_language_with_debug_on_and_off(
    client_for: Callable[[str], Any], world: dict[str, Any], debug: bool, language: str
) -> None:
    client = client_for("coordinator")
    with override_settings(DEBUG=debug):
        for url in (
            "/appeals/",
            f"/appeals/{world['own'].public_id}/",
            "/appeals/new/",
            f"/appeals/from-visit/{world['the_visit'].public_id}/",
            "/",
        ):
            response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
            assert response.status_code == 200, url


def test_list_filters_and_export_leave_out_content_and_identity(
    client_for: Callable[[str], Any],
    make_appeal: Callable[..., Appeal],
    users: dict[str, User],
) -> None:
    today = timezone.localdate()
    late = make_appeal(due_on=today - datetime.timedelta(days=3), summary="late one")
    due = make_appeal(due_on=today, assigned_to=users["coordinator"])
    closed = make_appeal(due_on=today - datetime.timedelta(days=3), state="closed_resolved")
    client = client_for("coordinator")

    def shown(query: str) -> set[str]:
        body = client.get(f"/appeals/?{query}").content.decode()
        return set(re.findall(r'data-reference="([^"]+)"', body))

    assert shown("overdue=true") == {late.reference}
    assert shown("due_today=true") == {due.reference}
    assert shown("mine=true") == {due.reference}
    assert shown("status=closed_resolved") == {closed.reference}
    assert shown("search=late") == {late.reference}
    assert shown("repeat_writer=true") == {late.reference, due.reference, closed.reference}
    ordered = client.get("/appeals/?ordering=due").content.decode()
    assert ordered.index(late.reference) < ordered.index(due.reference)
    export = client.get("/appeals/?export=csv&overdue=true")
    assert export.status_code == 200
    text = export.content.decode()
    assert late.reference in text
    assert due.reference not in text
    assert APPEAL_CONTENT not in text
    assert APPELLANT_NAME not in text
    assert AuditEvent.objects.filter(action=AuditAction.LIST_EXPORTED).count() == 1


def test_home_block_counts_for_handlers_only(
    client_for: Callable[[str], Any], make_appeal: Callable[..., Appeal]
) -> None:
    make_appeal(due_on=timezone.localdate() - datetime.timedelta(days=1))
    body = client_for("coordinator").get("/").content.decode()
    assert 'data-testid="appeals-home"' in body
    assert 'data-count="overdue">1<' in body
    assert 'data-testid="appeals-home"' not in client_for("liaison").get("/").content.decode()


# ---------------------------------------------------------------- registering

REGISTER = {
    "channel": Channel.LETTER,
    "received_on": "2026-11-02",
    "name": "Марат Оспанов",
    "contact": "+7 701 111 22 33",
    "content": "Колонияда медициналық көмек жоқ",
    "urgency": "urgent",
    "reprisal_risk": "none",
    "summary": "No medical care",
    "consent_scopes": ["allegation"],
}


@pytest.mark.parametrize("actor", ACTORS)
def test_register_matrix(
    client_for: Callable[[str], Any], appeal_reference: Any, users: Any, actor: str
) -> None:
    response = client_for(actor).post("/appeals/new/", REGISTER)
    if actor == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    elif actor in ("coordinator", "regional"):
        assert response.status_code == 302
        appeal = Appeal.objects.get()
        assert response["Location"] == f"/appeals/{appeal.public_id}/"
        assert appeal.state == AppealState.REGISTERED
        assert appeal.identity.fingerprint
        return
    else:
        assert response.status_code == 403
    assert not Appeal.objects.exists()
    assert AuditAction.APPEAL_CREATED not in audit_rows()


def test_register_errors_keep_what_was_typed(client_for: Callable[[str], Any], users: Any) -> None:
    response = client_for("coordinator").post("/appeals/new/", {**REGISTER, "content": ""})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="form-errors"' in body
    assert "No medical care" in body
    assert "🔒" in body
    assert not Appeal.objects.exists()


@pytest.mark.parametrize("actor", ACTORS)
def test_register_from_visit_matrix(
    client_for: Callable[[str], Any], world: dict[str, Any], actor: str
) -> None:
    visit = world["the_visit"]
    before = Appeal.objects.count()
    data = {k: v for k, v in REGISTER.items() if k != "channel"}
    response = client_for(actor).post(f"/appeals/from-visit/{visit.public_id}/", data)
    if actor in ("coordinator", "regional", "monitor"):
        assert response.status_code == 302
        appeal = Appeal.objects.latest("pk")
        assert appeal.visit == visit
        assert appeal.channel == Channel.VISIT
        return
    assert response.status_code in (302, 403, 404)
    assert Appeal.objects.count() == before


def test_visit_page_lists_its_appeals_with_the_register_button(
    client_for: Callable[[str], Any], world: dict[str, Any]
) -> None:
    body = client_for("monitor").get(f"/visits/{world['the_visit'].public_id}/").content.decode()
    assert 'data-testid="visit-appeals"' in body
    assert world["visit"].reference in body
    assert f"/appeals/from-visit/{world['the_visit'].public_id}/" in body


# ---------------------------------------------------------------- actions


@pytest.mark.parametrize("actor", ACTORS)
def test_move_matrix(client_for: Callable[[str], Any], world: dict[str, Any], actor: str) -> None:
    appeal = world["own"]
    client_for(actor).post(
        f"/appeals/{appeal.public_id}/move/", {"move": "triage", "expected_state": "registered"}
    )
    appeal.refresh_from_db()
    if actor in HANDLERS:
        assert appeal.state == AppealState.TRIAGED
    else:
        assert appeal.state == AppealState.REGISTERED
        assert AuditAction.APPEAL_TRANSITIONED not in audit_rows()


@pytest.mark.parametrize("actor", ACTORS)
def test_content_read_matrix_logs_each_read(
    client_for: Callable[[str], Any], world: dict[str, Any], actor: str
) -> None:
    appeal = world["own"]
    response = client_for(actor).post(f"/appeals/{appeal.public_id}/content/")
    allowed = {"coordinator", "regional", "auditor"}
    assert response.status_code == _status(actor, "own", allowed)
    reads = AccessEvent.objects.filter(kind=AccessKind.APPEAL_READ).count()
    if response.status_code == 200:
        assert APPEAL_CONTENT in response.content.decode()
        assert reads == 1
    else:
        assert reads == 0


@pytest.mark.parametrize("actor", ACTORS)
def test_unseal_matrix(client_for: Callable[[str], Any], world: dict[str, Any], actor: str) -> None:
    appeal = world["own"]
    response = client_for(actor).post(
        f"/appeals/{appeal.public_id}/unseal/", {"reason": "Letter to the appellant"}
    )
    assert response.status_code == _status(actor, "own", HANDLERS)
    if response.status_code == 200:
        assert APPELLANT_NAME in response.content.decode()
        assert AccessEvent.objects.get().reason == "Letter to the appellant"
    else:
        assert not AccessEvent.objects.filter(outcome="granted").exists()


def test_unseal_needs_a_reason(client_for: Callable[[str], Any], world: dict[str, Any]) -> None:
    response = client_for("coordinator").post(
        f"/appeals/{world['own'].public_id}/unseal/", {"reason": ""}
    )
    assert response.status_code == 200
    assert APPELLANT_NAME not in response.content.decode()
    assert not AccessEvent.objects.exists()


@pytest.mark.parametrize("actor", ACTORS)
def test_extend_matrix_and_limit(
    client_for: Callable[[str], Any], world: dict[str, Any], actor: str
) -> None:
    appeal = world["own"]
    limit = longest_extension(appeal.registered_on)
    client = client_for(actor)
    too_far = client.post(
        f"/appeals/{appeal.public_id}/extend/",
        {"until": (limit + datetime.timedelta(days=1)).isoformat(), "reason": "Medical file"},
    )
    response = client.post(
        f"/appeals/{appeal.public_id}/extend/", {"until": limit.isoformat(), "reason": "File"}
    )
    appeal.refresh_from_db()
    if actor in HANDLERS:
        assert too_far.status_code == 200
        assert response.status_code == 302
        assert appeal.extended_until == limit
    else:
        assert response.status_code == _status(actor, "own", HANDLERS)
        assert appeal.extended_until is None
        assert AuditAction.APPEAL_EXTENDED not in audit_rows()


@pytest.mark.parametrize("actor", ACTORS)
def test_assign_and_triage_matrix(
    client_for: Callable[[str], Any], world: dict[str, Any], users: Any, actor: str
) -> None:
    appeal = world["own"]
    client = client_for(actor)
    assign = client.post(
        f"/appeals/{appeal.public_id}/assign/", {"assignee": str(users["monitor"].public_id)}
    )
    triage = client.post(
        f"/appeals/{appeal.public_id}/triage/",
        {"urgency": "immediate", "reprisal_risk": "high", "summary": "Beaten"},
    )
    appeal.refresh_from_db()
    if actor in HANDLERS:
        assert assign.status_code == triage.status_code == 302
        assert appeal.assigned_to == users["monitor"]
        assert appeal.urgency == "immediate"
    else:
        assert assign.status_code == _status(actor, "own", HANDLERS)
        assert appeal.assigned_to is None
        assert appeal.urgency == "routine"


def test_duplicates_are_proposed_and_merged(
    client_for: Callable[[str], Any], make_appeal: Callable[..., Appeal]
) -> None:
    first = make_appeal()
    second = make_appeal()
    client = client_for("coordinator")
    body = client.get(f"/appeals/{second.public_id}/").content.decode()
    assert 'data-testid="duplicates"' in body
    assert first.reference in body
    assert 'data-testid="repeat-writer"' in body
    monitor_body = client_for("auditor").get(f"/appeals/{second.public_id}/").content.decode()
    assert 'data-testid="duplicates"' not in monitor_body
    response = client.post(f"/appeals/{second.public_id}/merge/", {"into": str(first.public_id)})
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.state == AppealState.MERGED
    assert second.duplicate_of == first
    assert AppealEvent.objects.filter(appeal=first, kind="merged").exists()


def test_attachment_upload_and_logged_download(
    client_for: Callable[[str], Any], world: dict[str, Any]
) -> None:
    appeal = world["own"]
    client = client_for("coordinator")
    pdf = SimpleUploadedFile("letter.pdf", PDF_BYTES, content_type="application/pdf")
    denied = client_for("auditor").post(f"/appeals/{appeal.public_id}/files/", {"file": pdf})
    assert denied.status_code == 403
    pdf.seek(0)
    response = client.post(f"/appeals/{appeal.public_id}/files/", {"file": pdf})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.ATTACHMENT_UPLOADED).count() == 1
    attachment = AppealAttachment.objects.get()
    download = client.get(f"/appeals/{appeal.public_id}/files/{attachment.public_id}/")
    assert download.status_code == 200
    assert AccessEvent.objects.filter(kind=AccessKind.ATTACHMENT_DOWNLOADED).count() == 1
    denied = client_for("monitor").get(f"/appeals/{appeal.public_id}/files/{attachment.public_id}/")
    assert denied.status_code == 404


def test_register_from_visit_links_one_of_its_interviews(
    client_for: Callable[[str], Any],
    interview: Any,
    make_visit: Callable[..., Any],
    appeal_reference: Any,
) -> None:
    visit = interview.visit
    data = {k: v for k, v in REGISTER.items() if k != "channel"}
    form = client_for("monitor").get(f"/appeals/from-visit/{visit.public_id}/").content.decode()
    assert interview.pseudonym in form
    response = client_for("monitor").post(
        f"/appeals/from-visit/{visit.public_id}/", {**data, "interview": str(interview.public_id)}
    )
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.interview == interview
    assert appeal.visit == visit
    other = make_visit(state="on_site")
    refused = client_for("monitor").post(
        f"/appeals/from-visit/{other.public_id}/", {**data, "interview": str(interview.public_id)}
    )
    assert refused.status_code == 200  # not an interview of that visit: the form says so
    assert Appeal.objects.count() == 1
