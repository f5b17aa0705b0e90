"""Who may manage accounts. Default is deny."""

from vigil.accounts.enums import Role
from vigil.accounts.models import User


def can_manage_users(user: User | None) -> bool:
    return bool(
        user is not None and user.is_authenticated and user.is_active and user.role == Role.ADMIN
    )
