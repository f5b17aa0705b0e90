"""Who may see and change NPM participants. Default: deny.

- coordinators and administrators see and manage every participant;
- auditors read every participant;
- regional representatives read the participants of their regions;
- a monitor (or any account with a participant record) reads their own record, may
  declare a conflict of interest of their own and declare or withdraw their own periods
  unavailable for visits;
- agency liaisons never see participants.
"""

from typing import TypeGuard

from django.db.models import QuerySet

from vigil.accounts.enums import Role
from vigil.accounts.models import User

from .models import Participant

_MANAGERS = (Role.ADMIN, Role.COORDINATOR)
_READ_ALL = (Role.ADMIN, Role.COORDINATOR, Role.AUDITOR)
# Accounts that may be linked to a participant record (not liaisons, auditors, admins).
PARTICIPANT_ROLES = (Role.MONITOR, Role.REGIONAL, Role.COORDINATOR)


def _active(user: User | None) -> TypeGuard[User]:
    return bool(user is not None and user.is_authenticated and user.is_active)


def participants_visible_to(user: User | None) -> QuerySet[Participant]:
    qs = Participant.objects.all()
    if not _active(user):
        return qs.none()
    if user.role in _READ_ALL:
        return qs
    if user.role == Role.REGIONAL:
        return qs.filter(region__in=user.regions.all()) | qs.filter(user=user)
    if user.role == Role.MONITOR:
        return qs.filter(user=user)
    return qs.none()


def can_list_participants(user: User | None) -> bool:
    """The list page: those who may see more than their own record."""
    return _active(user) and user.role in (*_READ_ALL, Role.REGIONAL)


def can_manage_participants(user: User | None) -> bool:
    """Create and edit participants, record training and conflicts."""
    return _active(user) and user.role in _MANAGERS


def can_declare_conflict(user: User | None, participant: Participant) -> bool:
    """Managers, and the participant themself (a declaration only restricts them)."""
    return can_manage_participants(user) or (_active(user) and participant.user_id == user.pk)


def can_manage_absences(user: User | None, participant: Participant) -> bool:
    """Add or remove a participant's periods unavailable for visits: managers for anyone,
    and the participant themself (a person declares their own leave)."""
    return can_manage_participants(user) or (_active(user) and participant.user_id == user.pk)


def can_view_own_visits(user: User | None) -> bool:
    """The "my visits" page: accounts that can be NPM participants."""
    return _active(user) and user.role in PARTICIPANT_ROLES


def can_see_my_visits(user: User | None) -> bool:
    """The "My visits" menu entry and the home page's block of one's own visits: accounts
    that can be NPM participants (`can_view_own_visits`) and are monitors or have a
    participant record."""
    return (
        _active(user)
        and can_view_own_visits(user)
        and (user.role == Role.MONITOR or Participant.objects.filter(user=user).exists())
    )


def can_be_participant(account: User) -> bool:
    """Whether an account may be linked to a participant record: monitors, regional
    representatives and coordinators (not liaisons, auditors or administrators)."""
    return account.role in PARTICIPANT_ROLES


def can_read_participants(user: User | None) -> bool:
    """The participants API: all who see at least their own record (not liaisons)."""
    return _active(user) and user.role in (*_READ_ALL, Role.REGIONAL, Role.MONITOR)


def can_view_eligibility_rules(user: User | None) -> bool:
    """The eligibility rules (selection criteria by order): those who select participants
    or read about them (coordinators, administrators, auditors, regional representatives)."""
    return can_list_participants(user)
