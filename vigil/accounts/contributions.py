"""The accounts app's part of the site shell: the user management menu entry."""

from django.utils.translation import gettext_lazy as _

from vigil.core.contributions import MenuEntry, register_menu_entry

from .permissions import can_manage_users


def register() -> None:
    register_menu_entry(
        MenuEntry("users", _("Users"), "accounts:user_list", order=100, visible=can_manage_users)
    )
