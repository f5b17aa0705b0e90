"""The participants app's part of the site shell: the participants menu entry, and the
links from the audit log to a participant."""

from django.utils.translation import gettext_lazy as _

from vigil.audit.links import PublicIdLinks, register_target
from vigil.core.contributions import MenuEntry, register_menu_entry

from .permissions import can_list_participants, participants_visible_to


def register() -> None:
    register_menu_entry(
        MenuEntry("people", _("Participants"), "people:participant_list", 60, can_list_participants)
    )
    register_target(
        "people.participant", PublicIdLinks(participants_visible_to, "people:participant_detail")
    )
