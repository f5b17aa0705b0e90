"""Writes and reads of confidential interviews.

The content and the real identity are encrypted with the field key ring (AES-256-GCM, key
version kept beside the ciphertext); the associated data binds each ciphertext to its
interview, so a ciphertext copied onto another row does not decrypt. Every read of the
content (`interview_read_content`) and every unseal of the identity (`identity_unseal`)
writes its AccessEvent first, and nothing is decrypted if it cannot (`vigil.core.reveal`); a
refused read is logged as denied. Audit rows
never hold the content, the identity or the names of those present.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.audit.enums import AccessKind, AuditAction
from vigil.audit.services import audit_record, diff, snapshot
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

from ..enums import ConsentScope, IntervieweeCategory, ReprisalRisk, VisitState, Vulnerability
from ..models import Interview, SealedIdentity, Visit
from ..permissions import (
    can_read_interview,
    can_unseal_identity,
    can_view_visit,
    can_work_on_visit,
    embargoed,
)

# The metadata a caller may set; content and identity go through their own arguments.
INTERVIEW_FIELDS = (
    "institution",
    "conducted_on",
    "category",
    "pseudonym",
    "in_private",
    "present_persons",
    "interpreter_used",
    "consent_scopes",
    "vulnerabilities",
    "alleges_ill_treatment",
    "injuries_seen",
    "reprisal_risk",
    "follow_up_on",
)
# What the audit trail keeps of an interview: no content, no identity, no names of those
# present (they may identify the interviewee), only that they changed.
AUDITED_FIELDS = (
    *(f for f in INTERVIEW_FIELDS if f != "present_persons"),
    "consent_withdrawn_on",
    "follow_up_done_on",
)

MAX_CONTENT_CHARS = 100_000
MAX_PRESENT_CHARS = 300


def content_associated_data(interview: Interview) -> bytes:
    return f"visits.interview.content:{interview.public_id}".encode()


def identity_associated_data(interview: Interview) -> bytes:
    return f"visits.interview.identity:{interview.public_id}".encode()


def _encrypt_content(interview: Interview, content: str) -> None:
    ring = keyring()
    interview.content_ciphertext = ring.encrypt(
        content.encode("utf-8"), content_associated_data(interview)
    )
    interview.content_key_version = ring.current_version


def _decrypt_content(interview: Interview) -> str:
    blob = bytes(interview.content_ciphertext)  # PostgreSQL gives a memoryview
    return keyring().decrypt(blob, content_associated_data(interview)).decode("utf-8")


def present_associated_data(interview: Interview) -> bytes:
    return f"visits.interview.present:{interview.public_id}".encode()


def _encrypt_present(interview: Interview, present: str) -> None:
    """Who else was present, encrypted (empty: nobody, the ciphertext too)."""
    present = present.strip()
    interview.present_ciphertext = (
        keyring().encrypt(present.encode("utf-8"), present_associated_data(interview))
        if present
        else b""
    )


def _decrypt_present(interview: Interview) -> str:
    blob = bytes(interview.present_ciphertext or b"")
    if not blob:
        return ""
    return keyring().decrypt(blob, present_associated_data(interview)).decode("utf-8")


@dataclass(frozen=True)
class InterviewContent:
    """What an interview keeps encrypted, shown only after its read is logged."""

    content: str
    present_persons: str


def _seal_identity(interview: Interview, identity: str) -> SealedIdentity:
    blob, version = identity_seal(identity, associated_data=identity_associated_data(interview))
    sealed, _created = SealedIdentity.objects.update_or_create(
        interview=interview,
        defaults={
            "ciphertext": blob,
            "key_version": version,
            "fingerprint": identity_fingerprint(identity),
        },
    )
    return sealed


def _check_text(errors: dict[str, list[str]], field: str, value: str | None, limit: int) -> None:
    if value is not None and len(value) > limit:
        errors.setdefault(field, []).append(
            _("Keep this under %(limit)s characters.") % {"limit": f"{limit:,}"}
        )


def _validate(
    interview: Interview,
    *,
    content: str | None = None,
    identity: str | None = None,
    present: str | None = None,
) -> None:
    """The interview's own rules, then the model's; errors by field. `present`: who else was
    present, newly given (None: kept as recorded)."""
    errors: dict[str, list[str]] = {}
    visit = interview.visit
    if (
        interview.institution_id is not None
        and not visit.institutions.filter(pk=interview.institution_id).exists()
    ):
        errors.setdefault("institution", []).append(
            _("Choose one of the institutions of this visit.")
        )
    scopes = interview.consent_scopes
    if not isinstance(scopes, list) or any(s not in ConsentScope.values for s in scopes):
        errors.setdefault("consent_scopes", []).append(_("Unknown consent scope."))
    elif len(set(scopes)) != len(scopes):
        errors.setdefault("consent_scopes", []).append(_("A consent scope is repeated."))
    flags = interview.vulnerabilities
    if not isinstance(flags, list) or any(v not in Vulnerability.values for v in flags):
        errors.setdefault("vulnerabilities", []).append(_("Unknown vulnerability."))
    elif len(set(flags)) != len(flags):
        errors.setdefault("vulnerabilities", []).append(_("A vulnerability is repeated."))
    if not interview.in_private and not (
        present.strip() if present is not None else interview.present_ciphertext
    ):
        errors.setdefault("present_persons", []).append(
            _("Say who else was present, since the interview was not held in private.")
        )
    today = timezone.localdate()
    if interview.conducted_on and interview.conducted_on > today:
        errors.setdefault("conducted_on", []).append(
            _("The interview cannot take place in the future.")
        )
    if interview.follow_up_on:
        if interview.conducted_on and interview.follow_up_on < interview.conducted_on:
            errors.setdefault("follow_up_on", []).append(
                _("The follow-up contact cannot come before the interview.")
            )
        if ConsentScope.CONTACT_BACK not in (scopes or []):
            errors.setdefault("follow_up_on", []).append(
                _("A follow-up contact needs the interviewee's consent to be contacted back.")
            )
    if not interview.pseudonym.strip():
        errors.setdefault("pseudonym", []).append(
            _("Give a pseudonym: the interview is never shown under the real name.")
        )
    elif identity and interview.pseudonym.strip().casefold() == identity.strip().casefold():
        errors.setdefault("pseudonym", []).append(
            _("The pseudonym must not be the person's real name.")
        )
    _check_text(errors, "content", content, MAX_CONTENT_CHARS)
    _check_text(errors, "identity", identity, MAX_IDENTITY_CHARS)
    _check_text(errors, "present_persons", present, MAX_PRESENT_CHARS)
    try:
        interview.full_clean(exclude=["content_ciphertext", "content_key_version"])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _audit_fields(interview: Interview) -> dict[str, Any]:
    return snapshot(interview, AUDITED_FIELDS)


def _require_writer(actor: User, visit: Visit) -> None:
    if not can_work_on_visit(actor, visit):
        raise PermissionDenied(_("You may not record interviews for this visit."))


@transaction.atomic
def interview_create(
    *,
    actor: User,
    visit: Visit,
    institution: Institution | None,
    data: Mapping[str, Any],
    content: str,
    identity: str = "",
    context: RequestContext | None = None,
) -> Interview:
    """Record an interview: metadata in clear, content and identity encrypted."""
    if not can_view_visit(actor, visit):
        raise PermissionDenied
    _require_writer(actor, visit)
    if embargoed(visit) or visit.state == VisitState.CANCELLED:
        raise ValidationError({"visit": _("Interviews are recorded once the visit has started.")})
    values = {k: v for k, v in data.items() if k in INTERVIEW_FIELDS and k != "institution"}
    present = str(values.pop("present_persons", "") or "")
    values.setdefault("conducted_on", timezone.localdate())
    values.setdefault("category", IntervieweeCategory.DETAINEE)
    values.setdefault("reprisal_risk", ReprisalRisk.NONE)
    if institution is None and visit.institutions.count() == 1:
        institution = visit.institutions.get()
    interview = Interview(visit=visit, institution=institution, conducted_by=actor, **values)
    identity = (identity or "").strip()
    _validate(interview, content=content, identity=identity, present=present)
    _encrypt_content(interview, content)
    _encrypt_present(interview, "" if interview.in_private else present)
    interview.save()
    if identity:
        _seal_identity(interview, identity)
    audit_record(
        actor=actor,
        action=AuditAction.INTERVIEW_CREATED,
        target=interview,
        data={"visit": str(visit.public_id), "fields": _audit_fields(interview)}
        | {"identity_sealed": bool(identity)},
        context=context,
    )
    return interview


@transaction.atomic
def interview_update(
    *,
    actor: User,
    interview: Interview,
    data: Mapping[str, Any],
    content: str | None = None,
    content_addition: str = "",
    identity: str | None = None,
    context: RequestContext | None = None,
) -> dict[str, Any]:
    """Change an interview's metadata and, optionally, its content (`content` replaces it,
    `content_addition` is appended to it) or its sealed identity (`identity` replaces it).

    Returns what changed (the audit row's data; {} and no row when nothing did). Appending
    decrypts the content on the server without showing it, so it is not logged as a read.
    """
    interview = Interview.objects.select_for_update().select_related("visit").get(pk=interview.pk)
    visit = interview.visit
    if not can_view_visit(actor, visit):
        raise PermissionDenied
    _require_writer(actor, visit)
    if not can_read_interview(actor, interview):
        raise PermissionDenied
    before = _audit_fields(interview)
    present_before = bytes(interview.present_ciphertext or b"")
    for name, value in data.items():
        if name in INTERVIEW_FIELDS and name != "present_persons":
            setattr(interview, name, value)
    present = str(data.get("present_persons") or "").strip() or None  # empty: kept
    identity = identity.strip() if identity is not None else None
    new_content = content
    addition = (content_addition or "").strip()
    if addition:
        current = _decrypt_content(interview) if new_content is None else new_content
        stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
        new_content = f"{current.rstrip()}\n\n[{stamp}] {addition}" if current.strip() else addition
    _validate(interview, content=new_content, identity=identity or None, present=present)
    if interview.in_private:
        _encrypt_present(interview, "")
    elif present is not None and present != _decrypt_present(interview):
        _encrypt_present(interview, present)
    changes: dict[str, Any] = {}
    field_changes = diff(before, _audit_fields(interview))
    if field_changes:
        changes["changes"] = field_changes
    if bytes(interview.present_ciphertext or b"") != present_before:
        changes["present_persons_changed"] = True
    if new_content is not None and new_content != _decrypt_content(interview):
        _encrypt_content(interview, new_content)
        changes["content_changed"] = True
    if identity:
        _seal_identity(interview, identity)
        changes["identity_sealed"] = True
    if changes:
        interview.save()
        audit_record(
            actor=actor,
            action=AuditAction.INTERVIEW_UPDATED,
            target=interview,
            data=changes,
            context=context,
        )
    return changes


def interview_read(
    *, actor: User, interview: Interview, context: RequestContext | None = None
) -> InterviewContent:
    """The interview's content and who else was present, for someone who may read them; each
    read is logged before anything is decrypted, a refused one as denied (`vigil.core.reveal`)."""
    fresh = Interview.objects.get(pk=interview.pk)
    return reveal_logged(
        lambda: InterviewContent(_decrypt_content(fresh), _decrypt_present(fresh)),
        actor=actor,
        kind=AccessKind.INTERVIEW_READ,
        target=fresh,
        allowed=can_read_interview(actor, interview),
        context=context,
    )


def interview_read_content(
    *, actor: User, interview: Interview, context: RequestContext | None = None
) -> str:
    """The content alone (a referral letter quotes it), read as `interview_read`."""
    return interview_read(actor=actor, interview=interview, context=context).content


def has_sealed_identity(interview: Interview) -> bool:
    return SealedIdentity.objects.filter(interview=interview).exists()


def identity_unseal(
    *,
    actor: User,
    interview: Interview,
    reason: str,
    context: RequestContext | None = None,
) -> str:
    """The interviewee's real identity, given a reason; each unseal is logged with it first."""
    if not can_unseal_identity(actor, interview):
        reveal_logged(
            str,
            actor=actor,
            kind=AccessKind.IDENTITY_UNSEALED,
            target=interview,
            allowed=False,
            context=context,
        )
    reason = unseal_reason_clean(reason)
    sealed = SealedIdentity.objects.filter(interview=interview).first()
    if sealed is None:
        raise ValidationError({"reason": _("No real identity was recorded for this interview.")})
    return identity_reveal(
        sealed,
        associated_data=identity_associated_data(interview),
        actor=actor,
        target=interview,
        reason=reason,
        context=context,
    )


@transaction.atomic
def interview_withdraw_consent(
    *,
    actor: User,
    interview: Interview,
    on_date: datetime.date | None = None,
    context: RequestContext | None = None,
) -> Interview:
    """Record that the interviewee withdrew consent: from then on the interview is left out
    of every report and export. Withdrawal is final."""
    interview = Interview.objects.select_for_update().select_related("visit").get(pk=interview.pk)
    if not can_view_visit(actor, interview.visit):
        raise PermissionDenied
    _require_writer(actor, interview.visit)
    if not can_read_interview(actor, interview):
        raise PermissionDenied
    if interview.consent_withdrawn_on is not None:
        raise ValidationError({"on_date": _("Consent was already withdrawn for this interview.")})
    on_date = on_date or timezone.localdate()
    if on_date > timezone.localdate():
        raise ValidationError({"on_date": _("The withdrawal cannot be dated in the future.")})
    if on_date < interview.conducted_on:
        raise ValidationError(
            {"on_date": _("Consent cannot be withdrawn before the interview took place.")}
        )
    interview.consent_withdrawn_on = on_date
    interview.save(update_fields=["consent_withdrawn_on", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.INTERVIEW_CONSENT_WITHDRAWN,
        target=interview,
        data={"consent_withdrawn_on": str(on_date)},
        context=context,
    )
    return interview


@transaction.atomic
def interview_follow_up_done(
    *,
    actor: User,
    interview: Interview,
    on_date: datetime.date | None = None,
    context: RequestContext | None = None,
) -> Interview:
    """Mark the follow-up contact as made: it leaves the lead's list of things due."""
    interview = Interview.objects.select_for_update().select_related("visit").get(pk=interview.pk)
    if not can_view_visit(actor, interview.visit):
        raise PermissionDenied
    _require_writer(actor, interview.visit)
    if interview.follow_up_on is None:
        raise ValidationError({"on_date": _("No follow-up contact is planned for this interview.")})
    if interview.follow_up_done_on is not None:
        raise ValidationError({"on_date": _("The follow-up contact is already marked as made.")})
    on_date = on_date or timezone.localdate()
    if on_date > timezone.localdate():
        raise ValidationError({"on_date": _("The contact cannot be dated in the future.")})
    if on_date < interview.conducted_on:
        raise ValidationError(
            {"on_date": _("The contact cannot come before the interview took place.")}
        )
    interview.follow_up_done_on = on_date
    interview.save(update_fields=["follow_up_done_on", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.INTERVIEW_UPDATED,
        target=interview,
        data={"changes": {"follow_up_done_on": [None, str(on_date)]}},
        context=context,
    )
    return interview
