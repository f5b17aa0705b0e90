"""The audit log's part of the site shell: its menu entry and the auditors' home blocks."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from vigil.core.contributions import HomeBlock, MenuEntry, register_home_block, register_menu_entry

from .permissions import can_view_audit, shows_audit_trail_on_home
from .selectors import access_events_visible_to, audit_events_visible_to

RECENT = 10


def recent_access_home(user: Any) -> Mapping[str, Any] | None:
    if not can_view_audit(user):
        return None
    return {"recent_access": access_events_visible_to(user)[:RECENT]}


def recent_changes_home(user: Any) -> Mapping[str, Any] | None:
    if not shows_audit_trail_on_home(user):
        return None
    return {"recent_audit": audit_events_visible_to(user)[:RECENT]}


def register() -> None:
    register_menu_entry(MenuEntry("audit", _("Audit log"), "audit:event_list", 90, can_view_audit))
    register_home_block(
        HomeBlock("recent_access", "site/_home_access.html", 90, recent_access_home)
    )
    register_home_block(HomeBlock("recent_audit", "site/_home_audit.html", 91, recent_changes_home))
