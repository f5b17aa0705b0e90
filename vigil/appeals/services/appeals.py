"""Appeals coming in: registered by staff (letter, hotline, e-government, during a visit...)
or submitted from outside (the public form, a terminal or a partner NGO), and read.

One path builds every appeal: `appeal_seal` encrypts what the appellant wrote (AES-GCM, bound
to the appeal) and seals the appellant's name and contact apart with the keyed fingerprint of
the name; `_appeal_save` writes one appeal with it, `appeals_bulk_create` many (the historical
import, through `appeal_draft_errors` first). The audit row never holds either. Reads of the content and
unseals of the identity write their access event first (`vigil.core.sealing`).
"""

import datetime
import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.audit.enums import AccessKind, AuditAction
from vigil.audit.services import audit_record
from vigil.core.crypto import keyring
from vigil.core.reveal import reveal_logged
from vigil.core.sealing import (
    MAX_IDENTITY_CHARS,
    identity_fingerprint,
    identity_reveal,
    identity_seal,
    unseal_reason_clean,
)
from vigil.registry.models import Institution
from vigil.visits.models import Interview, Visit

from ..deadlines import answer_due
from ..enums import AppealState, Channel, Disclosure, EventKind, Urgency
from ..models import AllegationType, Appeal, AppealIdentity, AppealSubject, IntakePartner
from ..permissions import (
    can_read_appeal_content,
    can_register_appeal,
    can_register_appeal_from_visit,
    can_unseal_appellant,
)
from ..timeline import record_event
from .numbering import allocate_references, save_with_reference

MAX_CONTENT_CHARS = 20_000
BATCH_SIZE = 500
# Checked by whoever builds appeals in bulk (the references come from its own lookups).
REFERENCE_FIELDS = (
    "subject",
    "institution",
    "region",
    "visit",
    "interview",
    "assigned_to",
    "registered_by",
    "duplicate_of",
    "intake_partner",
)
# No 0/O or 1/I: the secret is read aloud and written down.
SECRET_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105 (an alphabet, not a secret)
SECRET_GROUPS = 3
SECRET_GROUP_CHARS = 4

# The metadata a caller may set; content and identity go through their own arguments.
APPEAL_FIELDS = (
    "subject",
    "urgency",
    "institution",
    "institution_text",
    "region",
    "summary",
    "consent_scopes",
    "consent_contact",
    "reprisal_risk",
    "anonymous",
)


@dataclass(frozen=True)
class Appellant:
    """Who wrote: sealed apart from the appeal, never in a log."""

    name: str = ""
    contact: str = ""

    @property
    def blank(self) -> bool:
        return not (self.name.strip() or self.contact.strip())

    def sealed_text(self) -> str:
        return json.dumps(
            {"name": self.name.strip(), "contact": self.contact.strip()}, ensure_ascii=False
        )

    @classmethod
    def from_sealed(cls, text: str) -> "Appellant":
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            return cls(name=text)
        return cls(name=str(data.get("name") or ""), contact=str(data.get("contact") or ""))


def content_associated_data(appeal: Appeal) -> bytes:
    return f"appeals.appeal:{appeal.public_id}:content".encode()


def identity_associated_data(appeal: Appeal) -> bytes:
    return f"appeals.appealidentity:{appeal.public_id}".encode()


def status_secret_new() -> str:
    """A secret the appellant writes down: "K7QF-M2XR-9PLA" (60 bits)."""
    groups = (
        "".join(secrets.choice(SECRET_ALPHABET) for _ in range(SECRET_GROUP_CHARS))
        for _ in range(SECRET_GROUPS)
    )
    return "-".join(groups)


def _secret_normal(secret: str) -> str:
    return "".join(ch for ch in (secret or "").upper() if ch.isalnum())


def status_secret_hash(secret: str) -> str:
    return hashlib.sha256(_secret_normal(secret).encode()).hexdigest()


def status_secret_matches(appeal: Appeal | None, secret: str) -> bool:
    """Whether `secret` opens `appeal`'s status; compared in constant time, and computed even
    for no appeal, so an unknown number and a wrong secret take the same time."""
    expected = appeal.status_secret_hash if appeal is not None else "0" * 64
    return hmac.compare_digest(status_secret_hash(secret), expected or "x") and appeal is not None


def _validate(appeal: Appeal, *, content: str, appellant: Appellant, bulk: bool = False) -> None:
    """Raise ValidationError by field. `bulk`: without a query (no reference or uniqueness
    check), for `appeals_bulk_create`'s callers, who looked their references up."""
    errors: dict[str, list[str]] = {}
    if not content.strip():
        errors["content"] = [_("Write what happened.")]
    elif len(content) > MAX_CONTENT_CHARS:
        errors["content"] = [
            _("Keep this under %(limit)s characters.") % {"limit": MAX_CONTENT_CHARS}
        ]
    if len(appellant.sealed_text()) > MAX_IDENTITY_CHARS:
        errors["name"] = [
            _("Keep the name and contact under %(limit)s characters.")
            % {"limit": MAX_IDENTITY_CHARS}
        ]
    if appeal.anonymous and not appellant.blank:
        errors["anonymous"] = [_("An anonymous appeal has no name or contact.")]
    unknown = set(appeal.consent_scopes or []) - set(Disclosure.values)
    if unknown:
        errors["consent_scopes"] = [
            _("Unknown kind of disclosure: %(kinds)s.") % {"kinds": ", ".join(sorted(unknown))}
        ]
    try:
        appeal.full_clean(
            exclude=(
                "reference",
                "content_ciphertext",
                "content_key_version",
                "status_secret_hash",
                *(REFERENCE_FIELDS if bulk else ()),
            ),
            validate_unique=not bulk,
            validate_constraints=not bulk,
        )
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def appeal_seal(appeal: Appeal, *, content: str, appellant: Appellant) -> AppealIdentity | None:
    """Encrypt what the appellant wrote onto `appeal` and build its sealed identity (unsaved;
    None when there is neither a name nor a contact). `appeal` needs its public id only."""
    ring = keyring()
    appeal.content_ciphertext = ring.encrypt(
        content.encode("utf-8"), content_associated_data(appeal)
    )
    appeal.content_key_version = ring.current_version
    if appellant.blank:
        return None
    blob, version = identity_seal(
        appellant.sealed_text(), associated_data=identity_associated_data(appeal)
    )
    return AppealIdentity(
        appeal=appeal,
        ciphertext=blob,
        key_version=version,
        fingerprint=identity_fingerprint(appellant.name),
    )


def _appeal_save(
    appeal: Appeal,
    *,
    content: str,
    appellant: Appellant,
    allegations: list[AllegationType] | None,
    received_on: datetime.date,
) -> Appeal:
    """Validate, encrypt the content, number and insert the appeal, seal the appellant."""
    appeal.reference = "pending"
    _validate(appeal, content=content, appellant=appellant)
    identity = appeal_seal(appeal, content=content, appellant=appellant)
    save_with_reference(appeal, "A", received_on)
    if allegations:
        appeal.allegation_types.set(allegations)
    if identity is not None:
        identity.appeal = appeal
        identity.save(force_insert=True)
    return appeal


@dataclass
class AppealDraft:
    """An appeal to create in bulk: the unsaved appeal (its metadata, state and dates), what
    the appellant wrote, who wrote it and the allegations."""

    appeal: Appeal
    content: str
    appellant: Appellant = field(default_factory=Appellant)
    allegations: Sequence[AllegationType] = ()


def appeal_draft_errors(draft: AppealDraft) -> dict[str, list[str]]:
    """What `appeals_bulk_create` would refuse in `draft`, by field; checked without a query
    (the caller looked up its subject, institution and region)."""
    draft.appeal.reference = "pending"
    try:
        _validate(draft.appeal, content=draft.content, appellant=draft.appellant, bulk=True)
    except ValidationError as exc:
        return exc.message_dict
    return {}


@transaction.atomic
def appeals_bulk_create(drafts: Sequence[AppealDraft]) -> list[Appeal]:
    """Insert drafts checked by `appeal_draft_errors`, in bulk: numbered by the year they
    were received, content encrypted, appellants sealed, allegations linked. The caller keeps
    their timeline events and the audit row (one per batch)."""
    take = allocate_references(Appeal, "A", (d.appeal.received_on.year for d in drafts))
    identities: list[AppealIdentity] = []
    for draft in drafts:
        draft.appeal.reference = take(draft.appeal.received_on.year)
        identity = appeal_seal(draft.appeal, content=draft.content, appellant=draft.appellant)
        if identity is not None:
            identities.append(identity)
    appeals = Appeal.objects.bulk_create([d.appeal for d in drafts], batch_size=BATCH_SIZE)
    for identity in identities:
        identity.appeal_id = identity.appeal.pk
    AppealIdentity.objects.bulk_create(identities, batch_size=BATCH_SIZE)
    through = Appeal.allegation_types.through
    through.objects.bulk_create(
        [
            through(appeal_id=d.appeal.pk, allegationtype_id=allegation.pk)
            for d in drafts
            for allegation in dict.fromkeys(d.allegations)
        ],
        batch_size=BATCH_SIZE,
    )
    return appeals


def _metadata(data: Mapping[str, Any]) -> dict[str, Any]:
    values = {k: v for k, v in data.items() if k in APPEAL_FIELDS}
    values.setdefault("urgency", Urgency.ROUTINE)
    values["consent_scopes"] = list(dict.fromkeys(values.get("consent_scopes") or []))
    institution = values.get("institution")
    if isinstance(institution, Institution) and not values.get("region"):
        values["region"] = institution.region
    return values


def _audit_data(appeal: Appeal, appellant: Appellant) -> dict[str, Any]:
    """What the audit row keeps: no content, no name, no contact."""
    return {
        "reference": appeal.reference,
        "channel": appeal.channel,
        "state": appeal.state,
        "institution": str(appeal.institution.public_id) if appeal.institution else None,
        "identity_sealed": not appellant.blank,
    }


@transaction.atomic
def appeal_register(
    *,
    actor: User,
    channel: str,
    data: Mapping[str, Any],
    content: str,
    appellant: Appellant | None = None,
    allegations: list[AllegationType] | None = None,
    received_on: datetime.date | None = None,
    visit: Visit | None = None,
    interview: Interview | None = None,
    context: RequestContext | None = None,
) -> Appeal:
    """Staff register an appeal (in state REGISTERED, answer due from today); monitors
    register one received during their visit (channel "during a visit")."""
    if visit is not None:
        if not can_register_appeal_from_visit(actor, visit):
            raise PermissionDenied
        channel = Channel.VISIT
        if interview is not None and interview.visit_id != visit.pk:
            raise ValidationError({"interview": _("This interview is not of this visit.")})
    elif not can_register_appeal(actor) or channel == Channel.VISIT:
        raise PermissionDenied
    appellant = appellant or Appellant()
    today = timezone.localdate()
    received_on = received_on or today
    if received_on > today:
        raise ValidationError({"received_on": _("The appeal cannot be received in the future.")})
    values = _metadata(data)
    if channel == Channel.ANONYMOUS:
        values["anonymous"] = True
    appeal = Appeal(
        channel=channel,
        state=AppealState.REGISTERED,
        received_on=received_on,
        registered_on=today,
        due_on=answer_due(today),
        registered_by=actor,
        visit=visit,
        interview=interview,
        **values,
    )
    if visit is not None and appeal.institution is None and visit.institutions.count() == 1:
        appeal.institution = visit.institutions.get()
        appeal.region = appeal.region or appeal.institution.region
    if visit is not None and appeal.region is None:
        appeal.region = visit.region
    _appeal_save(
        appeal,
        content=content,
        appellant=appellant,
        allegations=allegations,
        received_on=received_on,
    )
    record_event(
        appeal, EventKind.CREATED, actor=actor, to_state=appeal.state, data={"channel": channel}
    )
    audit_record(
        actor=actor,
        action=AuditAction.APPEAL_CREATED,
        target=appeal,
        data=_audit_data(appeal, appellant),
        context=context,
    )
    return appeal


@transaction.atomic
def appeal_submit(
    *,
    channel: str,
    data: Mapping[str, Any],
    content: str,
    appellant: Appellant | None = None,
    allegations: list[AllegationType] | None = None,
    partner: IntakePartner | None = None,
    external_id: str = "",
    received_on: datetime.date | None = None,
    context: RequestContext | None = None,
) -> tuple[Appeal, str, bool]:
    """An appeal from outside (the public form, a terminal, a partner NGO), in state RECEIVED
    until staff register it. Returns the appeal, the status-check secret (shown once; "" when
    the same partner's id was already submitted) and whether it was created.

    A partner's `external_id` makes the submission idempotent: the same id again returns the
    appeal first made and changes nothing."""
    if partner is not None and external_id:
        existing = Appeal.objects.filter(intake_partner=partner, external_id=external_id).first()
        if existing is not None:
            return existing, "", False
    appellant = appellant or Appellant()
    values = _metadata(data)
    values.pop("summary", None)  # written by staff
    if channel == Channel.ANONYMOUS or appellant.blank:
        values["anonymous"] = True
    secret = status_secret_new()
    appeal = Appeal(
        channel=channel,
        state=AppealState.RECEIVED,
        received_on=received_on or timezone.localdate(),
        intake_partner=partner,
        external_id=external_id,
        status_secret_hash=status_secret_hash(secret),
        **values,
    )
    _appeal_save(
        appeal,
        content=content,
        appellant=appellant,
        allegations=allegations,
        received_on=appeal.received_on,
    )
    record_event(appeal, EventKind.CREATED, to_state=appeal.state, data={"channel": channel})
    audit_record(
        actor=None,
        action=AuditAction.APPEAL_SUBMITTED,
        target=appeal,
        data=_audit_data(appeal, appellant) | ({"partner": partner.name} if partner else {}),
        context=context,
    )
    return appeal, secret, True


def appeal_content_read(
    *, actor: User, appeal: Appeal, context: RequestContext | None = None
) -> str:
    """What the appellant wrote; the read is logged first (nothing is shown if it cannot be),
    a refused one as denied (`vigil.core.reveal`)."""
    return reveal_logged(
        lambda: (
            keyring()
            .decrypt(bytes(appeal.content_ciphertext), content_associated_data(appeal))
            .decode("utf-8")
        ),
        actor=actor,
        kind=AccessKind.APPEAL_READ,
        target=appeal,
        allowed=can_read_appeal_content(actor, appeal),
        context=context,
    )


def appellant_reveal(
    *, actor: User, appeal: Appeal, reason: str, context: RequestContext | None = None
) -> Appellant:
    """The appellant's name and contact, for a logged reason (`vigil.core.sealing`)."""
    if not can_unseal_appellant(actor, appeal):
        reveal_logged(
            str,
            actor=actor,
            kind=AccessKind.IDENTITY_UNSEALED,
            target=appeal,
            allowed=False,
            context=context,
        )
    reason = unseal_reason_clean(reason)
    sealed = AppealIdentity.objects.filter(appeal=appeal).first()
    if sealed is None:
        raise ValidationError(
            {"reason": _("This appeal is anonymous: there is no identity to unseal.")}
        )
    text = identity_reveal(
        sealed,
        associated_data=identity_associated_data(appeal),
        actor=actor,
        target=appeal,
        reason=reason,
        context=context,
    )
    return Appellant.from_sealed(text)


def subject_by_code(code: str) -> AppealSubject | None:
    return AppealSubject.objects.filter(code=code, active=True).first()
