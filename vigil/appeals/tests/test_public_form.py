"""The public appeal form: one question at a time, a plain POST per step (no JavaScript),
nothing stored before the final send, the reference and the secret shown once, rate-limited
per address, in kk/ru/en, for anonymous visitors and signed-in users alike."""

import io
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client, override_settings
from PIL import Image

from conftest import ALL_ACTORS
from vigil.appeals.enums import AppealState, Channel
from vigil.appeals.models import Appeal, AppealAttachment, AppealIdentity
from vigil.appeals.services.appeals import appellant_reveal, status_secret_matches
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

URL = "/appeal/"
CONTENT = "Тергеуші мені ИВС-те ұрды; дәрігер шақырылмады. Следователь бил меня в ИВС."
PLACE = "ИВС № 1, Астана"
NAME = "Гүлнар Әбенқызы Тоқтарова"
CONTACT = "+7 701 555 12 34"


@pytest.fixture(autouse=True)
def _reference(ref: Any, appeal_reference: Any) -> None:
    """Regions and the time limits, for every test."""


def _state(response: Any) -> str:
    match = re.search(r'name="state" value="([^"]+)"', response.content.decode())
    assert match, response.content.decode()[:2000]
    return match.group(1)


def _step(response: Any) -> str:
    match = re.search(r'name="step" value="([^"]+)"', response.content.decode())
    assert match
    return match.group(1)


def _post(client: Client, previous: Any, step: str, action: str = "next", **fields: Any) -> Any:
    data = {"state": _state(previous), "step": step, "action": action, **fields}
    return client.post(URL, data)


def fill(
    client: Client,
    *,
    anonymous: bool = False,
    consent: tuple[str, ...] = ("allegation",),
    region: str = "KZ-71",
) -> Any:
    """Every step with valid answers, up to the review page (nothing sent)."""
    page = client.get(URL)
    page = _post(client, page, "what", content=CONTENT)
    page = _post(client, page, "where", institution_text=PLACE, region=region)
    if anonymous:
        page = _post(client, page, "who", identity="anonymous")
    else:
        page = _post(client, page, "who", identity="named", name=NAME, contact=CONTACT)
    page = _post(client, page, "consent", consent_scopes=list(consent), consent_contact="on")
    assert _step(page) == "review"
    return page


def send(client: Client, review: Any, addr: str = "127.0.0.1") -> Any:
    return client.post(
        URL, {"state": _state(review), "step": "review", "action": "send"}, REMOTE_ADDR=addr
    )


@pytest.mark.parametrize("actor", [*ALL_ACTORS])
def test_form_opens_for_everyone(client_for: Any, appeal_reference: Any, actor: str) -> None:
    response = client_for(actor).get(URL)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Step 1 of 5" in text
    assert "never send it to the institution" in text
    assert "within 15 working days" in text  # read from the TimeLimit data
    assert 'name="content"' in text
    assert 'data-testid="lang-kk"' in text  # the language switcher, without login
    assert "no-store" in response["Cache-Control"]


def test_every_step_then_send(client: Client, ref: Any, appeal_reference: Any) -> None:
    review = fill(client)
    text = review.content.decode()
    assert CONTENT.split(";")[0] in text
    assert PLACE in text
    assert NAME in text
    assert Appeal.objects.count() == 0  # nothing stored before the final send

    sent = send(client, review)

    assert sent.status_code == 200
    appeal = Appeal.objects.get()
    assert appeal.channel == Channel.WEB_FORM
    assert appeal.state == AppealState.RECEIVED
    assert appeal.institution_text == PLACE
    assert appeal.region == ref["astana"]
    assert appeal.consent_scopes == ["allegation"]
    assert appeal.consent_contact is True
    assert appeal.anonymous is False
    text = sent.content.decode()
    assert f'data-testid="reference">{appeal.reference}<' in text
    secret = re.search(r'data-testid="secret">([A-Z0-9-]+)<', text)
    assert secret
    assert status_secret_matches(appeal, secret.group(1))
    assert AuditEvent.objects.filter(action=AuditAction.APPEAL_SUBMITTED).count() == 1


def test_sealed_identity_and_no_plaintext_in_the_database(
    client: Client, users: Any, appeal_reference: Any
) -> None:
    send(client, fill(client))
    appeal = Appeal.objects.get()
    assert AppealIdentity.objects.filter(appeal=appeal).exists()
    revealed = appellant_reveal(actor=users["coordinator"], appeal=appeal, reason="Test: reply")
    assert (revealed.name, revealed.contact) == (NAME, CONTACT)
    # Every table, as raw bytes and text: no name, contact or content in clear.
    needles = [NAME, CONTACT, "Тергеуші мені", "Следователь бил"]
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 (table names from the db)
            for row in cursor.fetchall():
                blob = " ".join(
                    bytes(v).decode("utf-8", "replace")
                    if isinstance(v, bytes | memoryview)
                    else str(v)
                    for v in row
                )
                for needle in needles:
                    assert needle not in blob, (table, needle)


def test_anonymous_appeal_keeps_no_identity(client: Client, appeal_reference: Any) -> None:
    page = client.get(URL)
    page = _post(client, page, "what", content=CONTENT)
    page = _post(client, page, "where", institution_text=PLACE)
    # Typed a name, then chose to stay anonymous: the name is not kept.
    page = _post(client, page, "who", identity="anonymous", name=NAME, contact=CONTACT)
    page = _post(client, page, "consent")
    assert "Anonymous: no name, no contact" in page.content.decode()
    send(client, page)
    appeal = Appeal.objects.get()
    assert appeal.anonymous is True
    assert appeal.consent_contact is False
    assert appeal.region is None
    assert not AppealIdentity.objects.filter(appeal=appeal).exists()


def test_errors_name_the_field_and_keep_the_answers(client: Client, appeal_reference: Any) -> None:
    page = client.get(URL)
    page = _post(client, page, "what", content="   ")
    text = page.content.decode()
    assert _step(page) == "what"
    assert 'href="#id_content"' in text  # the summary links to the field
    assert 'aria-describedby="id_content_error id_content_helptext"' in text
    assert 'id="id_content_error"' in text
    assert "Write what happened." in text
    page = _post(client, page, "what", content=CONTENT)
    page = _post(client, page, "where", institution_text=PLACE)
    page = _post(client, page, "who", identity="named", name="", contact="")
    assert _step(page) == "who"
    assert "or choose to stay anonymous" in page.content.decode()
    assert 'id="id_identity_0"' in page.content.decode()
    # Back from an invalid step keeps what was typed, and the earlier answers.
    page = _post(client, page, "who", action="back", identity="named", name="Ер", contact="")
    assert _step(page) == "where"
    assert f'value="{PLACE}"' in page.content.decode()
    page = _post(client, page, "where", action="back", institution_text=PLACE)
    assert _step(page) == "what"
    assert "Следователь бил" in page.content.decode()
    page = _post(client, page, "what", content=CONTENT)
    page = _post(client, page, "where", institution_text=PLACE)
    assert 'value="Ер"' in page.content.decode()
    assert Appeal.objects.count() == 0


def test_edit_from_the_review_returns_to_the_review(client: Client, appeal_reference: Any) -> None:
    review = fill(client)
    page = client.post(URL, {"state": _state(review), "step": "review", "action": "edit:where"})
    assert _step(page) == "where"
    assert f'value="{PLACE}"' in page.content.decode()
    page = _post(client, page, "where", institution_text="СИЗО № 2")
    assert _step(page) == "review"
    assert "СИЗО № 2" in page.content.decode()
    send(client, page)
    assert Appeal.objects.get().institution_text == "СИЗО № 2"


def test_tampered_state_starts_again_and_stores_nothing(
    client: Client, appeal_reference: Any
) -> None:
    review = fill(client)
    forged = _state(review)[:-3] + "abc"
    page = client.post(URL, {"state": forged, "step": "review", "action": "send"})
    assert page.status_code == 200
    assert _step(page) == "what"
    assert "could not be read back" in page.content.decode()
    assert Appeal.objects.count() == 0


def test_the_same_form_sent_twice_makes_one_appeal(client: Client, appeal_reference: Any) -> None:
    review = fill(client)
    send(client, review)
    again = send(client, review)
    assert again.status_code == 200
    assert "already sent" in again.content.decode()
    assert 'data-testid="secret"' not in again.content.decode()
    assert Appeal.objects.count() == 1


def test_eleventh_send_a_minute_is_refused_with_429(client: Client, appeal_reference: Any) -> None:
    for _n in range(10):
        assert send(client, fill(client), addr="10.1.1.1").status_code == 200
    review = fill(client)
    refused = send(client, review, addr="10.1.1.1")
    assert refused.status_code == 429
    text = refused.content.decode()
    assert "Too many appeals were sent from this connection in a minute" in text
    assert "what you wrote is kept" in text
    assert _step(refused) == "review"
    assert NAME in text  # the answers are still on the page
    assert int(refused["Retry-After"]) >= 1
    assert Appeal.objects.count() == 10
    # Another address is not held back.
    assert send(client, review, addr="10.1.1.2").status_code == 200
    assert Appeal.objects.count() == 11


@override_settings(VIGIL_PUBLIC_APPEAL_RATE="2/min")
def test_the_rate_comes_from_settings(client: Client, appeal_reference: Any) -> None:
    assert send(client, fill(client)).status_code == 200
    assert send(client, fill(client)).status_code == 200
    assert send(client, fill(client)).status_code == 429
    assert Appeal.objects.count() == 2


def test_an_invalid_send_stores_nothing(client: Client, appeal_reference: Any) -> None:
    from vigil.appeals.forms.public import state_dump, state_new

    state = state_new()
    state["answers"] = {"what": {"content": ""}, "where": {"institution_text": PLACE}}
    page = client.post(URL, {"state": state_dump(state), "step": "review", "action": "send"})
    assert page.status_code == 200
    assert _step(page) == "what"
    assert "Write what happened." in page.content.decode()
    assert Appeal.objects.count() == 0
    assert not AuditEvent.objects.filter(action=AuditAction.APPEAL_SUBMITTED).exists()


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", "Send an appeal"),
        ("ru", 'lang="ru"'),
        ("kk", 'lang="kk"'),
    ],
)
@pytest.mark.parametrize("debug", [False, True])
def test_each_language_renders(
    client: Client, appeal_reference: Any, language: str, words: str, debug: bool
) -> None:
    client.cookies["django_language"] = language
    with override_settings(DEBUG=debug):
        page = client.get(URL)
        assert page.status_code == 200
        assert words in page.content.decode()
        review = fill(client)
        assert review.status_code == 200
        assert send(client, review).status_code == 200
    assert Appeal.objects.count() == 1


def test_csrf_stays_on(appeal_reference: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    page = client.get(URL)
    assert 'name="csrfmiddlewaretoken"' in page.content.decode()
    refused = client.post(URL, {"state": _state(page), "step": "what", "content": CONTENT})
    assert refused.status_code == 403


def test_changing_the_language_keeps_the_answers(client: Client) -> None:
    page = client.get(URL)
    page = _post(client, page, "what", content=CONTENT)
    page = _post(client, page, "where", action="lang:kk", institution_text=PLACE)
    assert page.status_code == 200
    assert _step(page) == "where"
    assert '<html lang="kk">' in page.content.decode()
    assert f'value="{PLACE}"' in page.content.decode()
    assert page.cookies["django_language"].value == "kk"
    page = _post(client, page, "where", institution_text=PLACE)
    assert _step(page) == "who"
    assert '<html lang="kk">' in page.content.decode()
    page = _post(client, page, "who", action="lang:xx", identity="anonymous")
    assert _step(page) == "who"  # an unknown language: the same step, nothing lost
    assert 'value="anonymous" id="id_identity_1" checked' in page.content.decode()
    review = fill(client)
    page = client.post(URL, {"state": _state(review), "step": "review", "action": "lang:ru"})
    assert _step(page) == "review"
    assert '<html lang="ru">' in page.content.decode()
    assert NAME in page.content.decode()
    assert Appeal.objects.count() == 0


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def _send_with(client: Client, review: Any, *files: SimpleUploadedFile) -> Any:
    return client.post(
        URL, {"state": _state(review), "step": "review", "action": "send", "files": list(files)}
    )


def test_files_sent_with_the_appeal_are_checked_and_stored_encrypted(client: Client) -> None:
    review = fill(client)
    assert 'enctype="multipart/form-data"' in review.content.decode()
    photo = SimpleUploadedFile(f"{NAME} injuries.png", _png(), content_type="image/png")
    sent = _send_with(client, review, photo)
    assert sent.status_code == 200
    attachment = AppealAttachment.objects.get(appeal=Appeal.objects.get())
    assert attachment.original_name == "appeal-file-1.png"  # not the person's file name
    assert attachment.content_type == "image/png"
    assert attachment.uploaded_by is None


def test_a_refused_file_stores_nothing_and_keeps_the_answers(client: Client) -> None:
    review = fill(client)
    bad = SimpleUploadedFile("run.exe", b"MZ\x90\x00" + b"\x00" * 64)
    refused = _send_with(client, review, bad)
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "File 1:" in text
    assert 'href="#id_files"' in text
    assert _step(refused) == "review"
    assert NAME in text
    assert Appeal.objects.count() == 0
    assert AppealAttachment.objects.count() == 0
    too_many = [SimpleUploadedFile(f"{n}.png", _png()) for n in range(4)]
    assert _send_with(client, review, *too_many).status_code == 400
    assert Appeal.objects.count() == 0
