"""The liaison's answer form keeps the evidence chosen when it comes back with an error (a
browser never refills a file field): checked, kept encrypted for the user, named by a signed
token, attached when the corrected form is saved (`vigil.core.files.pending`)."""

import datetime
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from vigil.recommendations.models import (
    AuthorityResponse,
    PendingResponseFile,
    Recommendation,
    ResponseAttachment,
)

from .test_responses import form_data, new_url, pdf_upload


@pytest.fixture
def rec(make_recommendation: Any, make_institution: Any) -> Recommendation:
    """Awaiting a response, due in a month."""
    return make_recommendation(
        institution=make_institution(),
        issued_on=timezone.localdate() - datetime.timedelta(days=30),
        deadline=timezone.localdate() + datetime.timedelta(days=30),
    )


def _kept_tokens(body: str) -> list[str]:
    return re.findall(r'name="kept_files" value="([^"]+)"', body)


def test_form_errors_keep_the_files_chosen(client_for: Any, rec: Recommendation) -> None:
    """A browser never refills a file field: a checked file is kept, encrypted, for the
    corrected form; a refused one is named; nothing is attached before the form is saved."""
    client = client_for("liaison")
    exe = SimpleUploadedFile("act.pdf", b"MZ\x90\x00" + b"\x00" * 64)
    response = client.post(
        new_url(rec), form_data(letter_number="", attachments=[pdf_upload(), exe])
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Attached: letter.pdf (kept)" in body
    assert "act.pdf: This file" in body
    assert PendingResponseFile.objects.count() == 1
    assert ResponseAttachment.objects.count() == 0
    tokens = _kept_tokens(body)
    assert len(tokens) == 1

    # Another user cannot use the token; an altered token names nothing.
    other = client_for("coordinator").post(
        new_url(rec), form_data(letter_number="", kept_files=[tokens[0], tokens[0] + "x"])
    )
    assert "Attached: letter.pdf" not in other.content.decode()

    # Corrected and sent with the kept file (and one more): both attached, nothing kept.
    response = client.post(
        new_url(rec), form_data(kept_files=tokens, attachments=[pdf_upload("act-2.pdf")])
    )
    assert response.status_code == 302
    answer = AuthorityResponse.objects.get()
    names = sorted(answer.attachments.values_list("original_name", flat=True))
    assert names == ["act-2.pdf", "letter.pdf"]
    assert PendingResponseFile.objects.count() == 0


def test_an_unticked_kept_file_is_not_attached(client_for: Any, rec: Recommendation) -> None:
    client = client_for("liaison")
    client.post(new_url(rec), form_data(letter_number="", attachments=[pdf_upload()]))
    response = client.post(new_url(rec), form_data())  # the box unticked: no token sent
    assert response.status_code == 302
    assert AuthorityResponse.objects.get().attachments.count() == 0


def test_clean_kept_forms_removes_what_can_no_longer_be_used(
    client_for: Any, users: Any, rec: Recommendation, django_capture_on_commit_callbacks: Any
) -> None:
    """Files kept more than a day ago and form keys older than a device keeps a form are
    removed (`manage.py clean_kept_forms`); newer ones stay; a dry run only counts."""
    from django.core.files.storage import default_storage

    from vigil.core.files.pending import pending_sweep
    from vigil.core.models import FormSubmission
    from vigil.core.submissions import KEPT_ON_DEVICE, submissions_prune

    client = client_for("liaison")
    for _ in range(2):
        client.post(new_url(rec), form_data(letter_number="", attachments=[pdf_upload()]))
    old, new = PendingResponseFile.objects.order_by("pk")
    PendingResponseFile.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )
    import uuid

    for age in (KEPT_ON_DEVICE + datetime.timedelta(days=1), datetime.timedelta(days=1)):
        submission = FormSubmission.objects.create(user=users["monitor"], key=uuid.uuid4())
        FormSubmission.objects.filter(pk=submission.pk).update(created_at=timezone.now() - age)

    assert (pending_sweep(dry_run=True), submissions_prune(dry_run=True)) == (1, 1)
    assert (PendingResponseFile.objects.count(), FormSubmission.objects.count()) == (2, 2)

    with django_capture_on_commit_callbacks(execute=True):  # files go once the rows have
        assert (pending_sweep(), submissions_prune()) == (1, 1)
    assert list(PendingResponseFile.objects.all()) == [new]
    assert not default_storage.exists(old.storage_name)
    assert default_storage.exists(new.storage_name)
    assert FormSubmission.objects.count() == 1
