"""Recording and correcting incidents (reprisal, access obstruction, death in custody,
self-harm), linked to a visit, an appeal, an interview, a criminal case and an institution.

Who may record depends on where it is recorded from: a visit's team and the planners in
scope from the visit, an appeal's handlers (and the monitors who see it) from the appeal,
coordinators and regional representatives anywhere in their scope. Every link must be to a
record the actor sees. The audit row and, for an incident about an appeal or a case, a note on
that timeline are written in the same transaction.

What happened (`summary`) can identify the person, so it is stored encrypted with the field
keys, bound to its row, and read only through `incident_summary_read` (logged first). The
audit log records only that it changed.
"""

import datetime
from collections.abc import Mapping
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
from vigil.visits.permissions import visits_visible_to

from ..enums import EventKind
from ..models import Incident
from ..permissions import (
    appeals_visible_to,
    can_edit_incident,
    can_place_incident,
    can_read_incident_summary,
    can_record_incident,
    can_record_incident_for_appeal,
    cases_visible_to,
)
from ..timeline import record_event
from .numbering import save_with_reference

INCIDENT_FIELDS = (
    "kind",
    "occurred_on",
    "institution",
    "region",
    "visit",
    "appeal",
    "interview",
    "case",
    "summary",
    "persons_affected",
)
"""What a caller may set on an incident."""

MAX_SUMMARY_CHARS = 10_000


def summary_associated_data(incident: Incident) -> bytes:
    """Binds an incident's summary ciphertext to its row."""
    return f"appeals.incident.summary:{incident.public_id}".encode()


def summary_encrypt(incident: Incident, summary: str) -> None:
    """What happened, encrypted with the field keys (empty: nothing stored)."""
    summary = summary.strip()
    incident.summary_ciphertext = (
        keyring().encrypt(summary.encode("utf-8"), summary_associated_data(incident))
        if summary
        else b""
    )


def incident_summary_read(
    *, actor: User, incident: Incident, context: RequestContext | None = None
) -> str:
    """What happened, for whoever may read it; logged before it is decrypted, a refused read
    as denied (`vigil.core.reveal`)."""
    fresh = Incident.objects.get(pk=incident.pk)
    blob = bytes(fresh.summary_ciphertext or b"")
    return reveal_logged(
        lambda: (
            keyring().decrypt(blob, summary_associated_data(fresh)).decode("utf-8") if blob else ""
        ),
        actor=actor,
        kind=AccessKind.PERSON_DETAILS_READ,
        target=fresh,
        allowed=can_read_incident_summary(actor, fresh),
        data={"field": "summary"},
        context=context,
    )


def _summary_of(data: Mapping[str, Any]) -> str:
    summary = str(data.get("summary") or "").strip()
    if len(summary) > MAX_SUMMARY_CHARS:
        raise ValidationError(
            {
                "summary": [
                    _("Keep this under %(limit)s characters.") % {"limit": f"{MAX_SUMMARY_CHARS:,}"}
                ]
            }
        )
    return summary


LINK_FIELDS = ("institution", "region", "visit", "appeal", "interview", "case")


def _may_record(actor: User, incident: Incident) -> bool:
    if incident.visit is not None:
        return can_record_incident(actor, incident.visit)
    if incident.appeal is not None:
        return can_record_incident_for_appeal(actor, incident.appeal)
    return can_record_incident(actor)


def _links_visible(actor: User, incident: Incident) -> bool:
    """Each record the incident links to is one the actor sees."""
    if incident.visit_id and not visits_visible_to(actor).filter(pk=incident.visit_id).exists():
        return False
    if incident.appeal_id and not appeals_visible_to(actor).filter(pk=incident.appeal_id).exists():
        return False
    if incident.case_id and not cases_visible_to(actor).filter(pk=incident.case_id).exists():
        return False
    return can_place_incident(actor, incident.region_id)


def _complete(incident: Incident) -> None:
    """Fill what the links imply: the interview's visit, the place of the visit, appeal or
    case, and the region of the place."""
    if incident.interview is not None and incident.visit is None:
        incident.visit = incident.interview.visit
    if incident.institution is None:
        for source in (incident.interview, incident.appeal, incident.case):
            if source is not None and source.institution is not None:
                incident.institution = source.institution
                break
    if incident.region is None:
        if incident.institution is not None:
            incident.region = incident.institution.region
        elif incident.visit is not None:
            incident.region = incident.visit.region
        elif incident.appeal is not None:
            incident.region = incident.appeal.region


def _validate(incident: Incident) -> None:
    errors: dict[str, list[str]] = {}
    if (
        incident.interview is not None
        and incident.visit is not None
        and incident.interview.visit_id != incident.visit.pk
    ):
        errors["interview"] = [_("This interview is not of this visit.")]
    if incident.occurred_on and incident.occurred_on > timezone.localdate():
        errors["occurred_on"] = [_("The date cannot be in the future.")]
    if (
        incident.visit is not None
        and incident.institution is not None
        and not incident.visit.institutions.filter(pk=incident.institution.pk).exists()
    ):
        errors["institution"] = [_("This institution was not visited on this visit.")]
    try:
        incident.full_clean(exclude=("reference",))
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _audit_data(incident: Incident) -> dict[str, Any]:
    """What the audit row keeps: the kind, the date and the public ids of the links (the
    summary stays on the record)."""
    data: dict[str, Any] = {
        "reference": incident.reference,
        "kind": incident.kind,
        "occurred_on": incident.occurred_on.isoformat(),
    }
    for name in ("institution", "visit", "appeal", "interview", "case"):
        linked = getattr(incident, name)
        data[name] = str(linked.public_id) if linked is not None else None
    return data


def _note_on_timelines(incident: Incident, actor: User, note: str) -> None:
    for linked in (incident.appeal, incident.case):
        if linked is not None:
            record_event(
                linked,
                EventKind.NOTE,
                actor=actor,
                note=note,
                data={"incident": str(incident.public_id), "kind": incident.kind},
            )


@transaction.atomic
def incident_record(
    *,
    actor: User,
    data: Mapping[str, Any],
    context: RequestContext | None = None,
) -> Incident:
    """Record an incident. `data` holds `INCIDENT_FIELDS` (model instances for the links)."""
    values = {k: v for k, v in data.items() if k in INCIDENT_FIELDS and k != "summary"}
    values.setdefault("occurred_on", timezone.localdate())
    incident = Incident(**values, recorded_by=actor, reference="pending")
    _complete(incident)
    if not _may_record(actor, incident) or not _links_visible(actor, incident):
        raise PermissionDenied(_("You may not record this incident."))
    summary = _summary_of(data)
    if not summary:
        raise ValidationError({"summary": [_("Say what happened.")]})
    _validate(incident)
    summary_encrypt(incident, summary)
    save_with_reference(incident, "I", incident.occurred_on)
    audit_record(
        actor=actor,
        action=AuditAction.INCIDENT_RECORDED,
        target=incident,
        data=_audit_data(incident),
        context=context,
    )
    _note_on_timelines(
        incident,
        actor,
        _("Incident %(reference)s recorded: %(kind)s")
        % {"reference": incident.reference, "kind": incident.get_kind_display()},
    )
    return incident


@transaction.atomic
def incident_update(
    *,
    actor: User,
    incident: Incident,
    data: Mapping[str, Any],
    context: RequestContext | None = None,
) -> Incident:
    """Correct an incident; the audit row keeps the changed fields as [old, new], and for
    what happened only that it was replaced (an empty summary keeps the one recorded)."""
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    if not can_edit_incident(actor, locked):
        raise PermissionDenied(_("You may not change this incident."))
    fields = [name for name in INCIDENT_FIELDS if name != "summary"]
    before = {name: getattr(locked, name) for name in fields}
    for name, value in data.items():
        if name in fields:
            setattr(locked, name, value)
    _complete(locked)
    if not _links_visible(actor, locked):
        raise PermissionDenied(_("You may not link this incident to that record."))
    summary = _summary_of(data)
    _validate(locked)
    changes: dict[str, list[Any]] = {}
    for name, old in before.items():
        new = getattr(locked, name)
        if old != new:
            changes[name] = [_plain(old), _plain(new)]
    if summary:
        summary_encrypt(locked, summary)
        changes["summary"] = [True]  # the text is encrypted on the record, never in the log
    if not changes:
        return locked
    locked.save()
    audit_record(
        actor=actor,
        action=AuditAction.INCIDENT_UPDATED,
        target=locked,
        data={"reference": locked.reference, "changes": changes},
        context=context,
    )
    return locked


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, int | str | bool):
        return value
    if isinstance(value, datetime.date):
        return value.isoformat()
    public_id = getattr(value, "public_id", None)
    return str(public_id) if public_id is not None else str(value)
