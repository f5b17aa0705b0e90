"""Who may read the audit trail. Nobody may change it."""

from vigil.accounts.enums import Role
from vigil.accounts.models import User


def can_view_audit(user: User | None) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.role in (Role.ADMIN, Role.COORDINATOR, Role.AUDITOR)
    )
