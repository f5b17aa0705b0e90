from typing import Any

from django.http import HttpRequest

from vigil.accounts.permissions import can_hold_collect_password

from .navigation import navigation_menu


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "nav_items": navigation_menu(user),
        "uses_collect": can_hold_collect_password(user),
    }
