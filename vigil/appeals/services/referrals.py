"""Referrals of an appeal or of an interview's allegation to a competent body, with consent
checked for each kind of disclosure.

Consent: an appeal records what the person agreed may be passed on (`Appeal.consent_scopes`,
the kinds of `Disclosure`). An interview records the visits' consent scopes; they map to the
kinds of disclosure as follows (`INTERVIEW_CONSENT`):

- the allegation and medical evidence: `ConsentScope.REFERRAL` (referral to another body);
- the identity: `ConsentScope.REFERRAL` **and** `ConsentScope.NAMED_USE` (use with the name);
- a withdrawn consent covers nothing.

A referral that discloses a kind without consent is refused, naming the kind; a coordinator
(`can_override_consent`) may override with a reason: the referral keeps the overridden kinds,
the reason and who decided, and an audit row and an access event record the override.
"""

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.audit.enums import AccessKind, AuditAction
from vigil.audit.services import access_record, audit_record
from vigil.visits.enums import ConsentScope
from vigil.visits.models import Interview

from ..enums import AppealState, Disclosure, EventKind
from ..models import Appeal, Referral
from ..permissions import can_override_consent, can_refer
from ..timeline import record_event
from ..workflow import APPEALS, REFERRALS, Via
from .numbering import save_with_reference

LETTER_REASON = "referral letter"
"""The reason logged when a referral letter unseals the identity it discloses."""

INTERVIEW_CONSENT: dict[str, tuple[str, ...]] = {
    Disclosure.ALLEGATION: (ConsentScope.REFERRAL,),
    Disclosure.MEDICAL: (ConsentScope.REFERRAL,),
    Disclosure.IDENTITY: (ConsentScope.REFERRAL, ConsentScope.NAMED_USE),
}
"""The interview consent scopes each kind of disclosure needs (all of them)."""

REFERRAL_FIELDS = ("body_kind", "body_name", "region", "sent_on", "letter_number")

# What each life-cycle move fills in, from the submitted values (the date defaults to today).
_MOVE_FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "acknowledge": ("acknowledged_on", ()),
    "register": ("registered_on", ("register_number",)),
    "refuse": ("refused_on", ("refusal_reason",)),
    "outcome": ("outcome_on", ("outcome",)),
}


def consented(source: Appeal | Interview, kind: str) -> bool:
    """Whether the person behind `source` consented to disclosing `kind`."""
    if isinstance(source, Appeal):
        return source.consents_to(kind)
    return all(source.consents_to(ConsentScope(scope)) for scope in INTERVIEW_CONSENT[kind])


def kinds_without_consent(source: Appeal | Interview, kinds: Iterable[str]) -> list[str]:
    return [kind for kind in kinds if not consented(source, kind)]


def _labels(kinds: Iterable[str]) -> str:
    return ", ".join(str(Disclosure(kind).label).lower() for kind in kinds)


def _clean_kinds(discloses: Iterable[str]) -> list[str]:
    kinds = list(dict.fromkeys(discloses))
    unknown = [k for k in kinds if k not in Disclosure.values]
    if unknown:
        raise ValidationError(
            {
                "discloses": _("Unknown kind of disclosure: %(kinds)s.")
                % {"kinds": ", ".join(unknown)}
            }
        )
    if not kinds:
        raise ValidationError({"discloses": _("Choose what the referral passes on.")})
    return [k for k in Disclosure.values if k in kinds]


@transaction.atomic
def referral_create(
    *,
    actor: User,
    data: Mapping[str, Any],
    discloses: Iterable[str],
    appeal: Appeal | None = None,
    interview: Interview | None = None,
    override_reason: str = "",
    context: RequestContext | None = None,
) -> Referral:
    """Refer an appeal (or an interview's allegation) to a body. Refused when it discloses a
    kind the person did not consent to, unless a coordinator overrides it with a reason."""
    if (appeal is None) == (interview is None):
        raise ValueError("A referral is made from an appeal or from an interview.")
    if appeal is not None:
        appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
        allowed = can_refer(actor, appeal=appeal)
    else:
        assert interview is not None  # noqa: S101 (checked above)
        allowed = can_refer(actor, visit=interview.visit)
    if not allowed:
        raise PermissionDenied
    source: Appeal | Interview = appeal if appeal is not None else interview  # type: ignore[assignment]
    kinds = _clean_kinds(discloses)
    missing = kinds_without_consent(source, kinds)
    override_reason = (override_reason or "").strip()
    if missing and not override_reason:
        raise ValidationError(
            {
                "discloses": _(
                    "The person did not consent to disclose: %(kinds)s. Remove it from the "
                    "referral, or a coordinator may override with a reason."
                )
                % {"kinds": _labels(missing)}
            }
        )
    if missing and not can_override_consent(actor):
        raise PermissionDenied(_("Only a coordinator may refer without the person's consent."))
    values = {k: v for k, v in data.items() if k in REFERRAL_FIELDS}
    if values.get("region") is None:
        values["region"] = (
            appeal.region if appeal is not None else interview.visit.region  # type: ignore[union-attr]
        )
    values.setdefault("sent_on", timezone.localdate())
    referral = Referral(
        appeal=appeal,
        interview=interview,
        discloses=kinds,
        overridden=missing,
        override_reason=override_reason if missing else "",
        override_by=actor if missing else None,
        created_by=actor,
        reference="pending",
        **values,
    )
    if referral.sent_on > timezone.localdate():
        raise ValidationError({"sent_on": _("The referral cannot be sent in the future.")})
    referral.full_clean(exclude=("reference",))
    save_with_reference(referral, "R", referral.sent_on)
    record_event(
        referral,
        EventKind.CREATED,
        actor=actor,
        to_state=referral.state,
        data={"discloses": kinds},
    )
    audit_record(
        actor=actor,
        action=AuditAction.REFERRAL_CREATED,
        target=referral,
        data={
            "reference": referral.reference,
            "body_kind": referral.body_kind,
            "discloses": kinds,
            "appeal": appeal.reference if appeal is not None else None,
            "interview": str(interview.public_id) if interview is not None else None,
        },
        context=context,
    )
    if missing:
        record_event(
            referral,
            EventKind.CONSENT_OVERRIDDEN,
            actor=actor,
            note=override_reason,
            data={"overridden": missing},
        )
        audit_record(
            actor=actor,
            action=AuditAction.REFERRAL_CONSENT_OVERRIDDEN,
            target=referral,
            data={"overridden": missing, "override_reason": override_reason},
            context=context,
        )
        access_record(
            actor=actor,
            kind=AccessKind.CONSENT_OVERRIDDEN,
            target=referral,
            reason=override_reason,
            data={"overridden": missing},
            context=context,
        )
    if appeal is not None and appeal.state in (AppealState.TRIAGED, AppealState.IN_REVIEW):
        APPEALS.make(
            actor,
            appeal,
            target=AppealState.REFERRED,
            via=Via.REFERRAL,
            extra={
                "kind": EventKind.REFERRED,
                "data": {"referral": referral.reference},
                "context": context,
            },
            save=lambda a: a.save(update_fields=["state", "updated_at"]),
        )
    return referral


@transaction.atomic
def referral_transition(
    *,
    actor: User,
    referral: Referral,
    name: str,
    values: Mapping[str, Any] | None = None,
    on: datetime.date | None = None,
    context: RequestContext | None = None,
) -> Referral:
    """A life-cycle move of `workflow.REFERRALS` by its name (acknowledge, register, refuse,
    outcome) with what it needs (register number, refusal reason, outcome), dated `on`."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    given = {k: (v.strip() if isinstance(v, str) else v) for k, v in (values or {}).items()}
    move = REFERRALS.check(actor, referral, name=name, via=Via.MANUAL, values=given)
    day = on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"on": _("The date cannot be in the future.")})
    if day < referral.sent_on:
        raise ValidationError({"on": _("The date cannot be before the referral was sent.")})
    date_field, value_fields = _MOVE_FIELDS[move.name]
    setattr(referral, date_field, day)
    for field in value_fields:
        setattr(referral, field, given.get(field) or "")
    changed = [date_field, *value_fields]

    def save(obj: Referral) -> None:
        obj.full_clean(exclude=("reference",))
        obj.save(update_fields=[*changed, "state", "updated_at"])

    REFERRALS.apply(
        actor,
        referral,
        move,
        values=given,
        extra={"data": {f: str(getattr(referral, f)) for f in changed}, "context": context},
        save=save,
    )
    return referral


def referral_letter_recorded(
    *, actor: User, referral: Referral, language: str, fmt: str, context: RequestContext | None
) -> None:
    """The letter's event and audit row (what was disclosed, in which language and format)."""
    record_event(
        referral,
        EventKind.LETTER,
        actor=actor,
        data={"language": language, "format": fmt, "discloses": list(referral.discloses)},
    )
    audit_record(
        actor=actor,
        action=AuditAction.REFERRAL_LETTER_EXPORTED,
        target=referral,
        data={"language": language, "format": fmt, "discloses": list(referral.discloses)},
        context=context,
    )
