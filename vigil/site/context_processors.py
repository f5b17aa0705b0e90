from typing import Any

from django.http import HttpRequest

from .navigation import navigation_menu


def navigation(request: HttpRequest) -> dict[str, Any]:
    return {"nav_items": navigation_menu(getattr(request, "user", None))}
