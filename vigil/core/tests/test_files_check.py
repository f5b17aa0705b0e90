"""The upload check (`vigil.core.files.check`): type by content, size, metadata removal,
decompression-bomb guards for images and Office packages, accepted types per use."""

import hashlib
import io
import struct
import zipfile
import zlib

import docx
import pikepdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils.translation import gettext_lazy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import ExifTags, Image

from vigil.core.files import images, office
from vigil.core.files.check import PHOTOS_AND_DOCUMENTS, UploadCheck
from vigil.core.files.types import DOCX, JPEG, PDF, PNG, safe_filename
from vigil.core.tests.pdfs import pdf_bytes

CHECK = PHOTOS_AND_DOCUMENTS
PDF_BYTES = pdf_bytes()


def jpeg_with_gps(taken: str = "") -> bytes:
    image = Image.new("RGB", (32, 24), (10, 120, 200))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SpyCam"
    if taken:
        exif[ExifTags.IFD.Exif] = {ExifTags.Base.DateTimeOriginal: taken}
    exif[ExifTags.Base.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (51.0, 10.0, 5.5),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (71.0, 26.0, 1.0),
    }
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims `width` × `height` pixels in a few dozen bytes (a bomb's header)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def test_executable_renamed_jpg_is_refused():
    with pytest.raises(ValidationError) as exc:
        CHECK.inspect(b"MZ\x90\x00\x03" + b"\x00" * 200, "holiday.jpg")
    assert exc.value.messages == [
        "This file is not a JPEG image: it looks like an executable program."
    ]
    assert exc.value.code == "wrong_type"


def test_type_comes_from_the_content_not_the_name():
    clean = CHECK.inspect(PDF_BYTES, "scan.jpg")
    assert clean.type is PDF
    assert clean.name == "scan.pdf"
    assert clean.data.startswith(b"%PDF-")


def test_exif_and_gps_removed():
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    clean = CHECK.inspect(original, "cell.jpeg")
    assert clean.type is JPEG
    assert b"Exif" not in clean.data
    assert b"SpyCam" not in clean.data
    image = Image.open(io.BytesIO(clean.data))
    assert not image.getexif()
    assert image.size == (32, 24)


def test_the_original_is_described_for_its_chain_of_custody():
    original = jpeg_with_gps(taken="2025:03:05 14:22:01")
    clean = CHECK.inspect(original, "cell.jpeg")
    assert clean.original is not None
    assert clean.original.sha256 == hashlib.sha256(original).hexdigest()
    assert clean.original.size == len(original)
    assert clean.original.captured_at == "2025-03-05 14:22:01"
    assert clean.original.latitude == pytest.approx(51 + 10 / 60 + 5.5 / 3600)
    assert clean.original.longitude == pytest.approx(71 + 26 / 60 + 1 / 3600)
    document = CHECK.inspect(PDF_BYTES, "letter.pdf").original
    assert document is not None
    assert document.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert (document.captured_at, document.latitude) == (None, None)


def test_pdf_loses_its_document_information_and_xmp_metadata():
    original = pdf_bytes("Cell 12", author="Ivan Petrov", xmp_creator="Aigul Serikova")
    assert b"Ivan Petrov" in original
    assert b"Aigul Serikova" in original
    clean = CHECK.inspect(original, "letter.pdf")
    assert clean.type is PDF
    assert b"Ivan Petrov" not in clean.data
    assert b"Aigul Serikova" not in clean.data
    with pikepdf.open(io.BytesIO(clean.data)) as pdf:
        assert "/Info" not in pdf.trailer
        assert "/Metadata" not in pdf.Root
        assert len(pdf.pages) == 1


def test_damaged_pdf_is_refused():
    with pytest.raises(ValidationError) as exc:
        CHECK.inspect(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "letter.pdf")
    assert exc.value.code == "damaged"


@override_settings(VIGIL_ATTACHMENT_MAX_BYTES=1000)
def test_too_big_is_refused_before_it_is_read():
    class Unreadable(io.BytesIO):
        def read(self, size: int | None = -1) -> bytes:
            raise AssertionError("an oversized upload was read")

    with pytest.raises(ValidationError) as exc:
        CHECK.check(File(Unreadable(b"%PDF-1.4" + b"x" * 2040), name="big.pdf"))
    assert exc.value.messages == [
        "The file is too large (2.0\xa0KB); the largest accepted is 1000\xa0bytes."
    ]
    with pytest.raises(ValidationError, match="too large"):
        CHECK.inspect(PDF_BYTES + b"x" * 2000, "big.pdf")


@pytest.mark.parametrize(
    ("width", "height"),
    [(10_000, 10_000), (20_000, 20_000)],
    ids=["over-pillow-warning-limit", "over-pillow-error-limit"],
)
def test_decompression_bomb_is_refused(width, height):
    """A few bytes claiming 100 or 400 million pixels: refused before any pixel is decoded,
    whether Pillow warns (over MAX_IMAGE_PIXELS) or refuses (over twice that)."""
    bomb = png_header(width, height)
    assert len(bomb) < 200
    with pytest.raises(ValidationError) as exc:
        CHECK.inspect(bomb, "map.png")
    assert exc.value.code == "too_many_pixels"
    assert exc.value.messages == [
        "The image has too many pixels to be opened safely; "
        "the largest accepted has 60 million pixels."
    ]


def test_image_over_our_own_pixel_limit_is_refused(monkeypatch):
    monkeypatch.setattr(images, "MAX_PIXELS", 2_000_000)
    with pytest.raises(ValidationError) as exc:
        CHECK.inspect(png_header(2_000, 1_500), "plan.png")
    assert exc.value.messages == [
        "The image is too large (2000 × 1500 pixels); the largest accepted has 2 million pixels."
    ]


def test_office_package_that_unpacks_too_large_is_refused(monkeypatch):
    monkeypatch.setattr(office, "MAX_UNPACKED_BYTES", 1024 * 1024)
    out = io.BytesIO()
    docx.Document().save(out)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/media/padding.bin", b"\x00" * (2 * 1024 * 1024))
    assert len(out.getvalue()) < 100_000  # two megabytes of zeros pack small
    with pytest.raises(ValidationError) as exc:
        CHECK.inspect(out.getvalue(), "minutes.docx")
    assert exc.value.messages == [
        "This document cannot be accepted: unpacked, it would be larger than 1.0\xa0MB."
    ]


def test_accepted_types_are_a_parameter():
    documents_only = UploadCheck(
        accepted=(PDF, DOCX),
        accepted_short=gettext_lazy("Accepted: documents as PDF or DOCX."),
        help_text=gettext_lazy("Documents as PDF or DOCX."),
    )
    png = io.BytesIO()
    Image.new("RGB", (4, 4)).save(png, "PNG")
    with pytest.raises(ValidationError) as exc:
        documents_only.inspect(png.getvalue(), "photo.png")
    assert exc.value.messages == [
        "This file looks like a PNG image, which is not accepted. "
        "Accepted: documents as PDF or DOCX."
    ]
    assert documents_only.inspect(PDF_BYTES, "a.pdf").type is PDF
    assert documents_only.accept_attribute == (
        "application/pdf,"
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document,.docx"
    )
    assert CHECK.inspect(png.getvalue(), "photo.png").type is PNG


def test_accept_attribute_of_photos_and_documents():
    assert CHECK.accept_attribute == (
        "image/jpeg,image/png,image/webp,application/pdf,"
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document,"
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,.docx,.xlsx"
    )


def test_check_all_names_each_refused_file():
    files = [
        SimpleUploadedFile("letter.pdf", PDF_BYTES),
        SimpleUploadedFile("tool.jpg", b"MZ" + b"\x00" * 50),
        SimpleUploadedFile("notes.txt", b"just text"),
    ]
    with pytest.raises(ValidationError) as exc:
        CHECK.check_all(files, limit=5)
    assert exc.value.messages[0] == (
        "tool.jpg: This file is not a JPEG image: it looks like an executable program."
    )
    assert exc.value.messages[1].startswith(
        "notes.txt: This file looks like a file of another type, which is not accepted."
    )
    assert len(CHECK.check_all(files[:1], limit=5)) == 1
    with pytest.raises(ValidationError, match=r"Attach at most 2 files\."):
        CHECK.check_all(files, limit=2)


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd.jpg", "passwd.jpg"),
        ("C:\\Users\\x\\photo.jpeg", "photo.jpg"),
        ('a"b;c\r\n.jpg', "a_b_c.jpg"),
        ("", "file.jpg"),
        ("...", "file.jpg"),
    ],
)
def test_safe_filename(name, safe):
    assert safe_filename(name, "jpg") == safe


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=300), name=st.text(max_size=40))
def test_inspect_never_crashes(data, name):
    """Any bytes under any name: accepted as cleaned, or refused with a message; no crash."""
    try:
        clean = CHECK.inspect(data, name)
    except ValidationError as exc:
        messages = exc.messages
        assert messages
        assert all(messages)
    else:
        assert clean.type in CHECK.accepted
        assert "/" not in clean.name
        assert "\\" not in clean.name
