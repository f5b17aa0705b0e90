"""Retention periods, legal holds and disposal, once for every app.

Each domain app registers a `RetentionRule` per kind of record it keeps for a limited time
(`register_retention_rule` in its `AppConfig.ready()`): which records' periods have ended on
a day, whether a legal hold covers one, and how to dispose of it (erase the encrypted content
and the sealed identity, or remove a file and its blob). `dispose_expired` runs every rule:
each record is disposed of in its own transaction (all or nothing), leaves a tombstone
(`core.Disposal`: what, when, under which rule, the facts statistics still need) and an audit
row, and is never disposed of twice. A dry run counts and changes nothing.

A legal hold (`core.LegalHold`) is placed on a record with a reason and lifted with one, both
audited; who may place or lift one is the owning app's policy, decided before it calls
`legal_hold_place` / `legal_hold_lift`.
"""

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from vigil.audit.context import RequestContext
from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_record

from .models import Disposal, LegalHold

if TYPE_CHECKING:
    from vigil.accounts.models import User

MAX_REASON_CHARS = 1_000


@dataclass(frozen=True)
class RetentionRule:
    """How one kind of record is kept and disposed of."""

    kind: str  # "interview", "appeal", "visit_file", ...
    label: str | Promise  # "interviews' content", for the command's counts
    describe: Callable[[], str]  # the rule in words, kept on each tombstone
    expired: Callable[[datetime.date], models.QuerySet[Any]]  # period ended by that day
    expired_on: Callable[[Any], datetime.date]  # the day a record's period ended
    held: Callable[[Any], bool]  # an active legal hold covers the record
    dispose: Callable[[Any], Mapping[str, Any]]  # erase it; the facts kept on the tombstone
    owner: Callable[[Any], models.Model | None] = lambda record: None


_RULES: dict[str, RetentionRule] = {}


def register_retention_rule(rule: RetentionRule) -> None:
    _RULES[rule.kind] = rule


def retention_rules() -> list[RetentionRule]:
    return list(_RULES.values())


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` earlier (29 February: the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def years_after(day: datetime.date, years: int) -> datetime.date:
    return years_before(day, -years)


# ------------------------------------------------------------------------------ legal holds


def _label(target: models.Model) -> str:
    return target._meta.label_lower


def is_held(*targets: models.Model | None) -> bool:
    """Whether an active legal hold is on any of `targets` (a record and what holds it:
    an interview's visit, a file's owner)."""
    query = models.Q()
    for target in targets:
        if target is not None:
            query |= models.Q(target_type=_label(target), target_id=target.public_id)  # type: ignore[attr-defined]
    return bool(query) and LegalHold.objects.active().filter(query).exists()


def active_hold(target: models.Model) -> LegalHold | None:
    return LegalHold.objects.active().on(target).select_related("placed_by").first()


def holds_on(target: models.Model) -> models.QuerySet[LegalHold]:
    """Every hold ever placed on `target`, newest first."""
    return LegalHold.objects.on(target).select_related("placed_by", "lifted_by")


def _reason(reason: str | None, field: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field: _("Give the reason: it is kept and logged.")})
    if len(reason) > MAX_REASON_CHARS:
        raise ValidationError(
            {field: _("Keep this under %(limit)s characters.") % {"limit": MAX_REASON_CHARS}}
        )
    return reason


@transaction.atomic
def legal_hold_place(
    *,
    actor: "User",
    target: models.Model,
    reason: str,
    context: RequestContext | None = None,
) -> LegalHold:
    """Put a hold on `target` (the caller has checked the actor may); audited."""
    reason = _reason(reason, "reason")
    if LegalHold.objects.active().on(target).select_for_update().exists():
        raise ValidationError({"reason": _("A legal hold is already in place.")})
    hold = LegalHold.objects.create(
        target_type=_label(target),
        target_id=target.public_id,  # type: ignore[attr-defined]
        target_label=str(target)[:300],
        reason=reason,
        placed_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.LEGAL_HOLD_PLACED,
        target=target,
        data={"hold": str(hold.public_id), "reason": reason},
        context=context,
    )
    return hold


@transaction.atomic
def legal_hold_lift(
    *,
    actor: "User",
    target: models.Model,
    reason: str,
    context: RequestContext | None = None,
) -> LegalHold:
    """Lift the active hold on `target` (the caller has checked the actor may); audited."""
    reason = _reason(reason, "lift_reason")
    hold = LegalHold.objects.active().on(target).select_for_update().first()
    if hold is None:
        raise ValidationError({"lift_reason": _("There is no legal hold to lift.")})
    hold.lifted_at = timezone.now()
    hold.lifted_by = actor
    hold.lift_reason = reason
    hold.save(update_fields=["lifted_at", "lifted_by", "lift_reason", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.LEGAL_HOLD_LIFTED,
        target=target,
        data={"hold": str(hold.public_id), "reason": reason},
        context=context,
    )
    return hold


def legal_hold_change(
    *,
    actor: "User",
    target: models.Model,
    place: bool,
    reason: str,
    allowed: bool,
    context: RequestContext | None = None,
) -> LegalHold:
    """Place (`place`) or lift the hold on `target`; `allowed` is the app's permission
    (`can_hold_<entity>` in its permissions.py), refused here when it says no."""
    if not allowed:
        raise PermissionDenied(_("You may not place or lift a legal hold here."))
    change = legal_hold_place if place else legal_hold_lift
    return change(actor=actor, target=target, reason=reason, context=context)


# ------------------------------------------------------------------------------ disposal


@dataclass
class DisposalCount:
    """What a run found for one kind: expired records disposed of (or, in a dry run, that
    would be), and those kept because a legal hold covers them."""

    kind: str
    label: str | Promise
    rule: str
    due: int = 0
    held: int = 0


def _disposed_ids(rule: RetentionRule) -> models.QuerySet[Disposal, Any]:
    return Disposal.objects.filter(kind=rule.kind).values("target_id")


def dispose_expired(*, today: datetime.date | None = None, dry_run: bool) -> list[DisposalCount]:
    """Run every rule for `today` (by default, today). A dry run counts and changes nothing;
    a real run disposes of each expired, unheld record in its own transaction."""
    today = today or timezone.localdate()
    counts = []
    for rule in retention_rules():
        count = DisposalCount(kind=rule.kind, label=rule.label, rule=rule.describe())
        candidates = rule.expired(today).exclude(public_id__in=_disposed_ids(rule))
        for pk in candidates.order_by("pk").values_list("pk", flat=True):
            if dry_run:
                record = candidates.model._default_manager.get(pk=pk)
                if rule.held(record):
                    count.held += 1
                else:
                    count.due += 1
            elif _dispose_one(rule, candidates.model, pk, today):
                count.due += 1
            else:
                count.held += 1
        counts.append(count)
    return counts


@transaction.atomic
def _dispose_one(rule: RetentionRule, model: type[models.Model], pk: Any, today: Any) -> bool:
    """Dispose of one record, all or nothing; False (and nothing changed) when a legal hold
    covers it. The row is locked, so two runs at once cannot dispose of it twice."""
    record = rule.expired(today).select_for_update(of=("self",)).filter(pk=pk).first()
    if (
        record is None
        or Disposal.objects.filter(kind=rule.kind, target_id=record.public_id).exists()
    ):
        return True  # gone or done meanwhile: nothing left to do
    if rule.held(record):
        return False
    owner = rule.owner(record)
    expired_on = rule.expired_on(record)
    described = rule.describe()
    audit_record(
        actor=None,
        action=AuditAction.RECORD_DISPOSED,
        target=record,
        data={"kind": rule.kind, "rule": described, "expired_on": expired_on.isoformat()},
    )
    target_type, target_id = _label(record), record.public_id
    facts = dict(rule.dispose(record))
    Disposal.objects.create(
        kind=rule.kind,
        target_type=target_type,
        target_id=target_id,
        owner_type=_label(owner) if owner is not None else "",
        owner_id=getattr(owner, "public_id", None),
        rule=described,
        expired_on=expired_on,
        facts=facts,
    )
    return True


def disposal_of(record: models.Model) -> Disposal | None:
    """The tombstone of a record kept after disposal (an interview, an appeal), if any."""
    return Disposal.objects.filter(target_type=_label(record), target_id=record.public_id).first()  # type: ignore[attr-defined]
