"""What the appeals app adds to the menu, the home page and other apps' pages."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from vigil.audit.links import PublicIdLinks, register_target
from vigil.core.contributions import (
    HomeBlock,
    MenuEntry,
    PageSection,
    register_home_block,
    register_menu_entry,
    register_page_section,
)

from .permissions import (
    appeals_visible_to,
    can_register_appeal,
    can_register_appeal_from_visit,
    can_view_appeals,
)
from .selectors.appeals import appeal_counts, visit_appeals

# --- appeal handling -------------------------------------------------------------------------


def appeals_home(user: Any) -> Mapping[str, Any] | None:
    """Appeals due today, overdue and assigned to me: for those who register and handle
    appeals (coordinators, regional representatives)."""
    if not can_register_appeal(user):
        return None
    return {"appeal_counts": appeal_counts(user)}


def visit_appeals_section(user: Any, visit: Any) -> Mapping[str, Any] | None:
    """The appeals registered from the visit, and the way to register one."""
    if not can_view_appeals(user):
        return None
    may_register = can_register_appeal_from_visit(user, visit)
    appeals = list(visit_appeals(user, visit)[:50])
    if not appeals and not may_register:
        return None
    return {"visit_appeals": appeals, "visit_appeal_register": may_register}


def register_handling() -> None:
    register_menu_entry(MenuEntry("appeals", _("Appeals"), "appeals:list", 50, can_view_appeals))
    register_home_block(HomeBlock("appeals", "appeals/_home_appeals.html", 25, appeals_home))
    register_page_section(
        "visits.visit",
        PageSection("appeals", "appeals/_visit_appeals.html", 20, visit_appeals_section),
    )
    register_target("appeals.appeal", PublicIdLinks(appeals_visible_to, "appeals:detail"))


def register() -> None:
    """Register the app's menu entries, home blocks and page sections."""
    register_handling()
