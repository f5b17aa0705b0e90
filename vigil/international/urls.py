"""Pages of the UN follow-up, mounted at /international/ (namespace "international").

Each feature keeps its routes in `vigil/international/routes/<area>.py`; they are listed here.
Route names are unique across modules.
"""

from django.urls import URLPattern, URLResolver, include, path

app_name = "international"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("vigil.international.routes.report")),
    path("", include("vigil.international.routes.pages")),
    path("", include("vigil.international.routes.exchange")),
    path("", include("vigil.international.routes.links")),
]
