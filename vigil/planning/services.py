"""Writes to planning data: permission-checked, validated, audited."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_record, diff, snapshot

from .models import RiskFactor
from .permissions import can_manage_planning

RISK_FACTOR_FIELDS = ("weight", "threshold", "saturation", "lookback_months")


@transaction.atomic
def risk_factors_update(
    *,
    actor: User,
    changes: Mapping[str, Mapping[str, Any]],
    context: RequestContext | None = None,
) -> dict[str, dict[str, list[Any]]]:
    """Change the weights and scales of risk factors, by factor code; one audit row per
    factor changed (its fields as [old, new]). Returns the changes made."""
    if not can_manage_planning(actor):
        raise PermissionDenied
    factors = {f.code: f for f in RiskFactor.objects.select_for_update().filter(code__in=changes)}
    unknown = set(changes) - set(factors)
    if unknown:
        raise ValidationError(
            _("Unknown risk factors: %(codes)s.") % {"codes": ", ".join(sorted(unknown))}
        )
    made: dict[str, dict[str, list[Any]]] = {}
    errors: dict[str, Any] = {}
    for code, data in changes.items():
        factor = factors[code]
        before = snapshot(factor, RISK_FACTOR_FIELDS)
        for name in RISK_FACTOR_FIELDS:
            if name in data:
                setattr(factor, name, data[name])
        try:
            factor.full_clean()
        except ValidationError as exc:
            errors[code] = exc
            continue
        changed = diff(before, snapshot(factor, RISK_FACTOR_FIELDS))
        if changed:
            made[code] = changed
    if errors:
        raise ValidationError(
            {
                f"{code}-{field}": messages
                for code, exc in errors.items()
                for field, messages in exc.message_dict.items()
            }
        )
    for code, changed in made.items():
        factors[code].save(update_fields=[*changed, "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.RISK_FACTOR_UPDATED,
            target=factors[code],
            data={"factor": code, "changes": changed},
            context=context,
        )
    return made
