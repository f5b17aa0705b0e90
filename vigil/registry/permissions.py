"""Who may see and change the registry. Default is deny."""

from typing import TypeGuard

from django.db.models import QuerySet

from vigil.accounts.enums import Role
from vigil.accounts.models import User
from vigil.reference.models import Region
from vigil.reference.selectors import agency_subtree_ids

from .models import Institution

_NATIONAL_READERS = (Role.ADMIN, Role.COORDINATOR, Role.MONITOR, Role.AUDITOR)
_NATIONAL_EDITORS = (Role.ADMIN, Role.COORDINATOR)


def _active(user: User | None) -> TypeGuard[User]:
    return bool(user is not None and user.is_authenticated and user.is_active)


def can_view_registry(user: User | None) -> bool:
    return _active(user) and user.role in Role.values


def institutions_visible_to(user: User | None) -> QuerySet[Institution]:
    qs = Institution.objects.all()
    if _active(user):
        if user.role in _NATIONAL_READERS:
            return qs
        if user.role == Role.REGIONAL:
            return qs.filter(region__in=user.regions.all())
        if user.role == Role.LIAISON:
            return qs.filter(agency_id__in=agency_subtree_ids(user.agency))
    return qs.none()


def can_create_institution(user: User | None, region: Region | None = None) -> bool:
    if _active(user):
        if user.role in _NATIONAL_EDITORS:
            return True
        if user.role == Role.REGIONAL:
            return region is None or user.regions.filter(pk=region.pk).exists()
    return False


def can_edit_institution(user: User | None, institution: Institution) -> bool:
    return can_create_institution(user, institution.region)


def can_import_institutions(user: User | None) -> bool:
    return _active(user) and user.role in _NATIONAL_EDITORS


def can_view_institution_history(user: User | None) -> bool:
    return _active(user) and user.role in (
        Role.ADMIN,
        Role.COORDINATOR,
        Role.REGIONAL,
        Role.AUDITOR,
    )


def can_see_visit_coverage(user: User | None) -> bool:
    """When each institution was last visited, and which were not: the NPM's own planning
    knowledge. Never shown to a supervised agency's liaison, to whom it would hint at where the
    next unannounced visit may come (home, list, filter, sort, detail, export, API)."""
    return _active(user) and user.role in (*_NATIONAL_READERS, Role.REGIONAL)


COVERAGE_FIELDS: frozenset[str] = frozenset({"last_visited_on"})


def institution_fields_hidden_from(user: User | None) -> frozenset[str]:
    """The institution fields the user may not read (the API's field policy)."""
    return frozenset() if can_see_visit_coverage(user) else COVERAGE_FIELDS
