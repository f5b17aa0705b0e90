"""Who may see and change planning data. Default: deny.

Risk scores and coverage rules serve the annual plan, which is embargoed like every planned
visit: they are read by those who see the plan pages (`vigil.visits.permissions.
can_view_plans`: administrators, coordinators, auditors; regional representatives for the
institutions of their regions) and changed by coordinators and administrators. Monitors see
only their own visits, and agency liaisons never anything of a plan: neither get any of it.
"""

from typing import TypeGuard

from django.db.models import QuerySet

from vigil.accounts.enums import Role
from vigil.accounts.models import User
from vigil.registry.models import Institution

_NATIONAL = (Role.ADMIN, Role.COORDINATOR, Role.AUDITOR)
_MANAGERS = (Role.ADMIN, Role.COORDINATOR)


def _active(user: User | None) -> TypeGuard[User]:
    return bool(user is not None and user.is_authenticated and user.is_active)


def can_view_planning(user: User | None) -> bool:
    """The planning pages (risk factors, coverage rules)."""
    return _active(user) and user.role in (*_NATIONAL, Role.REGIONAL)


def can_manage_planning(user: User | None) -> bool:
    """Change the risk factors' weights and the coverage rules."""
    return _active(user) and user.role in _MANAGERS


def risk_institutions_visible_to(user: User | None) -> QuerySet[Institution]:
    """The institutions whose risk score the user may see."""
    qs = Institution.objects.all()
    if _active(user):
        if user.role in _NATIONAL:
            return qs
        if user.role == Role.REGIONAL:
            return qs.filter(region__in=user.regions.all())
    return qs.none()


def can_view_institution_risk(user: User | None, institution: Institution) -> bool:
    if not _active(user):
        return False
    if user.role in _NATIONAL:
        return True
    return user.role == Role.REGIONAL and user.regions.filter(pk=institution.region_id).exists()
