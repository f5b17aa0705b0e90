"""Writes to NPM participants: permission-checked, validated, audited."""

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_record, audit_records_bulk, diff, snapshot

from .enums import ConflictKind
from .models import ConflictDeclaration, Participant, ParticipantAbsence, TrainingRecord
from .permissions import (
    can_be_participant,
    can_declare_conflict,
    can_manage_absences,
    can_manage_participants,
)

PARTICIPANT_FIELDS = (
    "profession",
    "region",
    "organisation",
    "accredited_from",
    "accredited_to",
    "notes",
    "citizen",
    "occupation",
    "dismissed_for_cause",
    "unexpunged_conviction",
    "visits_per_year",
)
TRAINING_FIELDS = ("title", "provider", "completed_on", "hours")
ABSENCE_FIELDS = ("starts_on", "ends_on")
CONFLICT_FIELDS = ("kind", "institution", "agency", "description", "declared_on", "ends_on")


def _check_account(user: User | None) -> None:
    if user is None:
        raise ValidationError({"user": _("Choose the participant's account.")})
    if not can_be_participant(user):
        raise ValidationError(
            {
                "user": _(
                    "Only accounts of monitors, regional representatives and coordinators "
                    "can be NPM participants."
                )
            }
        )
    if Participant.objects.filter(user=user).exists():
        raise ValidationError({"user": _("This account is already an NPM participant.")})


@transaction.atomic
def participant_create(
    *,
    actor: User | None,
    user: User | None,
    data: dict[str, Any],
    context: RequestContext | None = None,
) -> Participant:
    """Make an existing account an NPM participant. `actor=None` is the system."""
    if actor is not None and not can_manage_participants(actor):
        raise PermissionDenied
    _check_account(user)
    participant = Participant(
        user=user, **{k: v for k, v in data.items() if k in PARTICIPANT_FIELDS}
    )
    participant.full_clean()
    participant.save()
    audit_record(
        actor=actor,
        action=AuditAction.PARTICIPANT_CREATED,
        target=participant,
        data={"account": user.email, "fields": snapshot(participant, PARTICIPANT_FIELDS)},  # type: ignore[union-attr]
        context=context,
    )
    return participant


@transaction.atomic
def participant_update(
    *,
    actor: User | None,
    participant: Participant,
    data: dict[str, Any],
    context: RequestContext | None = None,
) -> dict[str, list[Any]]:
    """Apply `data`; returns the changed fields ({} and no audit row when nothing changed)."""
    if actor is not None and not can_manage_participants(actor):
        raise PermissionDenied
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    before = snapshot(participant, PARTICIPANT_FIELDS)
    for name, value in data.items():
        if name in PARTICIPANT_FIELDS:
            setattr(participant, name, value)
    participant.full_clean()
    changes = diff(before, snapshot(participant, PARTICIPANT_FIELDS))
    if changes:
        participant.save()
        audit_record(
            actor=actor,
            action=AuditAction.PARTICIPANT_UPDATED,
            target=participant,
            data={"changes": changes},
            context=context,
        )
    return changes


@transaction.atomic
def training_record(
    *,
    actor: User | None,
    participant: Participant,
    data: dict[str, Any],
    context: RequestContext | None = None,
) -> TrainingRecord:
    if actor is not None and not can_manage_participants(actor):
        raise PermissionDenied
    training = TrainingRecord(
        participant=participant, **{k: v for k, v in data.items() if k in TRAINING_FIELDS}
    )
    training.full_clean()
    training.save()
    audit_record(
        actor=actor,
        action=AuditAction.TRAINING_RECORDED,
        target=participant,
        data={"training": snapshot(training, TRAINING_FIELDS)},
        context=context,
    )
    return training


_INSTITUTION_KINDS = {ConflictKind.WORKED_AT_INSTITUTION, ConflictKind.RELATIVE_AT_INSTITUTION}
_AGENCY_KINDS = {ConflictKind.WORKED_FOR_AGENCY, ConflictKind.RELATIVE_AT_AGENCY}


def _check_conflict(conflict: ConflictDeclaration) -> None:
    if conflict.institution_id is not None and conflict.agency_id is not None:
        raise ValidationError({"agency": _("Name either the institution or the agency, not both.")})
    if conflict.kind in _INSTITUTION_KINDS and conflict.institution_id is None:
        raise ValidationError({"institution": _("Name the institution concerned.")})
    if conflict.kind in _AGENCY_KINDS and conflict.agency_id is None:
        raise ValidationError({"agency": _("Name the agency concerned.")})
    if conflict.ends_on and conflict.declared_on and conflict.ends_on <= conflict.declared_on:
        raise ValidationError(
            {"ends_on": _("The conflict cannot stop applying before it was declared.")}
        )
    conflict.full_clean()


def _overlaps(a: ConflictDeclaration, b: ConflictDeclaration) -> bool:
    return (a.ends_on is None or b.declared_on < a.ends_on) and (
        b.ends_on is None or a.declared_on < b.ends_on
    )


def _same_target(a: ConflictDeclaration, b: ConflictDeclaration) -> bool:
    return (a.participant_id, a.kind, a.institution_id, a.agency_id) == (
        b.participant_id,
        b.kind,
        b.institution_id,
        b.agency_id,
    )


def _refuse_duplicate(conflict: ConflictDeclaration, batch: Sequence[ConflictDeclaration]) -> None:
    """A participant declares each conflict once: the same kind with the same institution or
    agency over an overlapping period is refused (it would only repeat the declaration, and
    every check would then name the conflict as many times)."""
    period = Q(ends_on__isnull=True) | Q(ends_on__gt=conflict.declared_on)
    if conflict.ends_on is not None:
        period &= Q(declared_on__lt=conflict.ends_on)
    known = (
        ConflictDeclaration.objects.filter(
            period,
            participant_id=conflict.participant_id,
            kind=conflict.kind,
            **{"institution_id": conflict.institution_id, "agency_id": conflict.agency_id},
        )
        .exclude(pk=conflict.pk)
        .order_by("declared_on")
        .first()
    )
    if known is None:
        known = next(
            (c for c in batch if _same_target(c, conflict) and _overlaps(c, conflict)), None
        )
    if known is not None:
        field = "institution" if conflict.institution_id is not None else "agency"
        raise ValidationError(
            {
                field: _(
                    "This conflict of interest is already declared (since %(date)s); change "
                    "that declaration instead of declaring it again."
                )
                % {"date": date_format(known.declared_on, "SHORT_DATE_FORMAT")}
            }
        )


def _lock(participant: Participant) -> None:
    """Serialise declarations of one participant, so that two at once cannot both pass."""
    list(Participant.objects.select_for_update().filter(pk=participant.pk).values_list("pk"))


@transaction.atomic
def conflict_declare(
    *,
    actor: User | None,
    participant: Participant,
    data: dict[str, Any],
    context: RequestContext | None = None,
) -> ConflictDeclaration:
    """Declare a conflict of interest: with an institution, or with an agency (and so with
    every institution of the agency and its sub-units)."""
    if actor is not None and not can_declare_conflict(actor, participant):
        raise PermissionDenied
    conflict = ConflictDeclaration(
        participant=participant, **{k: v for k, v in data.items() if k in CONFLICT_FIELDS}
    )
    _check_conflict(conflict)
    _lock(participant)
    _refuse_duplicate(conflict, ())
    conflict.save()
    audit_record(
        actor=actor,
        action=AuditAction.CONFLICT_DECLARED,
        target=participant,
        data={"conflict": str(conflict.public_id), "fields": snapshot(conflict, CONFLICT_FIELDS)},
        context=context,
    )
    return conflict


@transaction.atomic
def conflict_update(
    *,
    actor: User | None,
    conflict: ConflictDeclaration,
    data: dict[str, Any],
    context: RequestContext | None = None,
) -> dict[str, list[Any]]:
    """Change a declaration, e.g. the day from which it no longer applies (managers only)."""
    if actor is not None and not can_manage_participants(actor):
        raise PermissionDenied
    conflict = ConflictDeclaration.objects.select_for_update().get(pk=conflict.pk)
    before = snapshot(conflict, CONFLICT_FIELDS)
    for name, value in data.items():
        if name in CONFLICT_FIELDS:
            setattr(conflict, name, value)
    _check_conflict(conflict)
    _lock(conflict.participant)
    _refuse_duplicate(conflict, ())
    changes = diff(before, snapshot(conflict, CONFLICT_FIELDS))
    if changes:
        conflict.save()
        audit_record(
            actor=actor,
            action=AuditAction.CONFLICT_UPDATED,
            target=conflict.participant,
            data={"conflict": str(conflict.public_id), "changes": changes},
            context=context,
        )
    return changes


@transaction.atomic
def absence_add(
    *,
    actor: User | None,
    participant: Participant,
    data: dict[str, Any],
    context: RequestContext | None = None,
) -> ParticipantAbsence:
    """Record a period (both days included) in which the participant cannot join visits:
    the plan's optimiser leaves them out of the months it mostly covers."""
    if actor is not None and not can_manage_absences(actor, participant):
        raise PermissionDenied
    absence = ParticipantAbsence(
        participant=participant, **{k: v for k, v in data.items() if k in ABSENCE_FIELDS}
    )
    absence.full_clean()
    absence.save()
    audit_record(
        actor=actor,
        action=AuditAction.ABSENCE_ADDED,
        target=participant,
        data={"absence": str(absence.public_id), "fields": snapshot(absence, ABSENCE_FIELDS)},
        context=context,
    )
    return absence


@transaction.atomic
def absence_remove(
    *,
    actor: User | None,
    absence: ParticipantAbsence,
    context: RequestContext | None = None,
) -> None:
    """Withdraw a period of unavailability (e.g. leave cancelled)."""
    participant = absence.participant
    if actor is not None and not can_manage_absences(actor, participant):
        raise PermissionDenied
    fields = snapshot(absence, ABSENCE_FIELDS)
    public_id = str(absence.public_id)
    absence.delete()
    audit_record(
        actor=actor,
        action=AuditAction.ABSENCE_REMOVED,
        target=participant,
        data={"absence": public_id, "fields": fields},
        context=context,
    )


@transaction.atomic
def absences_bulk_add(
    absences: Sequence[ParticipantAbsence], *, audit_data: Mapping[str, Any] | None = None
) -> list[ParticipantAbsence]:
    """Record many periods of unavailability in one insert, the system as actor (the demo
    data set); each checked as `absence_add` checks one, with one `ABSENCE_ADDED` row each."""
    extra = dict(audit_data or {})
    for absence in absences:
        absence.participant_id = absence.participant.pk  # saved by the caller
        absence.full_clean()
    created = ParticipantAbsence.objects.bulk_create(absences)
    audit_records_bulk(
        actor=None,
        action=AuditAction.ABSENCE_ADDED,
        entries=[
            (
                a.participant,
                {"absence": str(a.public_id), "fields": snapshot(a, ABSENCE_FIELDS), **extra},
            )
            for a in created
        ],
    )
    return created


@transaction.atomic
def participants_bulk_create(
    participants: Sequence[Participant],
    trainings: Sequence[TrainingRecord] = (),
    *,
    audit_data: Mapping[str, Any] | None = None,
) -> list[Participant]:
    """Make many accounts NPM participants, with their trainings, in a few inserts, the system
    as actor (for data made in large amounts, e.g. the demo data set).

    Each is checked as `participant_create` and `training_record` check one (the account's
    role, one participant per account, the fields); one `PARTICIPANT_CREATED` audit row per
    participant and one `TRAINING_RECORDED` row per training (with `audit_data` added)."""
    extra = dict(audit_data or {})
    for participant in participants:
        _check_account(participant.user)
        participant.full_clean()
    created = Participant.objects.bulk_create(participants)
    for training in trainings:
        training.participant_id = training.participant.pk  # saved just above
        training.full_clean()
    TrainingRecord.objects.bulk_create(trainings)
    audit_records_bulk(
        actor=None,
        action=AuditAction.PARTICIPANT_CREATED,
        entries=[
            (p, {"account": p.user.email, "fields": snapshot(p, PARTICIPANT_FIELDS), **extra})
            for p in created
        ],
    )
    audit_records_bulk(
        actor=None,
        action=AuditAction.TRAINING_RECORDED,
        entries=[
            (t.participant, {"training": snapshot(t, TRAINING_FIELDS), **extra}) for t in trainings
        ],
    )
    return created


@transaction.atomic
def conflicts_bulk_declare(
    conflicts: Sequence[ConflictDeclaration], *, audit_data: Mapping[str, Any] | None = None
) -> list[ConflictDeclaration]:
    """Declare many conflicts of interest in a few inserts, the system as actor; each checked
    as `conflict_declare` checks one, with one `CONFLICT_DECLARED` audit row each."""
    extra = dict(audit_data or {})
    for n, conflict in enumerate(conflicts):
        _check_conflict(conflict)
        _refuse_duplicate(conflict, conflicts[:n])
    created = ConflictDeclaration.objects.bulk_create(conflicts)
    audit_records_bulk(
        actor=None,
        action=AuditAction.CONFLICT_DECLARED,
        entries=[
            (
                c.participant,
                {"conflict": str(c.public_id), "fields": snapshot(c, CONFLICT_FIELDS), **extra},
            )
            for c in created
        ],
    )
    return created
