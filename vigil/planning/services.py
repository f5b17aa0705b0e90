"""Writes to planning data: permission-checked, validated, audited."""

from collections.abc import Collection, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_record, diff, snapshot
from vigil.reference.enums import InstitutionCategory
from vigil.reference.models import InstitutionType

from .models import CoverageRule, RiskFactor
from .permissions import can_manage_planning

RISK_FACTOR_FIELDS = ("weight", "threshold", "saturation", "lookback_months")
COVERAGE_RULE_FIELDS = (
    "name_kk",
    "name_ru",
    "name_en",
    "categories",
    "type_codes",
    "holds",
    "interval_years",
    "valid_from",
    "valid_to",
)


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


def _coverage_rule_set(rule: CoverageRule, fields: Mapping[str, Any]) -> None:
    """Set the fields given; the lists without repeats, in a stable order (categories in
    the enumeration's, type codes alphabetically) so that an unchanged list is no change."""
    unknown = set(fields) - set(COVERAGE_RULE_FIELDS)
    if unknown:
        raise TypeError(f"Not a coverage rule field: {', '.join(sorted(unknown))}")
    order = {c: i for i, c in enumerate(InstitutionCategory.values)}
    for name, value in fields.items():
        if name in ("categories", "type_codes") and isinstance(value, list | tuple):
            if all(isinstance(item, str) for item in value):
                value = sorted(set(value), key=lambda c: (order.get(c, len(order)), c))
            else:
                value = list(value)  # refused by the model's clean
        setattr(rule, name, value)


def _coverage_rule_validate(rule: CoverageRule, known_codes: Collection[str] = ()) -> None:
    """full_clean, and every type code named that the rule did not name before must be an
    institution type of the reference data (a code named before stays, should its type be
    gone). Raises a ValidationError naming the fields."""
    errors: dict[str, list[str]] = {}
    try:
        rule.full_clean()
    except ValidationError as exc:
        errors = {field: list(messages) for field, messages in exc.message_dict.items()}
    if isinstance(rule.type_codes, list) and "type_codes" not in errors:
        new = {c for c in rule.type_codes if isinstance(c, str)} - set(known_codes)
        unknown = new - set(
            InstitutionType.objects.filter(code__in=new).values_list("code", flat=True)
        )
        if unknown:
            errors["type_codes"] = [
                _("Unknown institution types: %(codes)s.") % {"codes": ", ".join(sorted(unknown))}
            ]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def coverage_rule_create(
    *, actor: User, context: RequestContext | None = None, **fields: Any
) -> CoverageRule:
    """A new coverage rule (fields: `COVERAGE_RULE_FIELDS`), validated and audited
    (`planning.coverage_rule_created` with every field)."""
    if not can_manage_planning(actor):
        raise PermissionDenied
    rule = CoverageRule()
    _coverage_rule_set(rule, fields)
    _coverage_rule_validate(rule)
    rule.save()
    audit_record(
        actor=actor,
        action=AuditAction.COVERAGE_RULE_CREATED,
        target=rule,
        data={"fields": snapshot(rule, COVERAGE_RULE_FIELDS)},
        context=context,
    )
    return rule


@transaction.atomic
def coverage_rule_update(
    *,
    actor: User,
    rule: CoverageRule,
    context: RequestContext | None = None,
    **fields: Any,
) -> dict[str, list[Any]]:
    """Change a coverage rule; returns {field: [old, new]} for what changed, audited as
    `planning.coverage_rule_updated` ({} and no audit row when nothing changed). A rule ends
    by its `valid_to`: rules are never deleted, so a past plan keeps the rules it had."""
    if not can_manage_planning(actor):
        raise PermissionDenied
    rule = CoverageRule.objects.select_for_update().get(pk=rule.pk)
    before = snapshot(rule, COVERAGE_RULE_FIELDS)
    known = list(rule.type_codes) if isinstance(rule.type_codes, list) else []
    _coverage_rule_set(rule, fields)
    _coverage_rule_validate(rule, known)
    changes = diff(before, snapshot(rule, COVERAGE_RULE_FIELDS))
    if changes:
        rule.save(update_fields=[*changes, "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.COVERAGE_RULE_UPDATED,
            target=rule,
            data={"changes": changes},
            context=context,
        )
    return changes
