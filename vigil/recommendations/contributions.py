"""The recommendations app's part of the site shell: the menu entries (the agency portal for
liaisons; the list and the tallies for the others), the liaison's home block and the NPM's
tallies block."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from vigil.core.contributions import HomeBlock, MenuEntry, register_home_block, register_menu_entry

from .permissions import can_use_agency_portal, can_view_recommendation_list
from .selectors.portal import portal_home_summary
from .selectors.tallies import agency_tally


def _list_entry(user: Any) -> bool:
    return not can_use_agency_portal(user) and can_view_recommendation_list(user)


def tallies_home(user: Any) -> Mapping[str, Any] | None:
    if not _list_entry(user):
        return None
    return {"tally": agency_tally(user, None)}


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
    register_menu_entry(
        MenuEntry("tallies", _("Tallies"), "recommendations:tallies", 42, _list_entry)
    )
    register_home_block(HomeBlock("portal", "recommendations/portal_home.html", 20, portal_home))
    register_home_block(HomeBlock("tallies", "recommendations/tallies_home.html", 21, tallies_home))
