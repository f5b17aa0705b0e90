"""The authority's responses: submitted once and never edited (a correction is a new
response), moving the recommendation to what is claimed; attachments checked by content,
stored encrypted, downloaded through a permission check that writes an AccessEvent; role
matrix for the form and the download; denied writes change nothing and log nothing."""

import datetime
import io
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from conftest import ALL_ACTORS
from vigil.audit.enums import AccessKind, AuditAction
from vigil.audit.models import AccessEvent, AuditEvent
from vigil.core.tests.pdfs import pdf_bytes
from vigil.recommendations.enums import ClaimedStatus, EventKind, State, Verdict
from vigil.recommendations.models import (
    Assessment,
    AuthorityResponse,
    Recommendation,
    RecommendationEvent,
    ResponseAttachment,
)

ACTORS = [*ALL_ACTORS, "other_liaison"]
PDF = pdf_bytes()
TODAY = timezone.localdate


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def pdf_upload(name: str = "letter.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def form_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "letter_number": "17-5/1234",
        "letter_date": (TODAY() - datetime.timedelta(days=1)).isoformat(),
        "responding_agency": "MVD-KUIS-71",
        "claimed_status": ClaimedStatus.IN_IMPLEMENTATION,
        "measures": "The ventilation of block 2 was repaired in March.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def rec(make_recommendation: Any, make_institution: Any) -> Recommendation:
    """Awaiting a response, issued a month ago, due in a month (Astana, MVD-KUIS-71)."""
    return make_recommendation(
        institution=make_institution(),
        issued_on=TODAY() - datetime.timedelta(days=30),
        deadline=TODAY() + datetime.timedelta(days=30),
    )


def new_url(rec: Recommendation) -> str:
    return f"/recommendations/{rec.public_id}/responses/new/"


def written() -> tuple[int, int, int, int]:
    """Responses, attachments, timeline events and audit rows other than sign-ins."""
    return (
        AuthorityResponse.objects.count(),
        ResponseAttachment.objects.count(),
        RecommendationEvent.objects.count(),
        AuditEvent.objects.exclude(action=AuditAction.USER_LOGGED_IN).count(),
    )


# ---------------------------------------------------------------- the form: role matrix

# The addressee's liaisons answer; the NPM (coordinators, administrators, the regional
# representative of Astana) may record an answer received by letter; monitors and auditors
# read but do not answer; another agency's liaison does not even see it.
FORM_STATUS = {
    "anonymous": 302,
    "admin": 200,
    "coordinator": 200,
    "regional": 200,
    "monitor": 403,
    "liaison": 200,
    "auditor": 403,
    "other_liaison": 404,
}


@pytest.mark.parametrize("actor", ACTORS)
def test_response_form_role_matrix(client_for: Any, rec: Recommendation, actor: str) -> None:
    client = client_for(actor)
    assert client.get(new_url(rec)).status_code == FORM_STATUS[actor]
    before = written()
    response = client.post(new_url(rec), form_data(attachments=[pdf_upload()]))
    rec.refresh_from_db()
    if FORM_STATUS[actor] == 200:
        assert response.status_code == 302, response.content.decode()[:2000]
        answer = AuthorityResponse.objects.get()
        assert answer.submitted_by.role == actor
        assert answer.attachments.count() == 1
        assert rec.state == State.IN_IMPLEMENTATION
        assert AuditEvent.objects.filter(
            action=AuditAction.RECOMMENDATION_RESPONDED, target_id=str(answer.public_id)
        ).exists()
    else:
        assert response.status_code == FORM_STATUS[actor]
        assert written() == before
        assert rec.state == State.AWAITING_RESPONSE


def test_liaison_redirected_to_portal_and_sees_response(
    client_for: Any, rec: Recommendation
) -> None:
    client = client_for("liaison")
    response = client.post(new_url(rec), form_data(attachments=[pdf_upload()]))
    assert response["Location"] == f"/recommendations/portal/{rec.public_id}/"
    body = client.get(response["Location"]).content.decode()
    assert "17-5/1234" in body
    assert "letter.pdf" in body
    assert "The ventilation of block 2 was repaired in March." in body


def test_form_errors_keep_input_and_write_nothing(client_for: Any, rec: Recommendation) -> None:
    before = written()
    response = client_for("liaison").post(
        new_url(rec),
        form_data(
            letter_date=(TODAY() + datetime.timedelta(days=3)).isoformat(),
            measures="Kept text",
        ),
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "The letter&#x27;s date cannot be in the future." in body
    assert "Kept text" in body
    assert written() == before


# ---------------------------------------------------------------- the service


def submit(client_for: Any, rec: Recommendation, actor: str = "liaison", **overrides: Any) -> Any:
    return client_for(actor).post(new_url(rec), form_data(**overrides))


@pytest.mark.parametrize(
    ("start", "claim", "end"),
    [
        (State.AWAITING_RESPONSE, ClaimedStatus.ACCEPTED, State.ACCEPTED),
        (State.AWAITING_RESPONSE, ClaimedStatus.NOT_ACCEPTED, State.NOT_ACCEPTED),
        (State.AWAITING_RESPONSE, ClaimedStatus.IMPLEMENTED, State.IMPLEMENTED_CLAIMED),
        (State.ISSUED, ClaimedStatus.IN_IMPLEMENTATION, State.IN_IMPLEMENTATION),
        (State.NO_RESPONSE, ClaimedStatus.IN_IMPLEMENTATION, State.IN_IMPLEMENTATION),
        (State.ACCEPTED, ClaimedStatus.PARTIALLY_IMPLEMENTED, State.PARTIALLY_IMPLEMENTED),
        (State.IN_IMPLEMENTATION, ClaimedStatus.IMPLEMENTED, State.IMPLEMENTED_CLAIMED),
        (State.REOPENED, ClaimedStatus.IMPLEMENTED, State.IMPLEMENTED_CLAIMED),
        (State.IN_IMPLEMENTATION, ClaimedStatus.IN_IMPLEMENTATION, State.IN_IMPLEMENTATION),
    ],
    ids=lambda v: str(v),
)
def test_response_moves_to_claim(
    client_for: Any, make_recommendation: Any, start: str, claim: str, end: str
) -> None:
    rec = make_recommendation(
        state=start,
        issued_on=TODAY() - datetime.timedelta(days=10),
        deadline=TODAY() + datetime.timedelta(days=20),
    )
    assert submit(client_for, rec, claimed_status=claim).status_code == 302
    rec.refresh_from_db()
    assert rec.state == end
    assert rec.claimed_status == claim
    event = RecommendationEvent.objects.get(recommendation=rec, kind=EventKind.RESPONSE)
    assert event.from_state == start
    assert event.to_state == end
    assert event.data["claimed_status"] == claim


def test_new_claim_clears_the_previous_verdict(
    client_for: Any, rec: Recommendation, users: dict[str, Any]
) -> None:
    Recommendation.objects.filter(pk=rec.pk).update(assessed_verdict=Verdict.DISPUTE)
    submit(client_for, rec, claimed_status=ClaimedStatus.IMPLEMENTED)
    rec.refresh_from_db()
    assert rec.assessed_verdict == ""
    assert rec.claimed_status == ClaimedStatus.IMPLEMENTED


@pytest.mark.parametrize(
    ("deadline_offset", "on_time"),
    [(30, True), (0, True), (-40, False)],
    ids=["before", "on-the-day", "late"],
)
def test_on_time(
    client_for: Any, make_recommendation: Any, deadline_offset: int, on_time: bool
) -> None:
    from vigil.core.calendar import WorkingCalendar

    deadline = TODAY() + datetime.timedelta(days=deadline_offset)
    rec = make_recommendation(
        issued_on=TODAY() - datetime.timedelta(days=60),
        deadline=deadline,
        state=State.AWAITING_RESPONSE if on_time else State.NO_RESPONSE,
    )
    submit(client_for, rec)
    answer = AuthorityResponse.objects.get()
    expected = TODAY() <= WorkingCalendar().next_working_day(deadline, inclusive=True)
    assert answer.on_time is expected is on_time


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"responding_agency": "MVD"}, "responding_agency", "Select a valid choice."),
        ({"responding_agency": "MOH"}, "responding_agency", "Select a valid choice."),
        ({"letter_number": " "}, "letter_number", "This field is required."),
        ({"measures": ""}, "measures", "This field is required."),
        ({"claimed_status": "verified"}, "claimed_status", "Select a valid choice."),
        ({"letter_date": "2020-01-01"}, "letter_date", "The letter cannot be older than"),
    ],
    ids=["parent-agency", "other-agency", "no-number", "no-measures", "bad-claim", "old-letter"],
)
def test_invalid_responses_write_nothing(
    client_for: Any, rec: Recommendation, overrides: dict[str, Any], field: str, message: str
) -> None:
    before = written()
    response = submit(client_for, rec, **overrides)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert written() == before


def test_npm_may_answer_for_a_body_above_the_addressee(
    client_for: Any, rec: Recommendation
) -> None:
    assert submit(client_for, rec, "coordinator", responding_agency="MVD").status_code == 302
    assert AuthorityResponse.objects.get().responding_agency.code == "MVD"


@pytest.mark.parametrize(
    "state", [State.ESCALATED, State.OBSOLETE, State.IMPLEMENTED_VERIFIED, State.NOT_ACCEPTED]
)
def test_closed_states_take_no_response(
    client_for: Any, make_recommendation: Any, state: str
) -> None:
    rec = make_recommendation(state=state)
    client = client_for("liaison")
    assert client.get(new_url(rec)).status_code == 403
    before = written()
    assert client.post(new_url(rec), form_data()).status_code == 403
    assert written() == before


def test_changed_state_is_refused(client_for: Any, rec: Recommendation) -> None:
    before = written()
    response = submit(client_for, rec, expected_state=State.ISSUED)
    assert response.status_code == 400
    assert "The status changed meanwhile" in response.content.decode()
    assert written() == before


# ---------------------------------------------------------------- attachments


def test_attachments_checked_encrypted_and_downloaded_with_log(
    client_for: Any, rec: Recommendation
) -> None:
    submit(
        client_for,
        rec,
        attachments=[
            pdf_upload("act of repair.pdf"),
            SimpleUploadedFile("photo.png", png_bytes(), content_type="image/png"),
        ],
    )
    files = list(ResponseAttachment.objects.order_by("original_name"))
    assert [f.original_name for f in files] == ["act of repair.pdf", "photo.png"]
    pdf = files[0]
    with default_storage.open(pdf.storage_name, "rb") as handle:
        stored = handle.read()
    assert PDF not in stored  # encrypted at rest
    assert pdf.size == len(PDF)
    url = f"/recommendations/response-attachments/{pdf.public_id}/download/"
    response = client_for("liaison").get(url)
    assert response.status_code == 200
    assert response.content == PDF
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    event = AccessEvent.objects.get(kind=AccessKind.ATTACHMENT_DOWNLOADED)
    assert event.target_id == str(pdf.public_id)
    assert event.actor.role == "liaison"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("letter.pdf", b"MZ\x90\x00" + b"\x00" * 64, "This file is not a PDF document"),
        ("notes.txt", b"just some text", "which is not accepted"),
        ("empty.pdf", b"", "The submitted file is empty."),
    ],
    ids=["executable", "text", "empty"],
)
def test_bad_attachment_refused_and_nothing_written(
    client_for: Any, rec: Recommendation, name: str, content: bytes, message: str
) -> None:
    before = written()
    response = submit(client_for, rec, attachments=[SimpleUploadedFile(name, content)])
    assert response.status_code == 400
    assert message in response.content.decode()
    assert written() == before
    rec.refresh_from_db()
    assert rec.state == State.AWAITING_RESPONSE


DOWNLOAD_STATUS = {
    "anonymous": 302,
    "admin": 200,
    "coordinator": 200,
    "regional": 200,
    "monitor": 200,
    "liaison": 200,
    "auditor": 200,
    "other_liaison": 404,
}


@pytest.mark.parametrize("actor", ACTORS)
def test_download_role_matrix(client_for: Any, rec: Recommendation, actor: str) -> None:
    submit(client_for, rec, attachments=[pdf_upload()])
    attachment = ResponseAttachment.objects.get()
    before = AccessEvent.objects.count()
    response = client_for(actor).get(
        f"/recommendations/response-attachments/{attachment.public_id}/download/"
    )
    assert response.status_code == DOWNLOAD_STATUS[actor]
    assert AccessEvent.objects.count() == before + (1 if response.status_code == 200 else 0)


# ---------------------------------------------------------------- immutability, corrections


def test_no_edit_or_delete_path(client_for: Any, rec: Recommendation) -> None:
    submit(client_for, rec)
    answer = AuthorityResponse.objects.get()
    client = client_for("coordinator")
    for suffix in ("edit/", "delete/", "update/"):
        url = f"/recommendations/{rec.public_id}/responses/{answer.public_id}/{suffix}"
        assert client.post(url, form_data(measures="Changed")).status_code == 404
    answer.refresh_from_db()
    assert answer.measures == "The ventilation of block 2 was repaired in March."


def test_correction_is_a_new_response(client_for: Any, rec: Recommendation) -> None:
    submit(client_for, rec, claimed_status=ClaimedStatus.PARTIALLY_IMPLEMENTED)
    first = AuthorityResponse.objects.get()
    client = client_for("liaison")
    form = client.get(f"{new_url(rec)}?corrects={first.public_id}")
    assert form.status_code == 200
    assert "This correction will be recorded as a new response" in form.content.decode()
    response = client.post(
        f"{new_url(rec)}?corrects={first.public_id}",
        form_data(claimed_status=ClaimedStatus.IN_IMPLEMENTATION, measures="Only half done."),
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.measures == "The ventilation of block 2 was repaired in March."
    assert first.claimed_status == ClaimedStatus.PARTIALLY_IMPLEMENTED
    second = AuthorityResponse.objects.exclude(pk=first.pk).get()
    assert second.corrects == first
    rec.refresh_from_db()
    assert rec.claimed_status == ClaimedStatus.IN_IMPLEMENTATION
    assert rec.state == State.IN_IMPLEMENTATION
    # The same response cannot be corrected twice: correct the latest one.
    again = client.post(f"{new_url(rec)}?corrects={first.public_id}", form_data())
    assert again.status_code == 400
    assert "already been corrected" in again.content.decode()
    assert AuthorityResponse.objects.count() == 2


def test_correction_of_another_recommendations_response_is_404(
    client_for: Any, rec: Recommendation, make_recommendation: Any
) -> None:
    other = make_recommendation(
        issued_on=TODAY() - datetime.timedelta(days=5),
        deadline=TODAY() + datetime.timedelta(days=20),
    )
    submit(client_for, other)
    foreign = AuthorityResponse.objects.get()
    assert (
        client_for("liaison").get(f"{new_url(rec)}?corrects={foreign.public_id}").status_code == 404
    )


def test_assessment_shown_to_liaison_without_assessor(
    client_for: Any, rec: Recommendation, users: dict[str, Any]
) -> None:
    submit(client_for, rec, claimed_status=ClaimedStatus.IMPLEMENTED)
    answer = AuthorityResponse.objects.get()
    Assessment.objects.create(
        recommendation=rec,
        response=answer,
        verdict=Verdict.DISPUTE,
        reasons="Cells 4 and 5 still have no ventilation.",
        assessed_by=users["monitor"],
    )
    body = client_for("liaison").get(f"/recommendations/portal/{rec.public_id}/").content.decode()
    assert "Claim disputed" in body
    assert "Cells 4 and 5 still have no ventilation." in body
    assert users["monitor"].full_name not in body


def test_system_created_recommendation_can_be_answered(
    client_for: Any, make_recommendation: Any
) -> None:
    """Imported or demo recommendations have no creator (the system); they still move."""
    rec = make_recommendation(
        created_by=None,
        issued_on=TODAY() - datetime.timedelta(days=10),
        deadline=TODAY() + datetime.timedelta(days=10),
    )
    assert submit(client_for, rec).status_code == 302
    rec.refresh_from_db()
    assert rec.state == State.IN_IMPLEMENTATION


def test_recommendation_page_names_no_one_of_the_npm_to_a_liaison(
    client_for: Any, rec: Recommendation, users: dict[str, Any]
) -> None:
    """The policy's hidden fields (`hidden_fields`): who assessed a claim and who at the NPM
    moved the recommendation are left out of the NPM's page too, when a liaison opens it."""
    submit(client_for, rec, claimed_status=ClaimedStatus.IMPLEMENTED)
    Assessment.objects.create(
        recommendation=rec,
        response=AuthorityResponse.objects.get(),
        verdict=Verdict.DISPUTE,
        reasons="Cells 4 and 5 still have no ventilation.",
        assessed_by=users["monitor"],
    )
    RecommendationEvent.objects.create(
        recommendation=rec,
        kind=EventKind.STATE_CHANGED,
        from_state=rec.state,
        to_state=rec.state,
        actor=users["coordinator"],
    )
    page = f"/recommendations/{rec.public_id}/"
    liaison = client_for("liaison").get(page).content.decode()
    assert "Cells 4 and 5 still have no ventilation." in liaison
    assert users["monitor"].full_name not in liaison
    assert users["coordinator"].full_name not in liaison
    assert '<span class="small">the NPM</span>' in liaison
    coordinator = client_for("coordinator").get(page).content.decode()
    assert users["monitor"].full_name in coordinator
    assert users["coordinator"].full_name in coordinator


def test_a_letter_recorded_by_the_npm_names_no_one_of_the_npm_to_a_liaison(
    client_for: Any, rec: Recommendation, users: dict[str, Any]
) -> None:
    """`submitted_by` is a hidden field for liaisons (`hidden_fields`): a response the NPM
    recorded from a paper letter says "by the NPM"; a fellow liaison's own answer names them."""
    submit(client_for, rec, claimed_status=ClaimedStatus.IN_IMPLEMENTATION)
    response = AuthorityResponse.objects.get()
    page = f"/recommendations/{rec.public_id}/"
    liaison = client_for("liaison").get(page).content.decode()
    assert users["liaison"].full_name in liaison  # the authority's own people are named
    AuthorityResponse.objects.filter(pk=response.pk).update(submitted_by=users["coordinator"])
    liaison = client_for("liaison").get(page).content.decode()
    assert users["coordinator"].full_name not in liaison
    assert "by the NPM" in liaison
    coordinator = client_for("coordinator").get(page).content.decode()
    assert users["coordinator"].full_name in coordinator
