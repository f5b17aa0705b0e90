"""Account writes: permission-checked, validated, audited."""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from vigil.audit.context import RequestContext
from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_record, audit_records_bulk, diff, snapshot
from vigil.reference.models import Region

from .enums import Role
from .models import User
from .permissions import can_manage_users, needs_agency, needs_regions
from .tokens import RevokeReason, api_tokens_revoke_all

USER_FIELDS = ("email", "full_name", "role", "agency", "preferred_language", "is_active")
SCOPE_FIELDS = ("role", "agency", "regions")
"""A change of any of these revokes the account's API tokens (as deactivation does)."""


def _check_scope(user: User, regions: Iterable[Region]) -> None:
    errors: dict[str, str] = {}
    if needs_agency(user) and user.agency_id is None:
        errors["agency"] = _("An agency liaison must be attached to an agency.")
    if not needs_agency(user) and user.agency_id is not None:
        errors["agency"] = _("Only agency liaisons are attached to an agency.")
    if needs_regions(user) and not list(regions):
        errors["regions"] = _("A regional representative needs at least one region.")
    if errors:
        raise ValidationError(errors)


def _scope_snapshot(user: User, regions: Iterable[Region]) -> dict[str, Any]:
    data = snapshot(user, USER_FIELDS)
    data["regions"] = sorted(r.code for r in regions)
    return data


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    email: str,
    full_name: str,
    role: Role | str,
    password: str | None = None,
    regions: Iterable[Region] = (),
    agency: Any = None,
    preferred_language: str = "",
    context: RequestContext | None = None,
) -> User:
    """Create an account; `actor=None` is the system (management commands, demo setup)."""
    if actor is not None and not can_manage_users(actor):
        raise PermissionDenied
    regions = list(regions)
    user = User(
        email=User.objects.normalize_email(email).lower(),
        full_name=full_name,
        role=role,
        agency=agency,
        preferred_language=preferred_language,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    _check_scope(user, regions)
    user.save()
    user.regions.set(regions)
    audit_record(
        actor=actor,
        action=AuditAction.USER_CREATED,
        target=user,
        data={"fields": _scope_snapshot(user, regions)},
        context=context,
    )
    return user


@transaction.atomic
def user_update(
    *,
    actor: User,
    user: User,
    data: dict[str, Any],
    regions: Iterable[Region] | None = None,
    context: RequestContext | None = None,
) -> dict[str, list[Any]]:
    if not can_manage_users(actor):
        raise PermissionDenied
    current_regions = list(user.regions.all())
    new_regions = current_regions if regions is None else list(regions)
    before = _scope_snapshot(user, current_regions)
    for name, value in data.items():
        if name in USER_FIELDS:
            setattr(user, name, value)
    if user.pk == actor.pk and not can_manage_users(user):
        raise ValidationError({"role": _("You cannot remove your own administrator access.")})
    user.email = user.email.lower()
    user.full_clean(exclude=["password"])
    _check_scope(user, new_regions)
    changes = diff(before, _scope_snapshot(user, new_regions))
    if changes:
        user.save()
        user.regions.set(new_regions)
        audit_record(
            actor=actor,
            action=AuditAction.USER_UPDATED,
            target=user,
            data={"changes": changes},
            context=context,
        )
        if "is_active" in changes and not user.is_active:
            api_tokens_revoke_all(
                actor=actor, owner=user, reason=RevokeReason.DEACTIVATED, context=context
            )
        elif any(name in changes for name in SCOPE_FIELDS):
            api_tokens_revoke_all(
                actor=actor, owner=user, reason=RevokeReason.ROLE_CHANGED, context=context
            )
    return changes


@transaction.atomic
def user_set_password(
    *,
    user: User,
    password: str,
    action: AuditAction = AuditAction.PASSWORD_CHANGED,
    context: RequestContext | None = None,
) -> None:
    """Set the password (page or reset by e-mail) and revoke every API token of the account."""
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=user, action=action, target=user, context=context)
    reason = (
        RevokeReason.PASSWORD_RESET
        if action == AuditAction.PASSWORD_RESET_COMPLETED
        else RevokeReason.PASSWORD_CHANGED
    )
    api_tokens_revoke_all(actor=user, owner=user, reason=reason, context=context)


@transaction.atomic
def users_bulk_create(
    users: Sequence[User], *, audit_data: Mapping[str, Any] | None = None
) -> list[User]:
    """Create many accounts without regions in a few inserts, the system as actor (for data
    made in large amounts, e.g. the demo data set).

    Each is checked as `user_create` checks one: e-mail normalised and lower-cased, an
    unusable password unless one was set, validated, agency scope checked; one `USER_CREATED`
    audit row each (with `audit_data` added)."""
    for user in users:
        user.email = User.objects.normalize_email(user.email).lower()
        if not user.password:
            user.set_unusable_password()
        user.full_clean(exclude=["password"])
        _check_scope(user, ())
    created = User.objects.bulk_create(users)
    audit_records_bulk(
        actor=None,
        action=AuditAction.USER_CREATED,
        entries=[(u, {"fields": _scope_snapshot(u, ()), **(audit_data or {})}) for u in created],
    )
    return created
