"""What the analytics app adds to the main menu: one drop-down, "Analysis", with the
dashboards and the annual reports."""

from django.utils.translation import gettext_lazy as _

from vigil.core.contributions import MenuEntry, register_menu_entry

from .permissions import can_read_annual_reports, can_view_dashboard

ANALYSIS = _("Analysis")
"""The main menu's drop-down of the app's pages."""


def register() -> None:
    register_menu_entry(
        MenuEntry(
            "analysis", _("Dashboard"), "analytics:dashboard", 61, can_view_dashboard, ANALYSIS
        )
    )
    register_menu_entry(
        MenuEntry(
            "annual_reports",
            _("Annual reports"),
            "analytics:report_list",
            62,
            can_read_annual_reports,
            ANALYSIS,
        )
    )
