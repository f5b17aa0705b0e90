"""Accountability records: officials brought to disciplinary, administrative or criminal
responsibility, and on whose initiative."""

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_record

from ..models import AccountabilityRecord
from ..permissions import can_manage_accountability

ACCOUNTABILITY_FIELDS = (
    "decided_on",
    "responsibility",
    "initiative",
    "position",
    "measure",
    "agency",
    "institution",
    "region",
    "visit",
    "appeal",
    "case",
    "note",
)


def _value(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if hasattr(value, "public_id"):
        return str(value)
    return value


def _clean(record: AccountabilityRecord) -> None:
    if record.region is None and record.institution is not None:
        record.region = record.institution.region
    if record.agency is None and record.institution is not None:
        record.agency = record.institution.agency
    if record.decided_on and record.decided_on > timezone.localdate():
        raise ValidationError({"decided_on": _("The date cannot be in the future.")})
    record.full_clean()


@transaction.atomic
def accountability_record(
    *, actor: User, data: Mapping[str, Any], context: RequestContext | None = None
) -> AccountabilityRecord:
    values = {k: v for k, v in data.items() if k in ACCOUNTABILITY_FIELDS}
    record = AccountabilityRecord(recorded_by=actor, **values)
    _clean(record)
    if not can_manage_accountability(actor) or not can_manage_accountability(actor, record):
        raise PermissionDenied
    record.save()
    audit_record(
        actor=actor,
        action=AuditAction.ACCOUNTABILITY_RECORDED,
        target=record,
        data={
            "responsibility": record.responsibility,
            "initiative": record.initiative,
            "decided_on": record.decided_on.isoformat(),
        },
        context=context,
    )
    return record


@transaction.atomic
def accountability_update(
    *,
    actor: User,
    record: AccountabilityRecord,
    data: Mapping[str, Any],
    context: RequestContext | None = None,
) -> AccountabilityRecord:
    record = AccountabilityRecord.objects.select_for_update().get(pk=record.pk)
    if not can_manage_accountability(actor, record):
        raise PermissionDenied
    changes: dict[str, list[Any]] = {}
    for name, new in data.items():
        if name in ACCOUNTABILITY_FIELDS and getattr(record, name) != new:
            changes[name] = [_value(getattr(record, name)), _value(new)]
            setattr(record, name, new)
    if not changes:
        return record
    _clean(record)
    if not can_manage_accountability(actor, record):
        raise PermissionDenied
    record.save()
    audit_record(
        actor=actor,
        action=AuditAction.ACCOUNTABILITY_UPDATED,
        target=record,
        data={"changes": changes},
        context=context,
    )
    return record
