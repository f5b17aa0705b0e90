"""Photos and documents on a visit, a finding or an interview.

An upload is checked by its content (`vigil.visits.uploads`), photos are re-encoded without
any metadata, and the cleaned bytes are stored encrypted (AES-256-GCM, associated data naming
the attachment) in the default storage under a random name that says nothing about the file.
Reading the file back (`attachment_read`) is permission-checked and logged as an AccessEvent.
"""

import hashlib
import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.audit.enums import AccessKind, AuditAction
from vigil.audit.services import access_record, audit_record
from vigil.core.crypto import keyring

from ..models import Attachment, Finding, Interview, Visit
from ..permissions import (
    can_delete_attachment,
    can_download_attachment,
    can_upload_attachment,
    can_view_visit,
)
from ..uploads import inspect_upload, size_error

STORAGE_DIR = "attachments"
MAX_DESCRIPTION_CHARS = 300


def associated_data(attachment: Attachment) -> bytes:
    return f"visits.attachment:{attachment.public_id}".encode()


def _read_upload(file: File) -> bytes:  # type: ignore[type-arg]
    """The upload's bytes, refusing an oversized one before reading it whole."""
    size = file.size if file.size is not None else None
    if size is not None:
        problem = size_error(size)
        if problem is not None:
            raise ValidationError({"file": problem.messages})
    file.seek(0)
    data = file.read()
    return data if isinstance(data, bytes) else data.encode()


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
    data = _read_upload(file)
    try:
        clean = inspect_upload(data, name or file.name or "")
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    ring = keyring()
    attachment = Attachment(
        visit=visit,
        finding=finding,
        interview=interview,
        kind=clean.kind,
        description=description,
        original_name=clean.name,
        content_type=clean.content_type,
        size=len(clean.data),
        sha256=hashlib.sha256(clean.data).hexdigest(),
        key_version=ring.current_version,
        uploaded_by=actor,
    )
    blob = ring.encrypt(clean.data, associated_data(attachment))
    attachment.storage_name = f"{STORAGE_DIR}/{secrets.token_hex(20)}"
    attachment.full_clean(exclude=["storage_name"])
    stored = default_storage.save(attachment.storage_name, ContentFile(blob))
    try:
        attachment.storage_name = stored
        attachment.save()
        audit_record(
            actor=actor,
            action=AuditAction.ATTACHMENT_UPLOADED,
            target=attachment,
            data={
                "visit": str(visit.public_id),
                "finding": str(finding.public_id) if finding else None,
                "interview": str(interview.public_id) if interview else None,
                "kind": clean.kind.value,
                "content_type": clean.content_type,
                "size": attachment.size,
                "sha256": attachment.sha256,
            },
            context=context,
        )
    except BaseException:
        default_storage.delete(stored)
        raise
    return attachment


@dataclass(frozen=True)
class AttachmentContent:
    attachment: Attachment
    data: bytes

    @property
    def filename(self) -> str:
        return self.attachment.original_name

    @property
    def content_type(self) -> str:
        return self.attachment.content_type


@transaction.atomic
def attachment_read(
    *, actor: User, attachment: Attachment, context: RequestContext | None = None
) -> AttachmentContent:
    """The decrypted file, for someone who may download it; each read is logged."""
    if not can_download_attachment(actor, attachment):
        raise PermissionDenied(_("You may not download this file."))
    with default_storage.open(attachment.storage_name, "rb") as handle:
        blob = handle.read()
    data = keyring().decrypt(blob, associated_data(attachment))
    access_record(
        actor=actor, kind=AccessKind.ATTACHMENT_DOWNLOADED, target=attachment, context=context
    )
    return AttachmentContent(attachment, data)


@transaction.atomic
def attachment_delete(
    *, actor: User, attachment: Attachment, context: RequestContext | None = None
) -> None:
    """Remove a file and its stored bytes (after the transaction commits); audited."""
    if not can_delete_attachment(actor, attachment):
        raise PermissionDenied(_("You may not remove this file."))
    storage_name = attachment.storage_name
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
    attachment.delete()
    transaction.on_commit(lambda: default_storage.delete(storage_name))
