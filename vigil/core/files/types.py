"""What an upload may be: the accepted file types, the cleaned file, safe names, and the
message that says what a refused file really is ("This file is not a JPEG image: it looks like
an executable program.")."""

import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str
    label: str | Promise  # "a JPEG image": what the user is told this file is (or is not)
    is_image: bool = False
    # For Office packages (ZIP files): the parts a real document of this type has.
    package_parts: tuple[str, ...] = ()


JPEG = FileType("image/jpeg", "jpg", gettext_lazy("a JPEG image"), is_image=True)
PNG = FileType("image/png", "png", gettext_lazy("a PNG image"), is_image=True)
WEBP = FileType("image/webp", "webp", gettext_lazy("a WebP image"), is_image=True)
PDF = FileType("application/pdf", "pdf", gettext_lazy("a PDF document"))
DOCX = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "docx",
    gettext_lazy("a Word document (DOCX)"),
    package_parts=("word/document.xml",),
)
XLSX = FileType(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xlsx",
    gettext_lazy("an Excel workbook (XLSX)"),
    package_parts=("xl/workbook.xml",),
)
KNOWN_TYPES = (JPEG, PNG, WEBP, PDF, DOCX, XLSX)


@dataclass(frozen=True)
class Original:
    """What the uploaded file was before it was cleaned, for its chain of custody: its
    SHA-256 and size, and for a photo the capture time and place its EXIF gave (local time
    as the camera wrote it, "YYYY-MM-DD HH:MM:SS"; decimal degrees)."""

    sha256: str
    size: int
    captured_at: str | None = None
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class CleanFile:
    """An upload that passed the check: the bytes to store (for images: the re-encoded
    pixels only), what they are, a safe name whose extension follows the content, and what
    the original was (`Original`: never stored in clear)."""

    data: bytes
    type: FileType
    name: str
    original: Original | None = None

    @property
    def content_type(self) -> str:
        return self.type.content_type


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

EXECUTABLE = gettext_lazy("an executable program")
# Signatures of programs and scripts, refused whatever the file is called.
EXECUTABLE_MAGIC = (
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
    ("application/x-ms", EXECUTABLE),
    ("application/x-executable", EXECUTABLE),
    ("application/wasm", EXECUTABLE),
    ("application/x-shockwave-flash", EXECUTABLE),
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


def describe(mime: str, data: bytes) -> str | Promise:
    """What a file of another type is, in words, from its guessed MIME type and first bytes."""
    for prefix, words in _OTHER_KINDS:
        if mime.startswith(prefix):
            return words
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<svg", b"<?xml", b"<script")):
        return gettext_lazy("a web page or a drawing with scripts")
    return gettext_lazy("a file of another type")


def refusal(name: str, actual: str | Promise, accepted: str | Promise) -> ValidationError:
    """Say what the file really is, and what its name claimed when that differs; then what
    is accepted (not after an executable: there is nothing to choose instead)."""
    ext = name.rpartition(".")[2].lower() if "." in name else ""
    claimed = _CLAIMS.get(ext)
    if claimed is not None and str(claimed) != str(actual):
        message = _("This file is not %(claimed)s: it looks like %(actual)s.") % {
            "claimed": claimed,
            "actual": actual,
        }
    else:
        message = _("This file looks like %(actual)s, which is not accepted.") % {"actual": actual}
    if actual is not EXECUTABLE:
        message = f"{message} {accepted}"
    return ValidationError(message, code="wrong_type")


def damaged_image() -> ValidationError:
    return ValidationError(
        _("This file is not a valid image: it may be damaged or cut short."), code="damaged"
    )


def damaged_document() -> ValidationError:
    return ValidationError(
        _("This file is damaged: it cannot be opened as a document."), code="damaged"
    )
