"""Pages of the UN follow-up, mounted at /international/ (namespace "international").

Each feature keeps its routes in `vigil/international/routes/<area>.py`; they are listed here.
Route names are unique across modules.
"""

from django.urls import URLPattern, URLResolver, include, path

app_name = "international"

urlpatterns: list[URLPattern | URLResolver] = [
    # each helper branch adds: path("", include("vigil.international.routes.<area>")),
    path("", include("vigil.international.routes.links")),
]
