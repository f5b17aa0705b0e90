"""The accounts app's part of the site shell: the user management menu entry, and the links
from the audit log to an account."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from vigil.audit.links import PublicIdLinks, register_target
from vigil.core.contributions import MenuEntry, register_menu_entry

from .models import User
from .permissions import can_manage_users


def users_managed_by(user: Any) -> QuerySet[User]:
    """The accounts whose page `user` may open (the audit log links them)."""
    return User.objects.all() if can_manage_users(user) else User.objects.none()


def register() -> None:
    register_menu_entry(
        MenuEntry("users", _("Users"), "accounts:user_list", order=100, visible=can_manage_users)
    )
    register_target("accounts.user", PublicIdLinks(users_managed_by, "accounts:user_edit"))
