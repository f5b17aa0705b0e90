"""PDF documents cleaned of their metadata with pikepdf: the document information dictionary
(author, creator, producer, dates, title) and the XMP metadata stream are removed; the pages
stay as they are. A PDF that cannot be opened (damaged, or locked by a password) is refused."""

import io

import pikepdf
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .types import damaged_document


def clean(data: bytes) -> bytes:
    """The PDF without its document information dictionary and its XMP metadata."""
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if "/Info" in pdf.trailer:
                del pdf.trailer["/Info"]
            if "/Metadata" in pdf.Root:
                del pdf.Root["/Metadata"]
            out = io.BytesIO()
            # No `/ID` carried over from the source and no encryption kept.
            pdf.save(out, deterministic_id=True, encryption=False)
    except pikepdf.PasswordError as exc:
        raise ValidationError(
            _("This PDF is locked by a password: upload it without the password."),
            code="locked",
        ) from exc
    except pikepdf.PdfError as exc:
        raise damaged_document() from exc
    return out.getvalue()
