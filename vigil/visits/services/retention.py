"""Retention, legal holds and the chain of custody on visits.

- Interviews' content is kept `VIGIL_RETENTION_INTERVIEW_YEARS` after the interview; then the
  encrypted content is erased (replaced by an empty text, sealed as before), the sealed
  identity and the names of those present are removed. The row stays (category, flags,
  consent) so that statistics and history still add up.
- A visit's files are kept `VIGIL_RETENTION_FILE_YEARS` after the visit ended; then the file
  and its blob are removed (its chain of custody with it), a tombstone keeps its hash, size
  and type.
- A legal hold on the visit keeps its interviews and files; one on a file keeps that file.
- A file's sealed chain of custody is read with a reason (logged first) and can check a
  candidate original by its SHA-256.
"""

import datetime
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.core.crypto import keyring
from vigil.core.files.custody import CustodyRecord, custody_matches, custody_reveal
from vigil.core.files.store import encrypted_file_delete
from vigil.core.models import LegalHold
from vigil.core.retention import (
    RetentionRule,
    is_held,
    legal_hold_change,
    years_after,
    years_before,
)
from vigil.core.sealing import MAX_REASON_CHARS

from ..models import Attachment, AttachmentCustody, Interview, SealedIdentity, Visit
from ..permissions import can_hold_attachment, can_hold_visit, can_read_custody
from .attachments import custody_associated_data
from .interviews import content_associated_data

# ------------------------------------------------------------------------------ legal holds


def visit_hold_change(
    *,
    actor: User,
    visit: Visit,
    place: bool,
    reason: str,
    context: RequestContext | None = None,
) -> LegalHold:
    """Place (or lift) a legal hold on a visit, its interviews and files; audited."""
    return legal_hold_change(
        actor=actor,
        target=visit,
        place=place,
        reason=reason,
        allowed=can_hold_visit(actor, visit),
        context=context,
    )


def attachment_hold_change(
    *,
    actor: User,
    attachment: Attachment,
    place: bool,
    reason: str,
    context: RequestContext | None = None,
) -> LegalHold:
    """Place (or lift) a legal hold on one file; audited."""
    return legal_hold_change(
        actor=actor,
        target=attachment,
        place=place,
        reason=reason,
        allowed=can_hold_attachment(actor, attachment),
        context=context,
    )


# ------------------------------------------------------------------------------ custody


def _custody_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why you need the custody record: it is logged.")})
    if len(reason) > MAX_REASON_CHARS:
        raise ValidationError(
            {"reason": _("Keep this under %(limit)s characters.") % {"limit": MAX_REASON_CHARS}}
        )
    return reason


def attachment_custody_reveal(
    *,
    actor: User,
    attachment: Attachment,
    reason: str,
    candidate: bytes | None = None,
    context: RequestContext | None = None,
) -> tuple[CustodyRecord, bool | None]:
    """The file's chain of custody, for a logged reason; with a `candidate` file, whether it
    is the original (None without one)."""
    if not can_read_custody(actor, attachment):
        raise PermissionDenied(_("You may not read this custody record."))
    reason = _custody_reason(reason)
    sealed = AttachmentCustody.objects.filter(attachment=attachment).first()
    if sealed is None:
        raise ValidationError({"reason": _("No custody record was kept for this file.")})
    record = custody_reveal(
        sealed,
        associated_data=custody_associated_data(attachment),
        actor=actor,
        target=attachment,
        reason=reason,
        context=context,
    )
    return record, None if candidate is None else custody_matches(record, candidate)


# ------------------------------------------------------------------------------ retention


def _interview_years() -> int:
    return int(settings.VIGIL_RETENTION_INTERVIEW_YEARS)


def _file_years() -> int:
    return int(settings.VIGIL_RETENTION_FILE_YEARS)


def _interviews_expired(today: datetime.date) -> models.QuerySet[Interview]:
    return Interview.objects.filter(conducted_on__lte=years_before(today, _interview_years()))


def _interview_dispose(interview: Interview) -> Mapping[str, Any]:
    ring = keyring()
    interview.content_ciphertext = ring.encrypt(b"", content_associated_data(interview))
    interview.content_key_version = ring.current_version
    interview.present_ciphertext = b""
    interview.save(
        update_fields=["content_ciphertext", "content_key_version", "present_ciphertext"]
    )
    identity_removed, _counts = SealedIdentity.objects.filter(interview=interview).delete()
    return {
        "visit": str(interview.visit.public_id),
        "conducted_on": interview.conducted_on.isoformat(),
        "category": interview.category,
        "identity_removed": bool(identity_removed),
    }


INTERVIEW_RULE = RetentionRule(
    kind="interview",
    label=gettext_lazy("interviews' content and sealed identities"),
    describe=lambda: (
        _("interviews: content and identity %(years)s years after the interview")
        % {"years": _interview_years()}
    ),
    expired=_interviews_expired,
    expired_on=lambda interview: years_after(interview.conducted_on, _interview_years()),
    held=lambda interview: is_held(interview.visit),
    dispose=_interview_dispose,
    owner=lambda interview: interview.visit,
)


def _files_expired(today: datetime.date) -> models.QuerySet[Attachment]:
    cutoff = years_before(today, _file_years())
    return Attachment.objects.filter(visit__ended_at__date__lte=cutoff).select_related("visit")


def _file_dispose(attachment: Attachment) -> Mapping[str, Any]:
    facts = {
        "visit": str(attachment.visit.public_id),
        "kind": attachment.kind,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
    }
    encrypted_file_delete(attachment)
    return facts


def _visit_end(attachment: Attachment) -> datetime.date:
    ended = attachment.visit.ended_at
    assert ended is not None  # only files of ended visits expire  # noqa: S101
    return years_after(timezone.localdate(ended), _file_years())


VISIT_FILE_RULE = RetentionRule(
    kind="visit_file",
    label=gettext_lazy("visit files (photos and documents)"),
    describe=lambda: (
        _("visit files: %(years)s years after the visit ended") % {"years": _file_years()}
    ),
    expired=_files_expired,
    expired_on=_visit_end,
    held=lambda attachment: is_held(attachment, attachment.visit),
    dispose=_file_dispose,
    owner=lambda attachment: attachment.visit,
)
