"""The main menu: home, then what each app contributes, for the entries the user may see.
Entries of one group (`MenuEntry.group`) next to each other show as one drop-down menu."""

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
    group: str | Promise = ""
    url_name: str = ""


@dataclass(frozen=True)
class NavGroup:
    label: str | Promise
    items: list[NavItem]

    @property
    def url_names(self) -> list[str]:
        return [item.url_name for item in self.items]


def navigation_for(user: Any) -> list[NavItem]:
    """The entries the user may see, in order."""
    if user is None or not user.is_authenticated:
        return []
    items = [NavItem(_("Home"), reverse("site:home"), "home", url_name="site:home")]
    items.extend(
        NavItem(entry.label, reverse(entry.url_name), entry.key, entry.group, entry.url_name)
        for entry in menu_entries()
        if entry.visible(user)
    )
    return items


def navigation_menu(user: Any) -> list[NavItem | NavGroup]:
    """The menu as shown: consecutive entries of one group folded into a drop-down (a group
    the user sees one entry of stays a plain entry)."""
    menu: list[NavItem | NavGroup] = []
    for item in navigation_for(user):
        last = menu[-1] if menu else None
        if item.group and isinstance(last, NavGroup) and str(last.label) == str(item.group):
            last.items.append(item)
        elif item.group:
            menu.append(NavGroup(item.group, [item]))
        else:
            menu.append(item)
    return [
        entry.items[0] if isinstance(entry, NavGroup) and len(entry.items) == 1 else entry
        for entry in menu
    ]
