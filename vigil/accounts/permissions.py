"""Who may manage accounts, and the scope each role carries. Default is deny."""

from django.conf import settings

from vigil.accounts.enums import Role
from vigil.accounts.models import User


def can_manage_users(user: User | None) -> bool:
    return bool(
        user is not None and user.is_authenticated and user.is_active and user.role == Role.ADMIN
    )


def needs_agency(account: User) -> bool:
    """An agency liaison sees its agency and the sub-units: it must be attached to one, and
    no other role is."""
    return account.role == Role.LIAISON


def needs_regions(account: User) -> bool:
    """A regional representative sees and acts only in its regions: it needs at least one."""
    return account.role == Role.REGIONAL


def can_manage_api_tokens_of(user: User | None, owner: User) -> bool:
    """A user lists and revokes their own API tokens; an administrator anyone's."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.pk == owner.pk or can_manage_users(user)


def can_hold_collect_password(user: User | None) -> bool:
    """An app password for ODK Collect: the roles that go on visits and fill checklists
    (what it opens is limited further to the visits the user is on)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.role in (Role.COORDINATOR, Role.REGIONAL, Role.MONITOR)


def must_use_two_factor(account: User) -> bool:
    """The roles in `VIGIL_TWO_FACTOR_REQUIRED_ROLES` (by default administrators,
    coordinators and regional representatives) sign in with a second factor."""
    return account.role in settings.VIGIL_TWO_FACTOR_REQUIRED_ROLES


def can_disable_two_factor(account: User) -> bool:
    """Anyone may turn two-factor sign-in on; only a role that does not require it, off."""
    return not must_use_two_factor(account)


def can_reset_two_factor(actor: User | None, account: User) -> bool:
    """An administrator resets a lost second factor (the account enrols again)."""
    return can_manage_users(actor)
