"""The participants app's part of the site shell: the participants menu entry."""

from django.utils.translation import gettext_lazy as _

from vigil.core.contributions import MenuEntry, register_menu_entry

from .permissions import can_list_participants


def register() -> None:
    register_menu_entry(
        MenuEntry("people", _("Participants"), "people:participant_list", 60, can_list_participants)
    )
