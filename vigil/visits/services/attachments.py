"""Photos and documents on a visit, a finding or an interview.

An upload is checked by its content and cleaned (`vigil.core.files.check`: photos re-encoded
without any metadata), then stored encrypted by the core file store (`vigil.core.files.store`:
AES-256-GCM, associated data naming the attachment, a random name that says nothing about the
file; a rolled-back transaction leaves no file). Reading the file back (`attachment_read`) is
permission-checked and logged as an AccessEvent.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.audit.enums import AccessKind, AuditAction
from vigil.audit.services import audit_record
from vigil.core.files.check import PHOTOS_AND_DOCUMENTS
from vigil.core.files.custody import custody_seal
from vigil.core.files.store import (
    FileContent,
    encrypted_file_delete,
    encrypted_file_read,
    encrypted_file_store,
)
from vigil.core.files.types import Original

from ..enums import AttachmentKind
from ..models import Attachment, AttachmentCustody, Finding, Interview, Visit
from ..permissions import (
    can_delete_attachment,
    can_download_attachment,
    can_upload_attachment,
    can_view_visit,
)

UPLOAD_CHECK = PHOTOS_AND_DOCUMENTS
MAX_DESCRIPTION_CHARS = 300


@transaction.atomic
def attachment_upload(
    *,
    actor: User,
    visit: Visit,
    file: File,  # type: ignore[type-arg]
    name: str = "",
    description: str = "",
    finding: Finding | None = None,
    interview: Interview | None = None,
    context: RequestContext | None = None,
) -> Attachment:
    """Check, clean, encrypt and store an uploaded file; audited."""
    if not can_view_visit(actor, visit):
        raise PermissionDenied
    if finding is not None and finding.visit_id != visit.pk:
        raise ValidationError({"finding": _("This finding belongs to another visit.")})
    if interview is not None and interview.visit_id != visit.pk:
        raise ValidationError({"interview": _("This interview belongs to another visit.")})
    if finding is not None and interview is not None:
        raise ValidationError(
            {"interview": _("Attach the file to a finding or to an interview, not both.")}
        )
    if not can_upload_attachment(actor, visit, interview):
        raise PermissionDenied(_("You may not add files to this visit."))
    description = (description or "").strip()
    if len(description) > MAX_DESCRIPTION_CHARS:
        raise ValidationError(
            {
                "description": _("Keep this under %(limit)s characters.")
                % {"limit": MAX_DESCRIPTION_CHARS}
            }
        )
    try:
        clean = UPLOAD_CHECK.check(file, name=name)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    kind = AttachmentKind.PHOTO if clean.type.is_image else AttachmentKind.DOCUMENT
    attachment = Attachment(
        visit=visit,
        finding=finding,
        interview=interview,
        kind=kind,
        description=description,
        uploaded_by=actor,
    )
    encrypted_file_store(attachment, clean)
    attachment.full_clean()
    attachment.save()
    _custody_keep(attachment, clean.original, actor)
    audit_record(
        actor=actor,
        action=AuditAction.ATTACHMENT_UPLOADED,
        target=attachment,
        data={
            "visit": str(visit.public_id),
            "finding": str(finding.public_id) if finding else None,
            "interview": str(interview.public_id) if interview else None,
            "kind": kind.value,
            "content_type": clean.content_type,
            "size": attachment.size,
            "sha256": attachment.sha256,
        },
        context=context,
    )
    return attachment


def custody_associated_data(attachment: Attachment) -> bytes:
    return f"visits.attachmentcustody:{attachment.public_id}".encode()


def _custody_keep(attachment: Attachment, original: Original | None, actor: User) -> None:
    """Seal what the original file was, who uploaded it and when."""
    if original is None:
        return
    blob, version = custody_seal(
        original,
        uploaded_by=actor.email,
        uploaded_at=attachment.created_at,
        associated_data=custody_associated_data(attachment),
    )
    AttachmentCustody.objects.create(attachment=attachment, ciphertext=blob, key_version=version)


def attachment_read(
    *, actor: User, attachment: Attachment, context: RequestContext | None = None
) -> FileContent:
    """The decrypted file, for someone who may download it; each read is logged first."""
    if not can_download_attachment(actor, attachment):
        raise PermissionDenied(_("You may not download this file."))
    return encrypted_file_read(
        actor=actor, file=attachment, access_kind=AccessKind.ATTACHMENT_DOWNLOADED, context=context
    )


@transaction.atomic
def attachment_delete(
    *, actor: User, attachment: Attachment, context: RequestContext | None = None
) -> None:
    """Remove a file and its stored bytes (after the transaction commits); audited."""
    if not can_delete_attachment(actor, attachment):
        raise PermissionDenied(_("You may not remove this file."))
    audit_record(
        actor=actor,
        action=AuditAction.ATTACHMENT_DELETED,
        target=attachment,
        data={
            "visit": str(attachment.visit.public_id),
            "content_type": attachment.content_type,
            "size": attachment.size,
            "sha256": attachment.sha256,
        },
        context=context,
    )
    encrypted_file_delete(attachment)
