"""What the analytics app adds to the menu."""

from django.utils.translation import gettext_lazy as _

from vigil.core.contributions import MenuEntry, register_menu_entry

from .permissions import can_view_dashboard


def register() -> None:
    register_menu_entry(
        MenuEntry("analysis", _("Analysis"), "analytics:dashboard", 62, can_view_dashboard)
    )
