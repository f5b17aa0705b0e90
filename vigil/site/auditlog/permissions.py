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


def shows_audit_trail_on_home(user: User | None) -> bool:
    """The latest audit events on the home page: the auditor's (reading the trail is its
    work); administrators and coordinators open the audit log from the menu."""
    return can_view_audit(user) and user is not None and user.role == Role.AUDITOR
