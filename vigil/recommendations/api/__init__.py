"""API v1 of recommendations: `register(router)` adds every area's viewsets.

Each feature keeps its API in `vigil/recommendations/api/<area>.py` with a
`register(router: SimpleRouter) -> None`; they are all registered here, `core` first, the
others in name order, so a new feature adds its module without editing this file.
"""

import importlib
import pkgutil

from rest_framework.routers import SimpleRouter


def _areas() -> list[str]:
    names = sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.ispkg)
    return sorted(names, key=lambda name: name != "core")


def register(router: SimpleRouter) -> None:
    for name in _areas():
        module = importlib.import_module(f"{__name__}.{name}")
        area_register = getattr(module, "register", None)
        if callable(area_register):
            area_register(router)
