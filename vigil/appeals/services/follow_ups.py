"""Follow-up contacts with people at risk of reprisals: interviewees (`Interview.reprisal_risk`)
and appellants (`Appeal.reprisal_risk`).

`follow_up_schedule` plans the contacts of one person: for a HIGH risk after
`VIGIL_FOLLOW_UP_HIGH_RISK_DAYS` (default 7 and 30 days), for a LOW risk after
`VIGIL_FOLLOW_UP_LOW_RISK_DAYS` (30), counted from the day the appeal was received or the
interview held (and the interview's own "contact again on" date, when the monitor set one).
It is idempotent: a person who already has contacts gets none more. `follow_ups_schedule_due`
(the daily command `schedule_follow_ups`) schedules them for everyone at risk who has none,
among the appeals still handled and the interviews recent enough for a contact to lie ahead.

`follow_up_record` keeps what came of a contact; "unreachable" schedules the next try after
`VIGIL_FOLLOW_UP_RETRY_DAYS`; "reprisal reported" may record the REPRISAL incident in the same
step, linked to the person's appeal or interview.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.audit.enums import AccessKind, AuditAction
from vigil.audit.services import audit_record
from vigil.core.crypto import keyring
from vigil.core.reveal import reveal_logged
from vigil.visits.enums import ReprisalRisk
from vigil.visits.models import Interview

from ..enums import CLOSED_APPEAL_STATES, FollowUpOutcome, IncidentKind
from ..models import Appeal, FollowUpContact, Incident
from ..permissions import can_read_follow_up_note, can_record_follow_up, can_schedule_follow_ups
from .incidents import incident_record

AT_RISK: tuple[str, ...] = (ReprisalRisk.HIGH, ReprisalRisk.LOW)
"""The reprisal risks that call for follow-up contacts."""

MAX_NOTE_CHARS = 10_000


def note_associated_data(contact: FollowUpContact) -> bytes:
    """Binds a contact's note ciphertext to its row (a copy onto another row does not decrypt)."""
    return f"appeals.followupcontact.note:{contact.public_id}".encode()


def note_encrypt(contact: FollowUpContact, note: str) -> None:
    """What came of the contact, encrypted with the field keys (empty: nothing stored)."""
    note = note.strip()
    contact.note_ciphertext = (
        keyring().encrypt(note.encode("utf-8"), note_associated_data(contact)) if note else b""
    )


def follow_up_note_read(
    *, actor: User, contact: FollowUpContact, context: RequestContext | None = None
) -> str:
    """The contact's note, for whoever may read it; logged before it is decrypted, a refused
    read as denied (`vigil.core.reveal`)."""
    fresh = FollowUpContact.objects.get(pk=contact.pk)
    blob = bytes(fresh.note_ciphertext or b"")
    return reveal_logged(
        lambda: (
            keyring().decrypt(blob, note_associated_data(fresh)).decode("utf-8") if blob else ""
        ),
        actor=actor,
        kind=AccessKind.PERSON_DETAILS_READ,
        target=fresh,
        allowed=can_read_follow_up_note(actor, fresh),
        data={"field": "note"},
        context=context,
    )


def risk_offsets(risk: str) -> list[int]:
    """Days after the start at which a person with this risk is contacted (settings)."""
    if risk == ReprisalRisk.HIGH:
        return sorted(int(d) for d in settings.VIGIL_FOLLOW_UP_HIGH_RISK_DAYS)
    if risk == ReprisalRisk.LOW:
        return sorted(int(d) for d in settings.VIGIL_FOLLOW_UP_LOW_RISK_DAYS)
    return []


def _plan(person: Appeal | Interview) -> tuple[list[datetime.date], User | None]:
    """The contact dates of a person, and who is assigned."""
    if isinstance(person, Appeal):
        start = person.received_on
        assignee = person.assigned_to or person.registered_by
        extra = None
    else:
        start = person.conducted_on
        assignee = person.conducted_by
        extra = person.follow_up_on
    days = {start + datetime.timedelta(days=d) for d in risk_offsets(person.reprisal_risk)}
    if extra is not None and days:
        days.add(extra)
    return sorted(days), assignee


def _schedule(
    person: Appeal | Interview, *, actor: User | None, context: RequestContext | None
) -> list[FollowUpContact]:
    field = "appeal" if isinstance(person, Appeal) else "interview"
    if FollowUpContact.objects.filter(**{field: person}).exists():
        return []
    days, assignee = _plan(person)
    created = []
    for day in days:
        contact = FollowUpContact(**{field: person}, due_on=day, assigned_to=assignee)
        contact.full_clean()
        contact.save()
        audit_record(
            actor=actor,
            action=AuditAction.FOLLOW_UP_SCHEDULED,
            target=contact,
            data={field: str(person.public_id), "due_on": day.isoformat()},
            context=context,
        )
        created.append(contact)
    return created


@transaction.atomic
def follow_up_schedule(
    *,
    actor: User,
    appeal: Appeal | None = None,
    interview: Interview | None = None,
    context: RequestContext | None = None,
) -> list[FollowUpContact]:
    """Schedule the contacts of the person of `appeal` or `interview` (none when they have
    some already, or no risk)."""
    person = appeal if appeal is not None else interview
    if person is None:
        raise ValueError("An appeal or an interview is needed.")
    if not can_schedule_follow_ups(actor):
        raise PermissionDenied
    return _schedule(person, actor=actor, context=context)


@dataclass(frozen=True)
class ScheduleResult:
    people: int
    contacts: int


def _has_contacts(field: str) -> Exists:
    return Exists(FollowUpContact.objects.filter(**{field: OuterRef("pk")}))


@transaction.atomic
def follow_ups_schedule_due(*, today: datetime.date | None = None) -> ScheduleResult:
    """The daily job: schedule the contacts of everyone at risk who has none. Appeals still
    handled; interviews (and appeals) whose last planned contact is not yet behind us."""
    today = today or timezone.localdate()
    at_risk = AT_RISK
    longest = max([*risk_offsets(ReprisalRisk.HIGH), *risk_offsets(ReprisalRisk.LOW), 0])
    since = today - datetime.timedelta(days=longest)
    people: list[Appeal | Interview] = [
        *Appeal.objects.filter(reprisal_risk__in=at_risk, received_on__gte=since)
        .exclude(state__in=CLOSED_APPEAL_STATES)
        .exclude(_has_contacts("appeal"))
        .select_related("assigned_to", "registered_by"),
        *Interview.objects.filter(reprisal_risk__in=at_risk, conducted_on__gte=since)
        .exclude(_has_contacts("interview"))
        .select_related("conducted_by"),
    ]
    contacts = 0
    for person in people:
        contacts += len(_schedule(person, actor=None, context=None))
    return ScheduleResult(people=len(people), contacts=contacts)


@transaction.atomic
def follow_up_record(
    *,
    actor: User,
    contact: FollowUpContact,
    outcome: str,
    done_on: datetime.date | None = None,
    note: str = "",
    incident_summary: str = "",
    context: RequestContext | None = None,
) -> FollowUpContact:
    """Keep what came of a contact. "Unreachable" schedules the next try; "reprisal
    reported" with an `incident_summary` records the REPRISAL incident in the same step."""
    locked = FollowUpContact.objects.select_for_update().get(pk=contact.pk)
    if not can_record_follow_up(actor, locked):
        raise PermissionDenied(_("You may not record this contact."))
    if locked.done_on is not None:
        raise ValidationError({"outcome": [_("This contact was already recorded.")]})
    if outcome not in FollowUpOutcome.values:
        raise ValidationError({"outcome": [_("Choose what came of the contact.")]})
    if incident_summary.strip() and outcome != FollowUpOutcome.REPRISAL_REPORTED:
        raise ValidationError(
            {"incident_summary": [_("An incident is recorded only for a reported reprisal.")]}
        )
    today = timezone.localdate()
    locked.done_on = done_on or today
    if locked.done_on > today:
        raise ValidationError({"done_on": [_("The date cannot be in the future.")]})
    locked.done_by = actor
    locked.outcome = outcome
    if len(note) > MAX_NOTE_CHARS:
        raise ValidationError(
            {
                "note": [
                    _("Keep this under %(limit)s characters.") % {"limit": f"{MAX_NOTE_CHARS:,}"}
                ]
            }
        )
    note_encrypt(locked, note)
    incident: Incident | None = None
    if outcome == FollowUpOutcome.REPRISAL_REPORTED and incident_summary.strip():
        incident = incident_record(
            actor=actor,
            data={
                "kind": IncidentKind.REPRISAL,
                "occurred_on": locked.done_on,
                "appeal": locked.appeal,
                "interview": locked.interview,
                "summary": incident_summary.strip(),
            },
            context=context,
        )
        locked.incident = incident
    locked.full_clean()
    locked.save()
    if locked.interview is not None and outcome != FollowUpOutcome.UNREACHABLE:
        # The interview page says when the interviewee was last reached.
        Interview.objects.filter(pk=locked.interview.pk).update(follow_up_done_on=locked.done_on)
    next_contact = None
    if outcome == FollowUpOutcome.UNREACHABLE:
        next_contact = FollowUpContact.objects.create(
            appeal=locked.appeal,
            interview=locked.interview,
            due_on=locked.done_on + datetime.timedelta(days=settings.VIGIL_FOLLOW_UP_RETRY_DAYS),
            assigned_to=locked.assigned_to,
        )
        audit_record(
            actor=actor,
            action=AuditAction.FOLLOW_UP_SCHEDULED,
            target=next_contact,
            data={"after": str(locked.public_id), "due_on": next_contact.due_on.isoformat()},
            context=context,
        )
    audit_record(
        actor=actor,
        action=AuditAction.FOLLOW_UP_RECORDED,
        target=locked,
        data={
            "outcome": outcome,
            "done_on": locked.done_on.isoformat(),
            "incident": str(incident.public_id) if incident else None,
            "next": str(next_contact.public_id) if next_contact else None,
        },
        context=context,
    )
    return locked
