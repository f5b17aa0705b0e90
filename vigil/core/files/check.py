"""The upload check: a file's type decided by its content (never by its name), its size
limited, images re-encoded without any metadata, Office documents cleaned of their properties,
decompression bombs refused. Every refusal is a `ValidationError` in the user's words.

One `UploadCheck` per set of accepted types; `PHOTOS_AND_DOCUMENTS` is the one the visits'
attachments and the authorities' response evidence use. PDFs lose their document information
(author, creator, dates) and XMP metadata (`pdf`, with pikepdf); a PDF that cannot be opened is
refused.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from . import images, office, pdf
from .types import (
    DOCX,
    EXECUTABLE,
    EXECUTABLE_MAGIC,
    JPEG,
    PDF,
    PNG,
    WEBP,
    XLSX,
    CleanFile,
    FileType,
    Original,
    describe,
    refusal,
    safe_filename,
)

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
_IMAGES = {"image/jpeg": JPEG, "image/png": PNG, "image/apng": PNG, "image/webp": WEBP}


@dataclass(frozen=True)
class UploadCheck:
    """Which types are accepted, how that is said, and the setting holding the size limit."""

    accepted: tuple[FileType, ...]
    accepted_short: str | Promise  # added to a refusal: "Accepted: ..."
    help_text: str | Promise  # shown beside the file field
    max_bytes_setting: str = "VIGIL_ATTACHMENT_MAX_BYTES"

    def max_bytes(self) -> int:
        return int(getattr(settings, self.max_bytes_setting, DEFAULT_MAX_BYTES))

    @property
    def accept_attribute(self) -> str:
        """The file input's `accept`: the MIME types, and the extensions of the Office types
        (some systems know no MIME type for them)."""
        types = [t.content_type for t in self.accepted]
        types += [f".{t.extension}" for t in self.accepted if t.package_parts]
        return ",".join(types)

    def size_error(self, size: int) -> ValidationError | None:
        limit = self.max_bytes()
        if size > limit:
            return ValidationError(
                _("The file is too large (%(size)s); the largest accepted is %(limit)s.")
                % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
                code="too_large",
            )
        if size == 0:
            return ValidationError(_("The file is empty."), code="empty")
        return None

    def inspect(self, data: bytes, name: str) -> CleanFile:
        """Check bytes by their content and clean them; raises ValidationError saying why not.
        The clean file keeps what the original was (`Original`) for its chain of custody."""
        clean = self._inspect(data, name)
        captured_at = latitude = longitude = None
        if clean.type.is_image:
            captured_at, latitude, longitude = images.capture_facts(data)
        original = Original(
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
            captured_at=captured_at,
            latitude=latitude,
            longitude=longitude,
        )
        return replace(clean, original=original)

    def _inspect(self, data: bytes, name: str) -> CleanFile:
        problem = self.size_error(len(data))
        if problem is not None:
            raise problem
        if data.startswith(EXECUTABLE_MAGIC):
            raise self._refuse(name, EXECUTABLE)
        guess = filetype.guess(data)
        mime = guess.mime if guess is not None else ""
        if mime in _IMAGES:
            return self._image(data, _IMAGES[mime], name)
        if mime == PDF.content_type and data.startswith(b"%PDF-"):
            return self._pdf(data, name)
        if data.startswith(b"PK\x03\x04"):
            return self._package(data, name)
        raise self._refuse(name, describe(mime, data))

    def check(self, file: File, name: str | None = None) -> CleanFile:  # type: ignore[type-arg]
        """An uploaded file, read (an oversized one is refused before it is read whole),
        checked and cleaned under `name` (by default its own)."""
        name = name or file.name or ""
        if file.size is not None:
            problem = self.size_error(file.size)
            if problem is not None:
                raise problem
        file.seek(0)
        data = file.read()
        return self.inspect(data if isinstance(data, bytes) else data.encode(), name)

    def check_all(
        self,
        files: Sequence[File],  # type: ignore[type-arg]
        *,
        limit: int,
    ) -> list[CleanFile]:
        """Several uploads at once: at most `limit`, each checked; the refusals name their
        file ("minutes.pdf: This file is not a PDF document: ...")."""
        if len(files) > limit:
            raise ValidationError(
                ngettext("Attach at most %(limit)d file.", "Attach at most %(limit)d files.", limit)
                % {"limit": limit},
                code="too_many",
            )
        checked: list[CleanFile] = []
        errors: list[str] = []
        for file in files:
            try:
                checked.append(self.check(file))
            except ValidationError as exc:
                errors.extend(f"{file.name or ''}: {message}" for message in exc.messages)
        if errors:
            raise ValidationError(errors)
        return checked

    # ------------------------------------------------------------------------------ types

    def _refuse(self, name: str, actual: str | Promise) -> ValidationError:
        return refusal(name, actual, self.accepted_short)

    def _accept(self, data: bytes, kind: FileType, name: str) -> CleanFile:
        if kind not in self.accepted:
            raise self._refuse(name, kind.label)
        return CleanFile(data, kind, safe_filename(name, kind.extension))

    def _image(self, data: bytes, kind: FileType, name: str) -> CleanFile:
        if kind not in self.accepted:
            raise self._refuse(name, kind.label)
        pixels, target = images.reencode(data, transpose=True)
        return self._accept(pixels, target, name)

    def _pdf(self, data: bytes, name: str) -> CleanFile:
        if PDF not in self.accepted:
            raise self._refuse(name, PDF.label)
        return self._accept(pdf.clean(data), PDF, name)

    def _package(self, data: bytes, name: str) -> CleanFile:
        package, members = office.open_package(data)
        kind = office.package_type(members)
        if kind is None:
            raise self._refuse(name, describe(filetype.guess_mime(data) or "application/zip", data))
        if kind not in self.accepted:
            raise self._refuse(name, kind.label)
        return self._accept(office.clean_package(package, members), kind, name)


PHOTOS_AND_DOCUMENTS = UploadCheck(
    accepted=(JPEG, PNG, WEBP, PDF, DOCX, XLSX),
    accepted_short=gettext_lazy(
        "Accepted: photos as JPEG, PNG or WebP; documents as PDF, DOCX or XLSX."
    ),
    help_text=gettext_lazy(
        "Photos as JPEG, PNG or WebP; documents as PDF, Word (DOCX) or Excel (XLSX). "
        "The type is checked from the content, not from the name."
    ),
)
