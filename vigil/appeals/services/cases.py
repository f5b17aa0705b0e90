"""Criminal cases under art. 146: recorded (alone, or from an appeal or a referral), edited,
reclassified (part and investigating body, dated: each change a `CaseClassification` row),
moved through `workflow.CASES`, with their suspects."""

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_record

from ..enums import CaseState, EventKind
from ..models import Appeal, CaseClassification, CriminalCase, InvestigatingBody, Referral, Suspect
from ..permissions import can_manage_case
from ..timeline import record_event
from ..workflow import CASES, Via
from .numbering import save_with_reference
from .victim_protection import victim_protection_encrypt

# What a case form edits (the part and the body change only by reclassification, the state
# only by a move).
CASE_FIELDS = (
    "institution",
    "region",
    "reported_on",
    "info_book_entry_on",
    "register_number",
    "registered_on",
    "victim_pseudonym",
    "forensic_status",
    "forensic_requested_on",
    "forensic_done_on",
    "forensic_result",
    "outcome",
)
CASE_INPUT = (*CASE_FIELDS, "victim_protection")
"""What a caller may send: the fields, and the victim protection measures (encrypted)."""
DATE_FIELDS = (
    "reported_on",
    "info_book_entry_on",
    "registered_on",
    "forensic_requested_on",
    "forensic_done_on",
)

# What each move dates (the date defaults to today) and the values it keeps.
_MOVE_FIELDS: dict[str, tuple[str | None, tuple[str, ...]]] = {
    "register": ("registered_on", ("register_number",)),
    "refuse": (None, ()),
    "investigate": (None, ()),
    "charge": (None, ()),
    "court": ("sent_to_court_on", ()),
    "convict": ("verdict_on", ()),
    "acquit": ("verdict_on", ()),
    "final": ("final_on", ()),
    "terminate": ("terminated_on", ("termination_ground",)),
    "suspend": (None, ()),
}


def _check_dates(case: CriminalCase) -> None:
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    for name in DATE_FIELDS:
        value = getattr(case, name)
        if value is not None and value > today:
            errors[name] = [_("The date cannot be in the future.")]
    if (
        case.info_book_entry_on
        and case.registered_on
        and case.registered_on < case.info_book_entry_on
        and "registered_on" not in errors
    ):
        errors["registered_on"] = [
            _("The registration cannot come before the information-book entry.")
        ]
    if (
        case.forensic_requested_on
        and case.forensic_done_on
        and case.forensic_done_on < case.forensic_requested_on
        and "forensic_done_on" not in errors
    ):
        errors["forensic_done_on"] = [_("The examination cannot be done before it was requested.")]
    if errors:
        raise ValidationError(errors)


def _value(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if hasattr(value, "public_id"):
        return str(value)
    return value


def case_prefill(
    *, appeal: Appeal | None = None, referral: Referral | None = None
) -> dict[str, Any]:
    """What a new case takes from the appeal or the referral it comes from."""
    if referral is not None:
        appeal = appeal or referral.appeal
    values: dict[str, Any] = {}
    if appeal is not None:
        values.update(
            institution=appeal.institution,
            region=appeal.region,
            reported_on=appeal.received_on,
        )
    if referral is not None:
        values.update(region=referral.region or values.get("region"), reported_on=referral.sent_on)
        if referral.register_number:
            values.update(
                register_number=referral.register_number, registered_on=referral.registered_on
            )
    return values


@transaction.atomic
def case_create(
    *,
    actor: User,
    data: Mapping[str, Any],
    part: int,
    investigating_body: InvestigatingBody | None = None,
    appeal: Appeal | None = None,
    referral: Referral | None = None,
    suspects: Iterable[Mapping[str, Any]] = (),
    context: RequestContext | None = None,
) -> CriminalCase:
    """Record a case; its first classification row is written with it."""
    if referral is not None and appeal is None:
        appeal = referral.appeal
    values = {k: v for k, v in data.items() if k in CASE_FIELDS}
    case = CriminalCase(
        reference="pending",
        appeal=appeal,
        referral=referral,
        part=part,
        investigating_body=investigating_body,
        created_by=actor,
        **values,
    )
    if case.region is None:  # the institution's, else the referral's or the appeal's
        sources = (case.institution, referral, appeal)
        case.region = next((s.region for s in sources if s is not None and s.region), None)
    if not can_manage_case(actor) or not can_manage_case(actor, case):
        raise PermissionDenied
    _check_dates(case)
    case.full_clean(exclude=("reference",))
    victim_protection_encrypt(case, str(data.get("victim_protection") or ""))
    save_with_reference(case, "C", case.reported_on)
    CaseClassification.objects.create(
        case=case,
        part=case.part,
        investigating_body=investigating_body,
        effective_on=case.registered_on or case.info_book_entry_on or case.reported_on,
        recorded_by=actor,
    )
    for suspect in suspects:
        _suspect_save(case, suspect)
    record_event(case, EventKind.CREATED, actor=actor, to_state=case.state)
    audit_record(
        actor=actor,
        action=AuditAction.CASE_CREATED,
        target=case,
        data={
            "reference": case.reference,
            "part": case.part,
            "investigating_body": investigating_body.code if investigating_body else None,
            "appeal": appeal.reference if appeal else None,
            "referral": referral.reference if referral else None,
        },
        context=context,
    )
    return case


@transaction.atomic
def case_update(
    *,
    actor: User,
    case: CriminalCase,
    data: Mapping[str, Any],
    context: RequestContext | None = None,
) -> CriminalCase:
    """Change what the case form edits; the audit row keeps each change as [old, new], and
    for the victim protection measures (encrypted) only that they were replaced: empty
    measures keep those recorded."""
    case = CriminalCase.objects.select_for_update().get(pk=case.pk)
    if not can_manage_case(actor, case):
        raise PermissionDenied
    changes: dict[str, list[Any]] = {}
    for name, new in data.items():
        if name not in CASE_FIELDS:
            continue
        old = getattr(case, name)
        if old != new:
            changes[name] = [_value(old), _value(new)]
            setattr(case, name, new)
    protection = str(data.get("victim_protection") or "").strip()
    if protection:
        victim_protection_encrypt(case, protection)
        changes["victim_protection"] = [True]  # encrypted on the record, never in the log
    if not changes:
        return case
    if not can_manage_case(actor, case):  # moved out of the actor's regions
        raise PermissionDenied
    _check_dates(case)
    case.full_clean(exclude=("reference",))
    case.save()
    record_event(case, EventKind.EDITED, actor=actor, data={"fields": sorted(changes)})
    audit_record(
        actor=actor,
        action=AuditAction.CASE_UPDATED,
        target=case,
        data={"changes": changes},
        context=context,
    )
    return case


@transaction.atomic
def case_reclassify(
    *,
    actor: User,
    case: CriminalCase,
    part: int,
    investigating_body: InvestigatingBody | None,
    effective_on: datetime.date,
    note: str = "",
    context: RequestContext | None = None,
) -> CaseClassification:
    """Record a new classification (part of art. 146 and investigating body) from a date."""
    case = CriminalCase.objects.select_for_update().get(pk=case.pk)
    if not can_manage_case(actor, case):
        raise PermissionDenied
    body_id = investigating_body.pk if investigating_body else None
    if part == case.part and body_id == case.investigating_body_id:
        raise ValidationError({"part": _("Change the part of art. 146 or the investigating body.")})
    if effective_on > timezone.localdate():
        raise ValidationError({"effective_on": _("The date cannot be in the future.")})
    last = case.classifications.order_by("-effective_on", "-id").first()
    if last is not None and effective_on < last.effective_on:
        raise ValidationError(
            {
                "effective_on": _("The case was classified on %(date)s; give a later date.")
                % {"date": last.effective_on.isoformat()}
            }
        )
    before = {
        "part": case.part,
        "investigating_body": case.investigating_body.code if case.investigating_body else None,
    }
    row = CaseClassification(
        case=case,
        part=part,
        investigating_body=investigating_body,
        effective_on=effective_on,
        note=note.strip(),
        recorded_by=actor,
    )
    row.full_clean(exclude=("case",))
    row.save()
    case.part = part
    case.investigating_body = investigating_body
    case.save(update_fields=["part", "investigating_body", "updated_at"])
    after = {
        "part": part,
        "investigating_body": investigating_body.code if investigating_body else None,
    }
    record_event(
        case,
        EventKind.RECLASSIFIED,
        actor=actor,
        note=row.note,
        data={"from": before, "to": after, "effective_on": effective_on.isoformat()},
    )
    audit_record(
        actor=actor,
        action=AuditAction.CASE_RECLASSIFIED,
        target=case,
        data={
            "changes": {
                "part": [before["part"], part],
                "investigating_body": [before["investigating_body"], after["investigating_body"]],
            },
            "effective_on": effective_on.isoformat(),
            "note": row.note,
        },
        context=context,
    )
    return row


@transaction.atomic
def case_transition(
    *,
    actor: User,
    case: CriminalCase,
    name: str,
    values: Mapping[str, Any] | None = None,
    on: datetime.date | None = None,
    context: RequestContext | None = None,
) -> CriminalCase:
    """A move of `workflow.CASES` by its name, with what it needs (register number,
    termination ground, a note), dated `on` (default today)."""
    case = CriminalCase.objects.select_for_update().get(pk=case.pk)
    given = {k: (v.strip() if isinstance(v, str) else v) for k, v in (values or {}).items()}
    move = CASES.check(actor, case, name=name, via=Via.MANUAL, values=given)
    day = on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"on": _("The date cannot be in the future.")})
    if day < case.reported_on:
        raise ValidationError({"on": _("The date cannot be before the case was reported.")})
    date_field, value_fields = _MOVE_FIELDS[move.name]
    changed: list[str] = []
    if date_field is not None:
        setattr(case, date_field, day)
        changed.append(date_field)
    for field in value_fields:
        setattr(case, field, given.get(field) or "")
        changed.append(field)
    if move.target == CaseState.INVESTIGATION and case.termination_ground:
        case.termination_ground = ""
        case.terminated_on = None
        changed += ["termination_ground", "terminated_on"]

    def save(obj: CriminalCase) -> None:
        obj.full_clean(exclude=("reference",))
        obj.save(update_fields=[*changed, "state", "updated_at"])

    CASES.apply(
        actor,
        case,
        move,
        values=given,
        extra={"data": {f: _value(getattr(case, f)) for f in changed}, "context": context},
        save=save,
    )
    return case


def _suspect_save(case: CriminalCase, data: Mapping[str, Any]) -> Suspect:
    suspect = Suspect(
        case=case,
        unit=str(data.get("unit") or "").strip(),
        position=str(data.get("position") or "").strip(),
        suspended=bool(data.get("suspended")),
        note=str(data.get("note") or "").strip(),
    )
    suspect.full_clean(exclude=("case",))
    suspect.save()
    return suspect


@transaction.atomic
def suspect_add(
    *,
    actor: User,
    case: CriminalCase,
    data: Mapping[str, Any],
    context: RequestContext | None = None,
) -> Suspect:
    """Add a suspect official (unit, position, suspended from duty or not)."""
    case = CriminalCase.objects.select_for_update().get(pk=case.pk)
    if not can_manage_case(actor, case):
        raise PermissionDenied
    suspect = _suspect_save(case, data)
    record_event(case, EventKind.EDITED, actor=actor, data={"suspect_added": suspect.position})
    audit_record(
        actor=actor,
        action=AuditAction.CASE_UPDATED,
        target=case,
        data={"suspect_added": {"unit": suspect.unit, "position": suspect.position}},
        context=context,
    )
    return suspect
