"""Retention and legal holds on appeals.

- A closed appeal is kept `VIGIL_RETENTION_APPEAL_YEARS` after it was closed; then what the
  appellant wrote is erased (replaced by an empty text, sealed as before), the sealed identity
  and the public status check's secret are removed. The row stays (channel, subject,
  allegations, institution, dates, outcome) so that statistics and history still add up.
- An appeal's files are kept `VIGIL_RETENTION_FILE_YEARS` after it was closed; then the file
  and its blob are removed, a tombstone keeps its hash, size and type.
- A legal hold on the appeal keeps it and its files; one on a file keeps that file.
"""

import datetime
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.core.crypto import keyring
from vigil.core.files.store import encrypted_file_delete
from vigil.core.models import LegalHold
from vigil.core.retention import (
    RetentionRule,
    is_held,
    legal_hold_change,
    years_after,
    years_before,
)

from ..enums import CLOSED_APPEAL_STATES
from ..models import Appeal, AppealAttachment, AppealIdentity, FollowUpContact
from ..permissions import can_hold_appeal
from .appeals import content_associated_data


def appeal_hold_change(
    *,
    actor: User,
    appeal: Appeal,
    place: bool,
    reason: str,
    context: RequestContext | None = None,
) -> LegalHold:
    """Place (or lift) a legal hold on an appeal and its files; audited."""
    return legal_hold_change(
        actor=actor,
        target=appeal,
        place=place,
        reason=reason,
        allowed=can_hold_appeal(actor, appeal),
        context=context,
    )


def _appeal_years() -> int:
    return int(settings.VIGIL_RETENTION_APPEAL_YEARS)


def _file_years() -> int:
    return int(settings.VIGIL_RETENTION_FILE_YEARS)


def _closed(years: int, today: datetime.date) -> models.Q:
    return models.Q(state__in=CLOSED_APPEAL_STATES, closed_on__lte=years_before(today, years))


def _closed_on(appeal: Appeal) -> datetime.date:
    assert appeal.closed_on is not None  # only closed appeals expire  # noqa: S101
    return appeal.closed_on


def _appeal_dispose(appeal: Appeal) -> Mapping[str, Any]:
    ring = keyring()
    appeal.content_ciphertext = ring.encrypt(b"", content_associated_data(appeal))
    appeal.content_key_version = ring.current_version
    appeal.status_secret_hash = ""
    appeal.save(update_fields=["content_ciphertext", "content_key_version", "status_secret_hash"])
    identity_removed, _counts = AppealIdentity.objects.filter(appeal=appeal).delete()
    FollowUpContact.objects.filter(appeal=appeal).update(note_ciphertext=b"")
    return {
        "reference": appeal.reference,
        "state": appeal.state,
        "closed_on": _closed_on(appeal).isoformat(),
        "identity_removed": bool(identity_removed),
    }


APPEAL_RULE = RetentionRule(
    kind="appeal",
    label=gettext_lazy("closed appeals' content and sealed identities"),
    describe=lambda: (
        _("appeals: content and identity %(years)s years after closure")
        % {"years": _appeal_years()}
    ),
    expired=lambda today: Appeal.objects.filter(_closed(_appeal_years(), today)),
    expired_on=lambda appeal: years_after(_closed_on(appeal), _appeal_years()),
    held=lambda appeal: is_held(appeal),
    dispose=_appeal_dispose,
)


def _files_expired(today: datetime.date) -> models.QuerySet[AppealAttachment]:
    closed = Appeal.objects.filter(_closed(_file_years(), today))
    return AppealAttachment.objects.filter(appeal__in=closed).select_related("appeal")


def _file_dispose(file: AppealAttachment) -> Mapping[str, Any]:
    facts = {
        "appeal": file.appeal.reference,
        "content_type": file.content_type,
        "size": file.size,
        "sha256": file.sha256,
    }
    encrypted_file_delete(file)
    return facts


APPEAL_FILE_RULE = RetentionRule(
    kind="appeal_file",
    label=gettext_lazy("appeal files"),
    describe=lambda: (
        _("appeal files: %(years)s years after the appeal was closed") % {"years": _file_years()}
    ),
    expired=_files_expired,
    expired_on=lambda file: years_after(_closed_on(file.appeal), _file_years()),
    held=lambda file: is_held(file, file.appeal),
    dispose=_file_dispose,
    owner=lambda file: file.appeal,
)
