"""Uploads checked by content, photos cleaned of every metadata, files stored encrypted,
downloads permission-checked and logged (the visits' services on `vigil.core.files`)."""

import hashlib
import io
import zipfile

import docx
import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import ExifTags, Image, PngImagePlugin

from vigil.audit.enums import AccessKind, AuditAction
from vigil.audit.models import AccessEvent, AuditEvent
from vigil.core.crypto import DecryptionError
from vigil.core.files import images
from vigil.core.files.types import DOCX, XLSX
from vigil.core.tests.pdfs import pdf_bytes
from vigil.visits.enums import AttachmentKind, VisitState
from vigil.visits.models import Attachment, Finding
from vigil.visits.permissions import attachments_visible_to, can_download_attachment
from vigil.visits.services.attachments import (
    attachment_delete,
    attachment_read,
    attachment_upload,
)
from vigil.visits.services.interviews import interview_create

GPS = {
    ExifTags.GPS.GPSLatitudeRef: "N",
    ExifTags.GPS.GPSLatitude: (51.0, 10.0, 5.5),
    ExifTags.GPS.GPSLongitudeRef: "E",
    ExifTags.GPS.GPSLongitude: (71.0, 26.0, 1.0),
}


def jpeg_with_gps(size=(64, 48), orientation=6) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SpyCam"
    exif[ExifTags.Base.Artist] = "Officer Name"
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.GPSInfo] = GPS
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"taken in cell 12")
    return out.getvalue()


def png_with_text() -> bytes:
    image = Image.new("RGBA", (20, 10), (0, 128, 0, 128))
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "GPS 51.16,71.47")
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>secret-xmp</x:xmpmeta>")
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info, icc_profile=b"fake-icc-profile-bytes")
    return out.getvalue()


def docx_bytes(text="Акт проверки", *, macros=False) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    if not macros:
        return out.getvalue()
    with zipfile.ZipFile(out, "a") as package:
        package.writestr("word/vbaProject.bin", b"\x00macro")
    return out.getvalue()


PDF = pdf_bytes("SECRET-PDF-MARKER")


@pytest.fixture
def upload(users, visit):
    def make(data, name="photo.jpg", actor="monitor", **kwargs):
        return attachment_upload(
            actor=users[actor],
            visit=kwargs.pop("on", visit),
            file=SimpleUploadedFile(name, data),
            name=name,
            **kwargs,
        )

    return make


def _stored_files() -> set[str]:
    try:
        return set(default_storage.listdir("attachments")[1])
    except FileNotFoundError:
        return set()


def _stored(attachment: Attachment) -> bytes:
    with default_storage.open(attachment.storage_name, "rb") as handle:
        return handle.read()


# ---------------------------------------------------------------------------- content checks


def test_jpeg_with_gps_comes_back_without_any_exif(upload, users):
    original = jpeg_with_gps()
    assert b"Exif" in original
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)
    attachment = upload(original, "IMG_0001.JPG")
    data = attachment_read(actor=users["monitor"], attachment=attachment).data
    assert b"Exif" not in data
    assert b"SpyCam" not in data
    assert b"Officer" not in data
    assert b"cell 12" not in data
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG"
    assert not image.getexif()
    assert "exif" not in image.info
    assert "comment" not in image.info
    # The orientation was applied to the pixels before the tag was dropped.
    assert image.size == (48, 64)
    assert attachment.kind == AttachmentKind.PHOTO
    assert attachment.content_type == "image/jpeg"
    assert attachment.original_name == "IMG_0001.jpg"
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    assert attachment.size == len(data)


def test_png_loses_text_xmp_and_icc(upload, users):
    attachment = upload(png_with_text(), "scan.png")
    data = attachment_read(actor=users["monitor"], attachment=attachment).data
    for secret in (b"GPS 51", b"secret-xmp", b"fake-icc", b"iTXt", b"tEXt", b"iCCP"):
        assert secret not in data
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    assert image.mode == "RGBA"  # transparency kept
    assert set(image.info) <= {"dpi"}


def test_webp_is_cleaned(upload, users):
    image = Image.new("RGB", (16, 16), "blue")
    exif = Image.Exif()
    exif[ExifTags.Base.GPSInfo] = GPS
    out = io.BytesIO()
    image.save(out, "WEBP", exif=exif)
    attachment = upload(out.getvalue(), "photo.webp")
    data = attachment_read(actor=users["monitor"], attachment=attachment).data
    assert b"Exif" not in data
    assert b"EXIF" not in data
    assert not Image.open(io.BytesIO(data)).getexif()


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (
            b"MZ\x90\x00\x03" + b"\x00" * 200,
            "holiday.jpg",
            "This file is not a JPEG image: it looks like an executable program.",
        ),
        (
            b"\x7fELF\x02\x01\x01" + b"\x00" * 200,
            "scan.png",
            "This file is not a PNG image: it looks like an executable program.",
        ),
        (
            b"#!/bin/sh\nrm -rf /\n",
            "report.pdf",
            "This file is not a PDF document: it looks like an executable program.",
        ),
        (
            b"MZ" + b"\x00" * 100,
            "tool",
            "This file looks like an executable program, which is not accepted.",
        ),
        (
            b"GIF89a" + b"\x00" * 50,
            "anim.jpg",
            "This file is not a JPEG image: it looks like a GIF",
        ),
        (
            b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 50,
            "IMG_1.HEIC",
            "This file looks like a HEIC photo, which is not accepted. Accepted: photos as JPEG",
        ),
        (
            b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
            "x.png",
            "This file is not a PNG image: it looks like a web page or a drawing with scripts.",
        ),
        (b"just some text", "notes.txt", "This file looks like a file of another type, which"),
    ],
    ids=["exe-as-jpg", "elf-as-png", "script-as-pdf", "exe-no-name", "gif", "heic", "svg", "text"],
)
def test_refused_by_content_with_a_clear_message(upload, data, name, message):
    with pytest.raises(ValidationError) as exc:
        upload(data, name)
    assert exc.value.message_dict["file"][0].startswith(message), exc.value.message_dict
    assert not Attachment.objects.exists()
    assert not AuditEvent.objects.exists()


def test_zip_renamed_docx_is_refused(upload):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.exe", b"MZ")
    with pytest.raises(
        ValidationError, match="not a Word document \\(DOCX\\): it looks like a ZIP"
    ):
        upload(out.getvalue(), "minutes.docx")


def test_docx_with_macros_is_refused(upload):
    with pytest.raises(ValidationError, match="macros"):
        upload(docx_bytes(macros=True), "minutes.docx")


def test_damaged_image_is_refused(upload):
    truncated = jpeg_with_gps(size=(400, 300))[:300]
    with pytest.raises(ValidationError, match="not a valid image"):
        upload(truncated, "cut.jpg")


@pytest.mark.parametrize(
    ("name", "stored_name"),
    [("letter.pdf", "letter.pdf"), ("letter.jpg", "letter.pdf")],
    ids=["pdf", "pdf-named-jpg"],
)
def test_pdf_accepted_by_content(upload, users, name, stored_name):
    """The name does not decide: a PDF called .jpg is stored as the PDF it is."""
    attachment = upload(PDF, name)
    assert attachment.kind == AttachmentKind.DOCUMENT
    assert attachment.content_type == "application/pdf"
    assert attachment.original_name == stored_name
    assert attachment_read(actor=users["monitor"], attachment=attachment).data == PDF


def test_docx_loses_its_properties_and_photo_metadata(upload, users):
    document = docx.Document()
    document.core_properties.author = "Officer Secretov"
    document.core_properties.last_modified_by = "Officer Secretov"
    document.add_paragraph("Акт проверки: қабырға ылғалды")
    document.add_picture(io.BytesIO(jpeg_with_gps(orientation=1)))
    out = io.BytesIO()
    document.save(out)
    assert b"Exif" in _members(out.getvalue(), "word/media/")
    attachment = upload(out.getvalue(), "Акт № 5.docx")
    assert attachment.content_type == DOCX.content_type
    assert attachment.original_name == "Акт № 5.docx"
    data = attachment_read(actor=users["monitor"], attachment=attachment).data
    cleaned = docx.Document(io.BytesIO(data))
    assert cleaned.paragraphs[0].text == "Акт проверки: қабырға ылғалды"
    assert cleaned.core_properties.author == ""
    assert cleaned.core_properties.last_modified_by == ""
    assert b"Secretov" not in _members(data, "")
    media = _members(data, "word/media/")
    assert media
    assert b"Exif" not in media
    assert b"SpyCam" not in media


def test_xlsx_loses_its_properties(upload, users):
    workbook = openpyxl.Workbook()
    workbook.properties.creator = "Officer Secretov"
    sheet = workbook.worksheets[0]
    sheet["A1"] = "Журнал регистрации"
    out = io.BytesIO()
    workbook.save(out)
    attachment = upload(out.getvalue(), "register.XLSX")
    assert attachment.content_type == XLSX.content_type
    assert attachment.original_name == "register.xlsx"
    data = attachment_read(actor=users["monitor"], attachment=attachment).data
    assert b"Secretov" not in _members(data, "")
    cleaned = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert cleaned["A1"].value == "Журнал регистрации"


def _members(package: bytes, prefix: str) -> bytes:
    """The unpacked bytes of a ZIP package's members under `prefix`, joined."""
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return b"".join(
            archive.read(name) for name in archive.namelist() if name.startswith(prefix)
        )


@override_settings(VIGIL_ATTACHMENT_MAX_BYTES=1000)
def test_size_limit(upload):
    with pytest.raises(ValidationError) as exc:
        upload(PDF + b"x" * (2048 - len(PDF)), "big.pdf")
    assert exc.value.message_dict["file"] == [
        "The file is too large (2.0\xa0KB); the largest accepted is 1000\xa0bytes."
    ]
    assert not Attachment.objects.exists()


def test_empty_file(upload):
    with pytest.raises(ValidationError, match="The file is empty"):
        upload(b"", "empty.jpg")


def test_too_many_pixels(upload, monkeypatch):
    monkeypatch.setattr(images, "MAX_PIXELS", 1000)
    with pytest.raises(ValidationError, match="The image is too large"):
        upload(jpeg_with_gps(size=(64, 48)), "big.jpg")


# ---------------------------------------------------------------------------- storage


def test_stored_encrypted_under_a_random_name(upload, users):
    attachment = upload(PDF, "Иванов_побои.pdf", description="Медицинская справка")
    stored = _stored(attachment)
    assert b"SECRET-PDF-MARKER" not in stored
    assert b"%PDF" not in stored
    assert "Иванов" not in attachment.storage_name
    assert attachment.storage_name.startswith("attachments/")
    assert stored[:2] == attachment.key_version.to_bytes(2, "big")
    event = AuditEvent.objects.get(action=AuditAction.ATTACHMENT_UPLOADED)
    assert event.target_id == str(attachment.public_id)
    assert event.data["sha256"] == attachment.sha256


def test_photo_stored_encrypted(upload):
    attachment = upload(jpeg_with_gps(), "p.jpg")
    stored = _stored(attachment)
    assert b"JFIF" not in stored
    assert b"\xff\xd8\xff" not in stored[:20]


def test_tampered_file_does_not_decrypt(upload, users):
    attachment = upload(PDF, "letter.pdf")
    blob = bytearray(_stored(attachment))
    blob[-1] ^= 0xFF
    default_storage.delete(attachment.storage_name)
    default_storage.save(attachment.storage_name, ContentFile(bytes(blob)))
    with pytest.raises(DecryptionError):
        attachment_read(actor=users["monitor"], attachment=attachment)
    assert AccessEvent.objects.count() == 1  # logged first: the attempt stays


def test_file_is_bound_to_its_attachment(upload, users):
    first = upload(PDF, "a.pdf")
    second = upload(PDF + b"%", "b.pdf")
    default_storage.delete(second.storage_name)
    default_storage.save(second.storage_name, ContentFile(_stored(first)))
    with pytest.raises(DecryptionError):
        attachment_read(actor=users["monitor"], attachment=second)


def test_every_download_is_logged(upload, users):
    attachment = upload(PDF, "letter.pdf")
    for actor in ("monitor", "monitor", "coordinator", "auditor"):
        attachment_read(actor=users[actor], attachment=attachment)
    events = AccessEvent.objects.filter(
        kind=AccessKind.ATTACHMENT_DOWNLOADED, target_id=str(attachment.public_id)
    )
    assert events.count() == 4


# ---------------------------------------------------------------------------- permissions


@pytest.fixture
def interview(users, visit):
    return interview_create(
        actor=users["monitor"], visit=visit, institution=None, data={"pseudonym": "W"}, content="c"
    )


@pytest.fixture
def finding(users, visit):
    return Finding.objects.create(
        visit=visit,
        institution=visit.institutions.get(),
        theme="T3",
        severity="serious",
        title="Overcrowding",
        description="Twelve people in a cell for six.",
        created_by=users["monitor"],
    )


VISIT_READERS = {"coordinator", "regional", "monitor", "monitor_lead", "monitor_doctor", "auditor"}
INTERVIEW_READERS = VISIT_READERS - {"auditor"}
EVERYONE = [
    "admin",
    "coordinator",
    "regional",
    "monitor",
    "monitor_lead",
    "monitor_doctor",
    "monitor_outsider",
    "liaison",
    "other_liaison",
    "auditor",
]


@pytest.mark.parametrize("actor", EVERYONE)
def test_download_permissions(upload, users, interview, actor):
    on_visit = upload(PDF, "visit.pdf")
    on_interview = upload(PDF, "interview.pdf", interview=interview)
    for attachment, readers in ((on_visit, VISIT_READERS), (on_interview, INTERVIEW_READERS)):
        allowed = actor in readers
        assert can_download_attachment(users[actor], attachment) == allowed
        # The list form agrees with the object rule.
        assert attachments_visible_to(users[actor]).filter(pk=attachment.pk).exists() == allowed
        if allowed:
            assert attachment_read(actor=users[actor], attachment=attachment).data == PDF
        else:
            with pytest.raises(PermissionDenied):
                attachment_read(actor=users[actor], attachment=attachment)
    expected = (actor in VISIT_READERS) + (actor in INTERVIEW_READERS)
    assert AccessEvent.objects.count() == expected


@pytest.mark.parametrize("actor", EVERYONE)
def test_upload_permissions(upload, interview, actor):
    writers = INTERVIEW_READERS
    if actor in writers:
        upload(PDF, "a.pdf", actor=actor)
        upload(PDF, "b.pdf", actor=actor, interview=interview)
        assert Attachment.objects.count() == 2
        return
    files_before = _stored_files()
    for kwargs in ({}, {"interview": interview}):
        with pytest.raises(PermissionDenied):
            upload(PDF, "a.pdf", actor=actor, **kwargs)
    assert not Attachment.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.ATTACHMENT_UPLOADED).exists()
    assert _stored_files() == files_before


def test_attach_to_finding_of_the_visit(upload, finding, make_visit):
    attachment = upload(jpeg_with_gps(), "cell.jpg", finding=finding)
    assert attachment.finding == finding
    other = make_visit(state=VisitState.ON_SITE)
    with pytest.raises(ValidationError, match="another visit"):
        upload(PDF, "x.pdf", on=other, finding=finding)


def test_not_both_finding_and_interview(upload, finding, interview):
    with pytest.raises(ValidationError, match="not both"):
        upload(PDF, "x.pdf", finding=finding, interview=interview)


@pytest.mark.parametrize(
    ("uploader", "remover", "allowed"),
    [
        ("monitor", "monitor", True),
        ("monitor", "coordinator", True),
        ("monitor", "regional", True),
        ("monitor", "monitor_doctor", False),
        ("monitor", "auditor", False),
        ("monitor", "admin", False),
        ("monitor", "monitor_outsider", False),
    ],
)
def test_delete(upload, users, django_capture_on_commit_callbacks, uploader, remover, allowed):
    attachment = upload(PDF, "wrong.pdf", actor=uploader)
    name = attachment.storage_name
    if allowed:
        with django_capture_on_commit_callbacks(execute=True):
            attachment_delete(actor=users[remover], attachment=attachment)
        assert not Attachment.objects.exists()
        assert not default_storage.exists(name)
        assert AuditEvent.objects.filter(action=AuditAction.ATTACHMENT_DELETED).count() == 1
    else:
        with pytest.raises(PermissionDenied):
            attachment_delete(actor=users[remover], attachment=attachment)
        assert Attachment.objects.count() == 1
        assert default_storage.exists(name)


def test_docx_with_an_image_that_cannot_be_cleaned_is_refused(upload):
    source = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(docx_bytes())) as original,
        zipfile.ZipFile(source, "w") as copy,
    ):
        for item in original.infolist():
            copy.writestr(item, original.read(item))
        copy.writestr("word/media/image9.jpeg", b"\xff\xd8\xff\xe0 not really a photo")
    with pytest.raises(ValidationError, match=r"cannot be cleaned of its metadata \(image9.jpeg\)"):
        upload(source.getvalue(), "minutes.docx")
    assert not Attachment.objects.exists()
