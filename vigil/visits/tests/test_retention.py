"""Retention on visits: interviews' content and identities and visit files disposed of when
their period ends (not before, not under a legal hold, once, a dry run changing nothing);
the legal hold page and the chain of custody of a file, with their role matrices."""

import datetime
import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from conftest import ALL_ACTORS
from vigil.audit.enums import AccessKind, AccessOutcome, AuditAction
from vigil.audit.models import AccessEvent, AuditEvent
from vigil.core.models import Disposal, LegalHold
from vigil.core.retention import dispose_expired
from vigil.visits.models import Attachment, AttachmentCustody, Interview, SealedIdentity
from vigil.visits.services.attachments import attachment_upload
from vigil.visits.services.interviews import interview_read_content
from vigil.visits.services.retention import visit_hold_change

from .test_attachments import PDF

ACTORS = [*ALL_ACTORS, "monitor_outsider"]
TODAY = datetime.date(2040, 6, 1)


def photo(taken: str = "2026:12:02 10:15:00") -> bytes:
    image = Image.new("RGB", (16, 12), (200, 30, 30))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneCam"
    exif[ExifTags.IFD.Exif] = {ExifTags.Base.DateTimeOriginal: taken}
    exif[ExifTags.Base.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (43.0, 15.0, 0.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (76.0, 54.0, 0.0),
    }
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


@pytest.fixture
def ended(users, interview):
    """The interview's visit, ended in December 2026, with a file."""
    visit = interview.visit
    visit.ended_at = datetime.datetime(2026, 12, 3, 12, 0, tzinfo=datetime.UTC)
    visit.save(update_fields=["ended_at"])
    Interview.objects.filter(pk=interview.pk).update(conducted_on=datetime.date(2026, 12, 2))
    attachment_upload(
        actor=users["monitor"],
        visit=visit,
        file=SimpleUploadedFile("cell.pdf", PDF),
        name="cell.pdf",
    )
    return visit


def counts(result):
    return {c.kind: (c.due, c.held) for c in result if c.kind in ("interview", "visit_file")}


@pytest.mark.django_db
def test_not_yet_expired_is_kept(ended, interview):
    assert counts(dispose_expired(today=datetime.date(2036, 12, 1), dry_run=False)) == {
        "interview": (0, 0),
        "visit_file": (0, 0),
    }
    assert SealedIdentity.objects.filter(interview=interview).exists()
    assert Attachment.objects.filter(visit=ended).count() == 1
    assert not Disposal.objects.exists()


@pytest.mark.django_db
def test_dry_run_changes_nothing(ended, interview):
    before = (bytes(Interview.objects.get().content_ciphertext), AuditEvent.objects.count())
    result = dispose_expired(today=TODAY, dry_run=True)
    assert counts(result) == {"interview": (1, 0), "visit_file": (1, 0)}
    assert (bytes(Interview.objects.get().content_ciphertext), AuditEvent.objects.count()) == before
    assert SealedIdentity.objects.exists()
    assert Attachment.objects.count() == 1
    assert not Disposal.objects.exists()


@pytest.mark.django_db
def test_expired_are_disposed_once_with_a_tombstone_and_an_audit_row(ended, interview, users):
    file = Attachment.objects.get()
    assert counts(dispose_expired(today=TODAY, dry_run=False)) == {
        "interview": (1, 0),
        "visit_file": (1, 0),
    }
    kept = Interview.objects.get(pk=interview.pk)  # the row stays for statistics
    assert kept.alleges_ill_treatment
    assert interview_read_content(actor=users["monitor"], interview=kept) == ""
    assert not SealedIdentity.objects.exists()
    assert not Attachment.objects.exists()
    assert not AttachmentCustody.objects.exists()
    tombstones = {d.kind: d for d in Disposal.objects.all()}
    assert tombstones["interview"].target_id == interview.public_id
    assert tombstones["interview"].expired_on == datetime.date(2036, 12, 2)
    assert "10 years" in tombstones["interview"].rule
    assert tombstones["visit_file"].facts["sha256"] == file.sha256
    assert tombstones["visit_file"].owner_id == ended.public_id
    assert AuditEvent.objects.filter(action=AuditAction.RECORD_DISPOSED).count() == 2
    # Again: nothing left to do.
    assert counts(dispose_expired(today=TODAY, dry_run=False)) == {
        "interview": (0, 0),
        "visit_file": (0, 0),
    }
    assert Disposal.objects.count() == 2


@pytest.mark.django_db
def test_held_visit_keeps_its_interviews_and_files_until_lifted(ended, interview, users):
    visit_hold_change(actor=users["coordinator"], visit=ended, place=True, reason="Case 146-1")
    assert counts(dispose_expired(today=TODAY, dry_run=False)) == {
        "interview": (0, 1),
        "visit_file": (0, 1),
    }
    assert SealedIdentity.objects.exists()
    assert Attachment.objects.exists()
    assert not Disposal.objects.exists()
    visit_hold_change(actor=users["coordinator"], visit=ended, place=False, reason="Case closed")
    assert counts(dispose_expired(today=TODAY, dry_run=False)) == {
        "interview": (1, 0),
        "visit_file": (1, 0),
    }
    actions = list(
        AuditEvent.objects.filter(action__startswith="legal_hold")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [AuditAction.LEGAL_HOLD_PLACED, AuditAction.LEGAL_HOLD_LIFTED]


# ------------------------------------------------------------------------------ pages


@pytest.mark.parametrize("actor", ACTORS)
def test_visit_hold_page_role_matrix(client_for, visit, actor):
    client = client_for(actor)
    url = f"/visits/{visit.public_id}/hold/"
    response = client.get(url)
    posted = client.post(url, {"action": "place", "reason": "Prosecutor's request"})
    if actor == "anonymous":
        assert (response.status_code, posted.status_code) == (302, 302)
    elif actor == "coordinator":
        assert response.status_code == 200
        assert posted.status_code == 302
        hold = LegalHold.objects.active().get()
        assert hold.reason == "Prosecutor's request"
        assert client.get(f"/visits/{visit.public_id}/").content.decode().count(url) == 1
        lifted = client.post(url, {"action": "lift", "lift_reason": "Case closed"})
        assert lifted.status_code == 302
        assert not LegalHold.objects.active().exists()
        return
    elif actor != "monitor_outsider":  # may see the visit, may not hold it
        assert (response.status_code, posted.status_code) == (403, 403)
    else:
        assert (response.status_code, posted.status_code) == (404, 404)
    assert not LegalHold.objects.exists()


@pytest.mark.django_db
def test_hold_needs_a_reason(client_for, visit):
    response = client_for("coordinator").post(
        f"/visits/{visit.public_id}/hold/", {"action": "place", "reason": " "}
    )
    assert response.status_code == 400
    assert "Reason for the legal hold" in response.content.decode()
    assert not LegalHold.objects.exists()


@pytest.fixture
def evidence(users, visit):
    return attachment_upload(
        actor=users["monitor"],
        visit=visit,
        file=SimpleUploadedFile("cell.jpg", photo()),
        name="cell.jpg",
    )


@pytest.mark.parametrize("actor", ACTORS)
def test_custody_reveal_role_matrix(client_for, evidence, actor):
    client = client_for(actor)
    url = f"/visits/attachments/{evidence.public_id}/"
    granted = AccessEvent.objects.filter(outcome=AccessOutcome.GRANTED)
    before = granted.count()
    page = client.get(url)
    revealed = client.post(url, {"reason": "UN SPT request"})
    if actor == "anonymous":
        assert (page.status_code, revealed.status_code) == (302, 302)
    elif actor == "coordinator":
        assert page.status_code == 200
        assert "Reveal custody record (reason required)" in page.content.decode()
        assert revealed.status_code == 200
        text = revealed.content.decode()
        assert hashlib.sha256(photo()).hexdigest() in text
        assert "2026-12-02 10:15:00" in text
        assert "43.25" in text
        assert "76.9" in text
        event = AccessEvent.objects.get(kind=AccessKind.CUSTODY_READ)
        assert (event.reason, event.target_id) == ("UN SPT request", str(evidence.public_id))
        return
    elif actor in ("regional", "monitor", "auditor"):  # see the file, not its custody
        assert page.status_code == 200
        assert "Reveal custody record" not in page.content.decode()
        assert revealed.status_code == 403
        denied = AccessEvent.objects.get(kind=AccessKind.CUSTODY_READ)
        assert denied.outcome == AccessOutcome.DENIED
    else:
        assert (page.status_code, revealed.status_code) == (404, 404)
    assert granted.count() == before


@pytest.mark.django_db
def test_custody_verifies_a_candidate_original(client_for, evidence):
    client = client_for("coordinator")
    url = f"/visits/attachments/{evidence.public_id}/"
    same = client.post(url, {"reason": "Court", "candidate": SimpleUploadedFile("o.jpg", photo())})
    assert "is the original" in same.content.decode()
    other = client.post(
        url,
        {"reason": "Court", "candidate": SimpleUploadedFile("o.jpg", photo("2026:12:02 10:16:00"))},
    )
    assert "is not the original" in other.content.decode()
    no_reason = client.post(url, {"reason": ""})
    assert no_reason.status_code == 400
    assert AccessEvent.objects.filter(kind=AccessKind.CUSTODY_READ).count() == 2


@pytest.mark.django_db
def test_served_copy_carries_no_metadata(client_for, evidence):
    response = client_for("coordinator").get(f"/visits/attachments/{evidence.public_id}/download/")
    served = b"".join(response) if response.streaming else response.content
    assert b"PhoneCam" not in served
    assert not Image.open(io.BytesIO(served)).getexif()


@pytest.mark.parametrize("actor", ACTORS)
def test_file_hold_page_role_matrix(client_for, evidence, actor):
    client = client_for(actor)
    url = f"/visits/attachments/{evidence.public_id}/hold/"
    response = client.post(url, {"action": "place", "reason": "Evidence in case 146-7"})
    if actor == "anonymous":
        assert response.status_code == 302
    elif actor == "coordinator":
        assert response.status_code == 302
        assert LegalHold.objects.active().get().target_id == evidence.public_id
        return
    elif actor in ("regional", "monitor", "auditor"):
        assert response.status_code == 403
    else:
        assert response.status_code == 404
    assert not LegalHold.objects.exists()
