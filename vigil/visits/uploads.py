"""Uploaded files: their type checked by content (never by name), their size limited, and
photos re-encoded without any metadata (EXIF with its GPS position, XMP, ICC profile, comments).

`inspect_upload(data, name)` is the one check: it answers a `CleanFile` holding the bytes to
store (for images: the re-encoded pixels only) or raises `ValidationError` with a message that
says what is wrong in the user's words ("This file is not a JPEG image: it looks like an
executable program.").

Accepted: photos as JPEG, PNG or WebP; documents as PDF, Word (DOCX) or Excel (XLSX). DOCX and
XLSX are ZIP packages: their members are checked first (the parts a real document has, no
macros, no oversized or encrypted members), then the package is written again with its
document properties (author, last editor, company, times) emptied and its JPEG and PNG images
re-encoded without metadata. PDFs are stored as they are (no PDF library is at hand to clean
them): their own metadata stays.
"""

import io
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps, features

from .enums import AttachmentKind

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# Photos larger than this many pixels are refused (a phone's 200-megapixel mode is not needed
# to document a cell, and it guards against decompression bombs).
MAX_PIXELS = 60_000_000
# A DOCX/XLSX package may not unpack to more than this (a "zip bomb" guard).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_MEMBERS = 5_000
JPEG_QUALITY = 90


def max_upload_bytes() -> int:
    return int(getattr(settings, "VIGIL_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str
    kind: AttachmentKind
    label: str | Promise  # "a JPEG image": what the user is told this file is (or is not)


JPEG = FileType("image/jpeg", "jpg", AttachmentKind.PHOTO, gettext_lazy("a JPEG image"))
PNG = FileType("image/png", "png", AttachmentKind.PHOTO, gettext_lazy("a PNG image"))
WEBP = FileType("image/webp", "webp", AttachmentKind.PHOTO, gettext_lazy("a WebP image"))
PDF = FileType("application/pdf", "pdf", AttachmentKind.DOCUMENT, gettext_lazy("a PDF document"))
DOCX = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "docx",
    AttachmentKind.DOCUMENT,
    gettext_lazy("a Word document (DOCX)"),
)
XLSX = FileType(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xlsx",
    AttachmentKind.DOCUMENT,
    gettext_lazy("an Excel workbook (XLSX)"),
)
ACCEPTED = (JPEG, PNG, WEBP, PDF, DOCX, XLSX)

# What a file's name claims, for the message when its content says otherwise.
_CLAIMS: dict[str, str | Promise] = {
    "jpg": JPEG.label,
    "jpeg": JPEG.label,
    "jpe": JPEG.label,
    "jfif": JPEG.label,
    "png": PNG.label,
    "webp": WEBP.label,
    "pdf": PDF.label,
    "docx": DOCX.label,
    "xlsx": XLSX.label,
    "doc": gettext_lazy("a Word document"),
    "xls": gettext_lazy("an Excel workbook"),
    "gif": gettext_lazy("a GIF image"),
    "heic": gettext_lazy("a HEIC photo"),
    "heif": gettext_lazy("a HEIC photo"),
    "tif": gettext_lazy("a TIFF image"),
    "tiff": gettext_lazy("a TIFF image"),
    "bmp": gettext_lazy("a BMP image"),
}

_EXECUTABLE = gettext_lazy("an executable program")
# Signatures of programs and scripts, refused whatever the file is called.
_EXECUTABLE_MAGIC = (
    b"MZ",  # Windows (PE/COFF, DOS)
    b"\x7fELF",  # Linux and other Unix
    b"\xfe\xed\xfa\xce",  # Mach-O 32-bit
    b"\xfe\xed\xfa\xcf",  # Mach-O 64-bit
    b"\xce\xfa\xed\xfe",  # Mach-O 32-bit, little-endian
    b"\xcf\xfa\xed\xfe",  # Mach-O 64-bit, little-endian
    b"\xca\xfe\xba\xbe",  # Mach-O universal binary (also Java classes)
    b"#!",  # scripts
)
# What some other kinds of content look like, in words (by filetype's MIME type prefix).
_OTHER_KINDS: tuple[tuple[str, str | Promise], ...] = (
    ("image/heic", gettext_lazy("a HEIC photo")),
    ("image/heif", gettext_lazy("a HEIC photo")),
    ("image/gif", gettext_lazy("a GIF image")),
    ("image/tiff", gettext_lazy("a TIFF image")),
    ("image/", gettext_lazy("an image of another format")),
    ("video/", gettext_lazy("a video")),
    ("audio/", gettext_lazy("a sound recording")),
    ("application/msword", gettext_lazy("an old-format Word document (DOC)")),
    ("application/vnd.ms-excel", gettext_lazy("an old-format Excel workbook (XLS)")),
    ("application/x-ms", _EXECUTABLE),
    ("application/x-executable", _EXECUTABLE),
    ("application/wasm", _EXECUTABLE),
    ("application/x-shockwave-flash", _EXECUTABLE),
    ("application/vnd.oasis", gettext_lazy("an OpenDocument file")),
    ("application/vnd.openxmlformats", gettext_lazy("an Office file of another kind")),
    ("application/zip", gettext_lazy("a ZIP archive")),
    ("application/x-rar", gettext_lazy("an archive")),
    ("application/x-7z", gettext_lazy("an archive")),
    ("application/x-tar", gettext_lazy("an archive")),
    ("application/gzip", gettext_lazy("an archive")),
    ("application/x-bzip2", gettext_lazy("an archive")),
    ("application/x-xz", gettext_lazy("an archive")),
    ("application/zstd", gettext_lazy("an archive")),
)


@dataclass(frozen=True)
class CleanFile:
    data: bytes
    type: FileType
    name: str  # a safe file name, its extension following the content

    @property
    def content_type(self) -> str:
        return self.type.content_type

    @property
    def kind(self) -> AttachmentKind:
        return self.type.kind


# ---------------------------------------------------------------------------------- names


def safe_filename(name: str, extension: str | None = None) -> str:
    """A file name without a path, control or separator characters, at most 120 characters,
    ending in `extension` when given (the extension the content calls for)."""
    base = PurePath(name.replace("\\", "/")).name if name else ""
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = re.sub(r'[/\\:*?"<>|;]+', "_", base).strip(" .")
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    stem = stem.strip(" .")[:100] or "file"
    ext = extension or re.sub(r"[^A-Za-z0-9]", "", ext)[:10]
    return f"{stem}.{ext}" if ext else stem


def _claimed(name: str) -> str | Promise | None:
    ext = name.rpartition(".")[2].lower() if "." in name else ""
    return _CLAIMS.get(ext)


def _refuse(name: str, actual: str | Promise) -> ValidationError:
    """Say what the file really is, and what its name claimed when that differs."""
    claimed = _claimed(name)
    if claimed is not None and str(claimed) != str(actual):
        message = _("This file is not %(claimed)s: it looks like %(actual)s.") % {
            "claimed": claimed,
            "actual": actual,
        }
    else:
        message = _("This file looks like %(actual)s, which is not accepted.") % {"actual": actual}
    if actual is not _EXECUTABLE:
        message = f"{message} {_accepted_short()}"
    return ValidationError(message, code="wrong_type")


def _accepted_short() -> str:
    return _("Accepted: photos as JPEG, PNG or WebP; documents as PDF, DOCX or XLSX.")


def accepted_types_text() -> str:
    return _(
        "Photos as JPEG, PNG or WebP; documents as PDF, Word (DOCX) or Excel (XLSX). "
        "The type is checked from the content, not from the name."
    )


# ---------------------------------------------------------------------------------- checks


def size_error(size: int) -> ValidationError | None:
    limit = max_upload_bytes()
    if size > limit:
        return ValidationError(
            _("The file is too large (%(size)s); the largest accepted is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    if size == 0:
        return ValidationError(_("The file is empty."), code="empty")
    return None


def inspect_upload(data: bytes, name: str) -> CleanFile:
    """Check an upload by its content and clean it; raises ValidationError saying why not."""
    problem = size_error(len(data))
    if problem is not None:
        raise problem
    if data.startswith(_EXECUTABLE_MAGIC):
        raise _refuse(name, _EXECUTABLE)
    guess = filetype.guess(data)
    mime = guess.mime if guess is not None else ""
    if mime in (JPEG.content_type, PNG.content_type, WEBP.content_type) or mime == "image/apng":
        return _clean_image(data, name)
    if mime == PDF.content_type and data.startswith(b"%PDF-"):
        return CleanFile(data, PDF, safe_filename(name, PDF.extension))
    if data.startswith(b"PK\x03\x04"):
        return _check_office(data, name)
    raise _refuse(name, _describe(mime, data))


def _describe(mime: str, data: bytes) -> str | Promise:
    for prefix, words in _OTHER_KINDS:
        if mime.startswith(prefix):
            return words
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<svg", b"<?xml", b"<script")):
        return gettext_lazy("a web page or a drawing with scripts")
    return gettext_lazy("a file of another type")


# ---------------------------------------------------------------------------------- images


def _clean_image(data: bytes, name: str) -> CleanFile:
    pixels, target = _reencode(data, transpose=True)
    return CleanFile(pixels, target, safe_filename(name, target.extension))


def _reencode(data: bytes, *, transpose: bool) -> tuple[bytes, FileType]:
    """The image's pixels alone, encoded again in its own format (WebP: PNG where Pillow
    lacks WebP). `transpose` first turns the pixels as the EXIF orientation says."""
    damaged = ValidationError(
        _("This file is not a valid image: it may be damaged or cut short."), code="damaged"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as probe:
                source_format = probe.format or ""
                width, height = probe.size
                probe.verify()
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    _(
                        "The image is too large (%(width)s × %(height)s pixels); "
                        "the largest accepted has %(megapixels)s million pixels."
                    )
                    % {"width": width, "height": height, "megapixels": MAX_PIXELS // 1_000_000},
                    code="too_many_pixels",
                )
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                target = _target_type(source_format, image)
                upright = ImageOps.exif_transpose(image) if transpose else image
                pixels = _plain_pixels(upright, target)
        except ValidationError:
            raise
        except Exception as exc:  # malformed images raise all sorts (OSError, struct.error, ...)
            raise damaged from exc
    out = io.BytesIO()
    if target is JPEG:
        pixels.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    elif target is WEBP:
        pixels.save(out, "WEBP", quality=JPEG_QUALITY)
    else:
        pixels.save(out, "PNG", optimize=True)
    return out.getvalue(), target


def _target_type(source_format: str, image: Image.Image) -> FileType:
    if source_format in ("JPEG", "MPO"):
        return JPEG
    if source_format == "PNG":
        return PNG
    if source_format == "WEBP":
        return WEBP if features.check("webp") else PNG
    raise ValidationError(
        _("This file is not a valid image: it may be damaged or cut short."), code="damaged"
    )


def _plain_pixels(image: Image.Image, target: FileType) -> Image.Image:
    """A new image holding only the pixels: no EXIF, GPS, XMP, ICC profile, text or comment
    can come along, whatever the encoder would otherwise copy from `image.info`."""
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    if target is JPEG:
        mode = "L" if image.mode in ("1", "L") else "RGB"
    elif has_alpha:
        mode = "RGBA"
    else:
        mode = "L" if image.mode in ("1", "L") else "RGB"
    converted = image if image.mode == mode else image.convert(mode)
    return Image.frombytes(mode, converted.size, converted.tobytes())


# ---------------------------------------------------------------------------------- office


_OFFICE = {
    DOCX: ("word/document.xml",),
    XLSX: ("xl/workbook.xml",),
}


def _check_office(data: bytes, name: str) -> CleanFile:
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        members = package.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise ValidationError(
            _("This file is damaged: it cannot be opened as a document."), code="damaged"
        ) from exc
    names = {m.filename for m in members}
    kind = next(
        (
            ft
            for ft, parts in _OFFICE.items()
            if "[Content_Types].xml" in names and all(p in names for p in parts)
        ),
        None,
    )
    if kind is None:
        mime = filetype.guess_mime(data) or "application/zip"
        raise _refuse(name, _describe(mime, data))
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise ValidationError(
            _("This document contains macros (programs), which are not accepted."),
            code="macros",
        )
    if (
        len(members) > MAX_MEMBERS
        or sum(m.file_size for m in members) > MAX_UNPACKED_BYTES
        or any(m.flag_bits & 0x1 for m in members)
        or any(m.filename.startswith("/") or ".." in m.filename.split("/") for m in members)
    ):
        raise ValidationError(
            _("This document cannot be accepted: it is encrypted or its content is malformed."),
            code="malformed",
        )
    return CleanFile(_repack(package, members), kind, safe_filename(name, kind.extension))


_CORE_PROPERTIES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    b'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    b'xmlns:dcterms="http://purl.org/dc/terms/" '
    b'xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
    b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"></cp:coreProperties>'
)
_EXTENDED_PROPERTIES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'docPropsVTypes"></Properties>'
)
_CUSTOM_PROPERTIES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'docPropsVTypes"></Properties>'
)
# Document properties name the author, the last editor, the company, times; emptied.
_PROPERTY_PARTS = {
    "docProps/core.xml": _CORE_PROPERTIES,
    "docProps/app.xml": _EXTENDED_PROPERTIES,
    "docProps/custom.xml": _CUSTOM_PROPERTIES,
}
_IMAGE_PART = re.compile(r"\.(jpe?g|png)$", re.IGNORECASE)
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def _repack(package: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> bytes:
    """The package again, with its document properties emptied, its JPEG and PNG images
    (photos pasted into the document, the thumbnail) re-encoded without metadata, and every
    member's time stamp set to the same date."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as clean:
        for member in members:
            if member.is_dir():
                continue
            try:
                data = package.read(member)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
                raise ValidationError(
                    _("This file is damaged: it cannot be opened as a document."),
                    code="damaged",
                ) from exc
            if member.filename in _PROPERTY_PARTS:
                data = _PROPERTY_PARTS[member.filename]
            elif _IMAGE_PART.search(member.filename):
                data = _clean_embedded_image(data, member.filename)
            info = zipfile.ZipInfo(member.filename, date_time=_ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            clean.writestr(info, data)
    return out.getvalue()


def _clean_embedded_image(data: bytes, part: str) -> bytes:
    """An image inside a document, without metadata, its pixels left as they are (the
    document's layout fixes how it is shown)."""
    refused = ValidationError(
        _("This document contains an image that cannot be cleaned of its metadata (%(part)s).")
        % {"part": part.rpartition("/")[2]},
        code="damaged_image",
    )
    try:
        cleaned, target = _reencode(data, transpose=False)
    except ValidationError as exc:
        raise refused from exc
    expected = JPEG if part.lower().endswith((".jpg", ".jpeg")) else PNG
    if target is not expected:
        raise refused
    return cleaned
