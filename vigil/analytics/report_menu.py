"""The annual report's entry in the main menu (registered in `AppConfig.ready()`)."""

from django.utils.translation import gettext_lazy as _

from vigil.core.contributions import MenuEntry, register_menu_entry

from .permissions import can_read_annual_reports


def register_report_menu() -> None:
    register_menu_entry(
        MenuEntry(
            "annual_reports",
            _("Annual reports"),
            "analytics:report_list",
            61,
            can_read_annual_reports,
        )
    )
