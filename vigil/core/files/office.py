"""Office documents (DOCX, XLSX): ZIP packages whose members are checked first (the parts a
real document has, no macros, no encrypted member, no path outside the package, no more than
`MAX_UNPACKED_BYTES` once unpacked: a "zip bomb" guard), then written again with their
document properties (author, last editor, company, times) emptied and their JPEG and PNG images
re-encoded without metadata."""

import io
import re
import zipfile

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .images import reencode
from .types import JPEG, KNOWN_TYPES, PNG, FileType, damaged_document

# A package may not unpack to more than this. Python's zipfile never inflates a member past
# the size its header declares (a member that lies fails its CRC check), so the declared
# sizes bound what is unpacked.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_MEMBERS = 5_000


def open_package(data: bytes) -> tuple[zipfile.ZipFile, list[zipfile.ZipInfo]]:
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        return package, package.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise damaged_document() from exc


def package_type(members: list[zipfile.ZipInfo]) -> FileType | None:
    """The Office type whose parts the package has, if any."""
    names = {m.filename for m in members}
    if "[Content_Types].xml" not in names:
        return None
    return next(
        (
            ft
            for ft in KNOWN_TYPES
            if ft.package_parts and all(p in names for p in ft.package_parts)
        ),
        None,
    )


def clean_package(package: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> bytes:
    """The package, checked and written again without its properties and image metadata."""
    if any(m.filename.lower().endswith("vbaproject.bin") for m in members):
        raise ValidationError(
            _("This document contains macros (programs), which are not accepted."),
            code="macros",
        )
    if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
        raise ValidationError(
            _("This document cannot be accepted: unpacked, it would be larger than %(limit)s.")
            % {"limit": filesizeformat(MAX_UNPACKED_BYTES)},
            code="too_large_unpacked",
        )
    if (
        len(members) > MAX_MEMBERS
        or any(m.flag_bits & 0x1 for m in members)
        or any(m.filename.startswith("/") or ".." in m.filename.split("/") for m in members)
    ):
        raise ValidationError(
            _("This document cannot be accepted: it is encrypted or its content is malformed."),
            code="malformed",
        )
    return _repack(package, members)


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
                raise damaged_document() from exc
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
        cleaned, target = reencode(data, transpose=False)
    except ValidationError as exc:
        raise refused from exc
    expected = JPEG if part.lower().endswith((".jpg", ".jpeg")) else PNG
    if target is not expected:
        raise refused
    return cleaned
