"""Writes to the institution registry: permission-checked, validated, audited."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_record, diff, snapshot

from .models import Institution
from .permissions import can_create_institution, can_edit_institution
from .search import institution_search_text

INSTITUTION_FIELDS = (
    "external_code",
    "name_kk",
    "name_ru",
    "name_en",
    "type",
    "agency",
    "region",
    "address",
    "capacity",
    "population_men",
    "population_women",
    "population_boys",
    "population_girls",
    "population_date",
    "security_level",
    "status",
)


def _prepare(institution: Institution) -> None:
    if institution.external_code == "":
        institution.external_code = None
    institution.search_text = institution_search_text(
        institution.name_kk,
        institution.name_ru,
        institution.name_en,
        institution.external_code,
    )
    institution.full_clean()


@transaction.atomic
def institution_create(
    *, actor: User | None, data: dict[str, Any], context: RequestContext | None = None
) -> Institution:
    """Create an institution. `actor=None` is the system (management commands)."""
    if actor is not None and not can_create_institution(actor, data.get("region")):
        raise PermissionDenied
    institution = Institution(**{k: v for k, v in data.items() if k in INSTITUTION_FIELDS})
    _prepare(institution)
    institution.save()
    audit_record(
        actor=actor,
        action=AuditAction.INSTITUTION_CREATED,
        target=institution,
        data={"fields": snapshot(institution, INSTITUTION_FIELDS)},
        context=context,
    )
    return institution


@transaction.atomic
def institution_update(
    *,
    actor: User | None,
    institution: Institution,
    data: dict[str, Any],
    context: RequestContext | None = None,
) -> dict[str, list[Any]]:
    """Apply `data`; returns the changed fields ({} and no audit row when nothing changed)."""
    if actor is not None:
        new_region = data.get("region", institution.region)
        if not (
            can_edit_institution(actor, institution) and can_create_institution(actor, new_region)
        ):
            raise PermissionDenied
    before = snapshot(institution, INSTITUTION_FIELDS)
    for name, value in data.items():
        if name in INSTITUTION_FIELDS:
            setattr(institution, name, value)
    _prepare(institution)
    changes = diff(before, snapshot(institution, INSTITUTION_FIELDS))
    if changes:
        institution.save()
        audit_record(
            actor=actor,
            action=AuditAction.INSTITUTION_UPDATED,
            target=institution,
            data={"changes": changes},
            context=context,
        )
    return changes
