"""Appeals from outside: the public status check and the machine accounts of terminal
operators and partner NGOs (`IntakePartner`).

- The status check tells only the public status (`PublicStatus`) of an appeal whose
  reference number and secret match; an unknown number and a wrong secret give the same
  answer (None) after the same work (`status_secret_matches` compares even with no appeal).
- A partner's token is shown once, when it is made or rotated, and kept only as its SHA-256
  and its first characters (to recognise it in a list). Each change is audited, never the
  token.
"""

import hashlib
import hmac
import secrets
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.audit.context import RequestContext
from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_record
from vigil.core.files.store import encrypted_file_store
from vigil.core.files.types import CleanFile
from vigil.reference.models import Region

from ..enums import AppealState, Channel, PublicStatus
from ..models import Appeal, AppealAttachment, IntakePartner
from .appeals import Appellant, appeal_submit, status_secret_matches

TOKEN_PREFIX_CHARS = 8
MAX_REFERENCE_CHARS = 24

_PUBLIC_STATUS: dict[str, PublicStatus] = {
    AppealState.RECEIVED: PublicStatus.RECEIVED,
    AppealState.REGISTERED: PublicStatus.IN_PROGRESS,
    AppealState.TRIAGED: PublicStatus.IN_PROGRESS,
    AppealState.IN_REVIEW: PublicStatus.IN_PROGRESS,
    AppealState.REFERRED: PublicStatus.REFERRED,
    AppealState.OUT_OF_MANDATE: PublicStatus.REFERRED,
    AppealState.EXPLAINED: PublicStatus.ANSWERED,
    AppealState.RESPONSE_RECEIVED: PublicStatus.ANSWERED,
    AppealState.CLOSED_RESOLVED: PublicStatus.CLOSED,
    AppealState.CLOSED_UNRESOLVED: PublicStatus.CLOSED,
}

PARTNER_CHANNELS: dict[str, tuple[str, ...]] = {
    IntakePartner.Kind.TERMINAL: (Channel.TERMINAL,),
    IntakePartner.Kind.NGO: (Channel.NGO,),
    IntakePartner.Kind.OTHER: (Channel.NGO, Channel.RELATIVE, Channel.LAWYER, Channel.LETTER),
}
"""The channels a partner may submit through, by its kind (the first is its default)."""


def public_status(appeal: Appeal) -> PublicStatus:
    """The one word the appellant sees. A merged appeal shows the state of the appeal it was
    merged into (the person's matter goes on there)."""
    state = appeal.state
    if state == AppealState.MERGED:
        target = appeal.duplicate_of
        state = target.state if target is not None else AppealState.CLOSED_RESOLVED
    return _PUBLIC_STATUS.get(state, PublicStatus.IN_PROGRESS)


def public_status_explanation(status: str) -> str:
    """A plain sentence under the status word."""
    texts = {
        PublicStatus.RECEIVED: _(
            "Your appeal has arrived. Staff of the Commissioner's office register it within "
            "one working day."
        ),
        PublicStatus.IN_PROGRESS: _(
            "Your appeal is registered and staff are examining it. You will get an answer "
            "within the time limit."
        ),
        PublicStatus.REFERRED: _(
            "Your appeal was passed to the body that can act on it (for example a "
            "prosecutor's office), with only what you agreed to pass on."
        ),
        PublicStatus.ANSWERED: _("An answer was given or sent to you."),
        PublicStatus.CLOSED: _("The work on your appeal is finished."),
    }
    return texts.get(PublicStatus(status), "")


def public_regions() -> QuerySet[Region]:
    """The regions a person may choose on the public form: those valid today."""
    today = timezone.localdate()
    return Region.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=today)).order_by("code")


def reference_normal(reference: str) -> str:
    """ "a-2026-00042 " → "A-2026-00042" (case and spaces as a person types them)."""
    return "".join((reference or "").split()).upper()[:MAX_REFERENCE_CHARS]


def appeal_status_check(*, reference: str, secret: str) -> PublicStatus | None:
    """The public status of the appeal with this number and secret; None for an unknown
    number and for a wrong secret alike (same queries, same comparison)."""
    appeal = (
        Appeal.objects.select_related("duplicate_of")
        .filter(reference=reference_normal(reference))
        .first()
    )
    if not status_secret_matches(appeal, secret) or appeal is None:
        return None
    return public_status(appeal)


@transaction.atomic
def public_appeal_submit(
    *,
    data: Mapping[str, Any],
    content: str,
    appellant: Appellant,
    files: Sequence[CleanFile] = (),
    context: RequestContext | None = None,
) -> tuple[Appeal, str]:
    """An appeal from the public form, with the files sent along (already through the
    upload check, named neutrally: a file's own name may name the person); stored encrypted
    in the same transaction. Returns the appeal and its status-check secret."""
    appeal, secret, _created = appeal_submit(
        channel=Channel.WEB_FORM, data=data, content=content, appellant=appellant, context=context
    )
    for clean in files:
        attachment = AppealAttachment(appeal=appeal)
        encrypted_file_store(attachment, clean)
        attachment.save()
    return appeal, secret


# --- partners -------------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _token_new() -> str:
    return "vgi_" + secrets.token_urlsafe(32)


def _partner_audit_data(partner: IntakePartner, change: str) -> dict[str, object]:
    return {
        "name": partner.name,
        "kind": partner.kind,
        "active": partner.active,
        "token_prefix": partner.token_prefix,
        "change": change,
    }


@transaction.atomic
def intake_partner_create(
    *, name: str, kind: str, context: RequestContext | None = None
) -> tuple[IntakePartner, str]:
    """A new machine account; returns it and its token (shown once, never stored)."""
    token = _token_new()
    partner = IntakePartner(
        name=name.strip(),
        kind=kind,
        token_hash=_token_hash(token),
        token_prefix=token[:TOKEN_PREFIX_CHARS],
    )
    partner.full_clean()
    partner.save()
    audit_record(
        actor=None,
        action=AuditAction.INTAKE_PARTNER_CREATED,
        target=partner,
        data=_partner_audit_data(partner, "created"),
        context=context,
    )
    return partner, token


def _locked(name: str) -> IntakePartner:
    partner = IntakePartner.objects.select_for_update().filter(name=name.strip()).first()
    if partner is None:
        raise ValidationError(
            {"name": _("No intake partner is called “%(name)s”.") % {"name": name}}
        )
    return partner


@transaction.atomic
def intake_partner_rotate(
    *, name: str, context: RequestContext | None = None
) -> tuple[IntakePartner, str]:
    """A new token for the partner (the old one stops working at once); active again."""
    partner = _locked(name)
    token = _token_new()
    partner.token_hash = _token_hash(token)
    partner.token_prefix = token[:TOKEN_PREFIX_CHARS]
    partner.active = True
    partner.save(update_fields=("token_hash", "token_prefix", "active", "updated_at"))
    audit_record(
        actor=None,
        action=AuditAction.INTAKE_PARTNER_UPDATED,
        target=partner,
        data=_partner_audit_data(partner, "rotated"),
        context=context,
    )
    return partner, token


@transaction.atomic
def intake_partner_revoke(*, name: str, context: RequestContext | None = None) -> IntakePartner:
    """The partner's token stops working (the account and its appeals stay)."""
    partner = _locked(name)
    partner.active = False
    partner.save(update_fields=("active", "updated_at"))
    audit_record(
        actor=None,
        action=AuditAction.INTAKE_PARTNER_UPDATED,
        target=partner,
        data=_partner_audit_data(partner, "revoked"),
        context=context,
    )
    return partner


def intake_partner_by_token(token: str) -> IntakePartner | None:
    """The active partner holding `token` (looked up by its hash, compared in constant time)."""
    if not token:
        return None
    digest = _token_hash(token)
    partner = IntakePartner.objects.filter(token_hash=digest, active=True).first()
    if partner is None or not hmac.compare_digest(partner.token_hash, digest):
        return None
    return partner


def intake_partner_touch(partner: IntakePartner) -> None:
    """Note the partner's last use (no audit row: each submission has its own)."""
    now = timezone.now()
    IntakePartner.objects.filter(pk=partner.pk).update(last_used_at=now)
    partner.last_used_at = now
