"""The one way to write audit and access rows; called inside the service's transaction."""

import datetime
import decimal
import uuid
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.db import models

from .context import SYSTEM_CONTEXT, RequestContext
from .enums import AccessKind, AccessOutcome, AuditAction
from .models import AccessEvent, AuditEvent

if TYPE_CHECKING:  # the audit store is the ground floor: it names users, never imports them
    from vigil.accounts.models import User


def _plain(value: Any) -> Any:
    """A JSON-safe rendering of a field value."""
    if isinstance(value, models.Model):
        return str(getattr(value, "public_id", None) or getattr(value, "code", None) or value.pk)
    if isinstance(value, datetime.date | datetime.datetime | uuid.UUID | decimal.Decimal):
        return str(value)
    return value


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return {name: _plain(getattr(instance, name)) for name in fields}


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for each field whose value changed."""
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }


def _target(target: models.Model | None) -> tuple[str, str, str]:
    if target is None:
        return "", "", ""
    ident = getattr(target, "public_id", None) or getattr(target, "code", None) or target.pk
    return target._meta.label_lower, str(ident), str(target)[:300]


def _event(
    *,
    actor: "User | None",
    action: AuditAction,
    target: models.Model | None,
    data: Mapping[str, Any] | None,
    context: RequestContext | None,
) -> AuditEvent:
    """An unsaved audit row; the one place that says what a row holds."""
    if not isinstance(action, AuditAction):
        raise ValueError(f"Unknown audit action: {action!r}")
    ctx = context or SYSTEM_CONTEXT
    target_type, target_id, target_label = _target(target)
    return AuditEvent(
        actor=actor,
        actor_label=actor.email if actor else "system",
        action=action.value,
        target_type=target_type,
        target_id=target_id,
        target_label=target_label,
        data=dict(data or {}),
        request_id=ctx.request_id,
        ip=ctx.ip,
    )


def audit_record(
    *,
    actor: "User | None",
    action: AuditAction,
    target: models.Model | None = None,
    data: Mapping[str, Any] | None = None,
    context: RequestContext | None = None,
) -> AuditEvent:
    event = _event(actor=actor, action=action, target=target, data=data, context=context)
    event.save()
    return event


def audit_records_bulk(
    *,
    actor: "User | None",
    action: AuditAction,
    entries: Iterable[tuple[models.Model, Mapping[str, Any]]],
    context: RequestContext | None = None,
    batch_size: int = 500,
) -> list[AuditEvent]:
    """One row per (target, data), as `audit_record` writes it, in a few bulk inserts."""
    events = [
        _event(actor=actor, action=action, target=target, data=data, context=context)
        for target, data in entries
    ]
    return AuditEvent.objects.bulk_create(events, batch_size=batch_size)


def access_record(
    *,
    actor: "User",
    kind: AccessKind,
    target: models.Model | None,
    reason: str = "",
    data: Mapping[str, Any] | None = None,
    context: RequestContext | None = None,
    outcome: AccessOutcome = AccessOutcome.GRANTED,
) -> AccessEvent:
    """A read of sensitive data: of `target`, or of many rows at once (an export of the
    audit trail, `target=None`, described by `data`); `outcome` DENIED for a refused attempt."""
    ctx = context or SYSTEM_CONTEXT
    target_type, target_id, target_label = _target(target)
    return AccessEvent.objects.create(
        actor=actor,
        actor_label=actor.email,
        kind=AccessKind(kind),
        outcome=AccessOutcome(outcome),
        target_type=target_type,
        target_id=target_id,
        target_label=target_label,
        reason=reason,
        data=dict(data or {}),
        request_id=ctx.request_id,
        ip=ctx.ip,
    )
