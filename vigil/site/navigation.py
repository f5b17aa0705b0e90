"""The main menu: home, then what each app contributes, for the entries the user may see."""

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vigil.core.contributions import menu_entries


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url: str
    key: str


def navigation_for(user: Any) -> list[NavItem]:
    if user is None or not user.is_authenticated:
        return []
    items = [NavItem(_("Home"), reverse("site:home"), "home")]
    items.extend(
        NavItem(entry.label, reverse(entry.url_name), entry.key)
        for entry in menu_entries()
        if entry.visible(user)
    )
    return items
