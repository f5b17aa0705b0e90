"""Appeal handling by staff: life-cycle moves, triage, assignment, deadline extension and
merging of duplicates. Each change locks the appeal's row, checks the policy
(`..permissions`) and writes its audit row and timeline event in the same transaction."""

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.audit.enums import AccessKind, AuditAction
from vigil.audit.services import audit_record
from vigil.core.files.check import PHOTOS_AND_DOCUMENTS
from vigil.core.files.store import FileContent, encrypted_file_read, encrypted_file_store

from .. import workflow
from ..deadlines import HANDLED_STATES, answer_due, current_due, longest_extension
from ..enums import CLOSED_APPEAL_STATES, AppealState, EventKind
from ..models import AllegationType, Appeal, AppealAttachment
from ..permissions import (
    appeals_visible_to,
    assignable_staff,
    can_handle_appeal,
    can_read_appeal_content,
)
from ..timeline import record_event
from ..workflow import Via

TRIAGE_FIELDS = (
    "subject",
    "institution",
    "institution_text",
    "urgency",
    "summary",
    "consent_scopes",
    "consent_contact",
    "reprisal_risk",
)


def lock_appeal(appeal: Appeal) -> Appeal:
    return (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("institution", "region")
        .get(pk=appeal.pk)
    )


def _keep(target: Appeal, source: Appeal, names: tuple[str, ...]) -> None:
    for name in names:
        setattr(target, name, getattr(source, name))


_MOVED_FIELDS = (
    "state",
    "registered_on",
    "registered_by",
    "due_on",
    "forwarded_to",
    "forwarded_on",
    "answered_on",
    "closed_on",
    "outcome",
    "duplicate_of",
)


def _expect(locked: Appeal, expected_state: str | None) -> None:
    if expected_state and locked.state != expected_state:
        raise ValidationError(
            {
                "move": _(
                    "The status changed meanwhile (it is now “%(state)s”); "
                    "reload the page and try again."
                )
                % {"state": locked.get_state_display()}
            }
        )


@transaction.atomic
def appeal_transition(
    *,
    actor: User | None,
    appeal: Appeal,
    move: str,
    note: str = "",
    forwarded_to: str = "",
    via: str = Via.MANUAL,
    expected_state: str | None = None,
    context: RequestContext | None = None,
) -> Appeal:
    """Make the move named `move` (the transition table's names: register, triage, review,
    explain, forward, answer, close_resolved, close_unresolved). Registering an appeal that
    came from outside sets who registered it, when, and the answer's due date."""
    locked = lock_appeal(appeal)
    _expect(locked, expected_state)
    note = (note or "").strip()
    forwarded_to = (forwarded_to or "").strip()
    checked = workflow.APPEALS.check(
        actor,
        locked,
        name=move,
        via=via,
        values={"note": note, "forwarded_to": forwarded_to},
    )
    if checked.via != via:
        raise ValidationError({"move": _("This move is not made by hand.")})
    today = timezone.localdate()
    target = checked.target
    if target == AppealState.REGISTERED:
        locked.registered_on = today
        locked.registered_by = actor
        locked.due_on = answer_due(today)
    elif target == AppealState.OUT_OF_MANDATE:
        locked.forwarded_to = forwarded_to
        locked.forwarded_on = today
    elif target == AppealState.RESPONSE_RECEIVED or target == AppealState.EXPLAINED:
        locked.answered_on = today
    if target in CLOSED_APPEAL_STATES:
        locked.closed_on = today
        if note:
            locked.outcome = note

    def save(obj: Appeal) -> None:
        obj.full_clean(exclude=("content_ciphertext", "content_key_version"))
        obj.save()

    data: dict[str, Any] = {}
    if forwarded_to and target == AppealState.OUT_OF_MANDATE:
        data["forwarded_to"] = forwarded_to
    workflow.APPEALS.apply(
        actor,
        locked,
        checked,
        values={"note": note, "forwarded_to": forwarded_to},
        extra={"data": data, "context": context},
        save=save,
    )
    _keep(appeal, locked, _MOVED_FIELDS)
    return locked


def _changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    return {k: [before[k], after[k]] for k in after if before.get(k) != after[k]}


def _plain(value: Any) -> Any:
    if hasattr(value, "public_id"):
        return str(value.public_id)
    if hasattr(value, "code"):
        return value.code
    if isinstance(value, list | tuple):
        return sorted(str(v) for v in value)
    return value


@transaction.atomic
def appeal_triage(
    *,
    actor: User,
    appeal: Appeal,
    data: Mapping[str, Any],
    allegations: list[AllegationType] | None = None,
    context: RequestContext | None = None,
) -> Appeal:
    """Set what the appeal is about: subject, allegation types, institution (its region
    follows), urgency, summary, consent, risk of reprisals. Does not move the status (the
    "Triage" move does, once the subject and institution are known)."""
    locked = lock_appeal(appeal)
    if not can_handle_appeal(actor, locked) or locked.state in CLOSED_APPEAL_STATES:
        raise PermissionDenied
    before = {name: _plain(getattr(locked, name)) for name in TRIAGE_FIELDS}
    before_allegations = sorted(locked.allegation_types.values_list("code", flat=True))
    for name in TRIAGE_FIELDS:
        if name in data:
            setattr(locked, name, data[name])
    locked.consent_scopes = list(dict.fromkeys(locked.consent_scopes or []))
    if locked.institution is not None:
        locked.region = locked.institution.region
    locked.full_clean(exclude=("content_ciphertext", "content_key_version"))
    locked.save()
    if allegations is not None:
        locked.allegation_types.set(allegations)
    after = {name: _plain(getattr(locked, name)) for name in TRIAGE_FIELDS}
    changes = _changes(before, after)
    after_allegations = sorted(locked.allegation_types.values_list("code", flat=True))
    if after_allegations != before_allegations:
        changes["allegation_types"] = [before_allegations, after_allegations]
    if changes:
        record_event(locked, EventKind.EDITED, actor=actor, data={"fields": sorted(changes)})
        audit_record(
            actor=actor,
            action=AuditAction.APPEAL_UPDATED,
            target=locked,
            data={"changes": changes},
            context=context,
        )
    _keep(appeal, locked, (*TRIAGE_FIELDS, "region"))
    return locked


@transaction.atomic
def appeal_assign(
    *,
    actor: User,
    appeal: Appeal,
    assignee: User | None,
    context: RequestContext | None = None,
) -> Appeal:
    """Give the appeal to a staff member in scope (coordinator, regional representative of
    its region, monitor), or take it back (None)."""
    locked = lock_appeal(appeal)
    if not can_handle_appeal(actor, locked) or locked.state in CLOSED_APPEAL_STATES:
        raise PermissionDenied
    if assignee is not None and not assignable_staff(locked).filter(pk=assignee.pk).exists():
        raise ValidationError(
            {"assigned_to": _("This person cannot handle appeals of this region.")}
        )
    if locked.assigned_to_id == (assignee.pk if assignee else None):
        return locked
    previous = locked.assigned_to
    locked.assigned_to = assignee
    locked.save(update_fields=["assigned_to", "updated_at"])
    record_event(
        locked,
        EventKind.ASSIGNED,
        actor=actor,
        note=assignee.get_full_name() if assignee else "",
        data={"to": str(assignee.public_id) if assignee else None},
    )
    audit_record(
        actor=actor,
        action=AuditAction.APPEAL_ASSIGNED,
        target=locked,
        data={
            "from": str(previous.public_id) if previous else None,
            "to": str(assignee.public_id) if assignee else None,
        },
        context=context,
    )
    appeal.assigned_to = assignee
    return locked


@transaction.atomic
def appeal_extend(
    *,
    actor: User,
    appeal: Appeal,
    until: datetime.date,
    reason: str,
    context: RequestContext | None = None,
) -> Appeal:
    """Extend the answer's deadline, with a recorded reason, never beyond the longest
    extension from the registration (`deadlines.longest_extension`, from data)."""
    locked = lock_appeal(appeal)
    if not can_handle_appeal(actor, locked):
        raise PermissionDenied
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if locked.state not in HANDLED_STATES or locked.registered_on is None:
        raise ValidationError(
            {"until": _("Only a registered appeal still being handled can be extended.")}
        )
    if not reason:
        errors["reason"] = [_("Say why the answer needs more time.")]
    limit = longest_extension(locked.registered_on)
    due = current_due(locked)
    if due is not None and until <= due:
        errors["until"] = [_("The new date must be after the current due date.")]
    elif until > limit:
        errors["until"] = [
            _("The answer cannot be extended beyond %(date)s (the longest extension).")
            % {"date": limit.isoformat()}
        ]
    if errors:
        raise ValidationError(errors)
    previous = due
    locked.extended_until = until
    locked.extension_reason = reason
    locked.save(update_fields=["extended_until", "extension_reason", "updated_at"])
    record_event(
        locked,
        EventKind.EXTENDED,
        actor=actor,
        note=reason,
        data={"from": previous.isoformat() if previous else None, "to": until.isoformat()},
    )
    audit_record(
        actor=actor,
        action=AuditAction.APPEAL_EXTENDED,
        target=locked,
        data={
            "from": previous.isoformat() if previous else None,
            "to": until.isoformat(),
            "reason": reason,
        },
        context=context,
    )
    appeal.extended_until, appeal.extension_reason = until, reason
    return locked


@transaction.atomic
def appeal_merge(
    *,
    actor: User,
    duplicate: Appeal,
    into: Appeal,
    note: str = "",
    context: RequestContext | None = None,
) -> Appeal:
    """Merge `duplicate` into `into`: the duplicate moves to MERGED (`Via.MERGE`) with
    `duplicate_of` set; both timelines note it."""
    if duplicate.pk == into.pk:
        raise ValidationError({"into": _("An appeal cannot be merged into itself.")})
    rows = {
        a.pk: a
        for a in Appeal.objects.select_for_update(of=("self",))
        .filter(pk__in=(duplicate.pk, into.pk))
        .order_by("pk")
    }
    locked, target = rows[duplicate.pk], rows[into.pk]
    if not appeals_visible_to(actor).filter(pk=target.pk).exists():
        raise PermissionDenied
    if not can_handle_appeal(actor, target):
        raise PermissionDenied
    if target.state in CLOSED_APPEAL_STATES:
        raise ValidationError({"into": _("Merge only into an appeal that is still open.")})
    move = workflow.APPEALS.check(actor, locked, target=AppealState.MERGED, via=Via.MERGE)
    locked.duplicate_of = target
    locked.closed_on = timezone.localdate()

    def save(obj: Appeal) -> None:
        obj.save(update_fields=["state", "duplicate_of", "closed_on", "updated_at"])

    note = (note or "").strip()
    workflow.APPEALS.apply(
        actor,
        locked,
        move,
        values={"note": note},
        extra={
            "kind": EventKind.MERGED,
            "data": {"into": target.reference},
            "context": context,
        },
        save=save,
    )
    record_event(
        target,
        EventKind.MERGED,
        actor=actor,
        note=note,
        data={"merged": locked.reference},
    )
    audit_record(
        actor=actor,
        action=AuditAction.APPEAL_MERGED,
        target=target,
        data={"duplicate": locked.reference, "into": target.reference},
        context=context,
    )
    _keep(duplicate, locked, ("state", "duplicate_of", "closed_on"))
    return locked


# --- attachments -----------------------------------------------------------------------------

UPLOAD_CHECK = PHOTOS_AND_DOCUMENTS


@transaction.atomic
def appeal_attachment_upload(
    *,
    actor: User,
    appeal: Appeal,
    file: File,  # type: ignore[type-arg]
    name: str = "",
    context: RequestContext | None = None,
) -> AppealAttachment:
    """Check, clean, encrypt and store a file added to an appeal by its handlers; audited."""
    if not can_handle_appeal(actor, appeal):
        raise PermissionDenied
    try:
        clean = UPLOAD_CHECK.check(file, name=name)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    attachment = AppealAttachment(appeal=appeal, uploaded_by=actor)
    encrypted_file_store(attachment, clean)
    attachment.full_clean()
    attachment.save()
    audit_record(
        actor=actor,
        action=AuditAction.ATTACHMENT_UPLOADED,
        target=attachment,
        data={
            "appeal": appeal.reference,
            "content_type": clean.content_type,
            "size": attachment.size,
            "sha256": attachment.sha256,
        },
        context=context,
    )
    return attachment


def appeal_attachment_read(
    *, actor: User, attachment: AppealAttachment, context: RequestContext | None = None
) -> FileContent:
    """The decrypted file, for whoever may read the appeal's content; the read logged first."""
    if not can_read_appeal_content(actor, attachment.appeal):
        raise PermissionDenied
    return encrypted_file_read(
        actor=actor, file=attachment, access_kind=AccessKind.ATTACHMENT_DOWNLOADED, context=context
    )
