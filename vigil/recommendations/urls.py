"""Pages of recommendations, mounted at /recommendations/ (namespace "recommendations").

Each feature keeps its routes in `vigil/recommendations/routes/<area>.py` (a module with
`urlpatterns`); they are all included here, `core` first, the others in name order, so a
new feature adds its module without editing this file. Route names are unique across modules.
"""

import importlib
import pkgutil

from django.urls import include, path

from . import routes

app_name = "recommendations"


def _areas() -> list[str]:
    names = sorted(m.name for m in pkgutil.iter_modules(routes.__path__) if not m.ispkg)
    return sorted(names, key=lambda name: name != "core")


urlpatterns = [
    path("", include(importlib.import_module(f"{routes.__name__}.{name}"))) for name in _areas()
]
