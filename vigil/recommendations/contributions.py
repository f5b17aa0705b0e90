"""The recommendations app's part of the site shell: the menu entry (the agency portal for
liaisons, the list for the others) and the liaison's home block."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from vigil.audit.links import PublicIdLinks, register_target
from vigil.core.contributions import HomeBlock, MenuEntry, register_home_block, register_menu_entry

from .permissions import (
    can_use_agency_portal,
    can_view_recommendation_list,
    recommendations_visible_to,
)
from .selectors.portal import portal_home_summary


def _list_entry(user: Any) -> bool:
    return not can_use_agency_portal(user) and can_view_recommendation_list(user)


def portal_home(user: Any) -> Mapping[str, Any] | None:
    summary = portal_home_summary(user)
    return {"portal": summary} if summary is not None else None


def register() -> None:
    register_menu_entry(
        MenuEntry(
            "portal_list",
            _("Our recommendations"),
            "recommendations:portal_list",
            40,
            can_use_agency_portal,
        )
    )
    register_menu_entry(
        MenuEntry("recommendations", _("Recommendations"), "recommendations:list", 41, _list_entry)
    )
    register_home_block(HomeBlock("portal", "recommendations/portal_home.html", 20, portal_home))
    register_target(
        "recommendations.recommendation",
        PublicIdLinks(recommendations_visible_to, "recommendations:detail"),
    )
