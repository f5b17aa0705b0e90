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


def sees_recent_changes_on_home(user: User | None) -> bool:
    """Auditors land on the latest changes as well as the latest access to sensitive data."""
    return can_view_audit(user) and user.role == Role.AUDITOR  # type: ignore[union-attr]
