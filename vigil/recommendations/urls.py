"""Pages of recommendations, mounted at /recommendations/ (namespace "recommendations").

Each feature keeps its routes in `vigil/recommendations/routes/<area>.py`; they are listed
here, `core` first. Route names are unique across modules.
"""

from django.urls import include, path

app_name = "recommendations"

urlpatterns = [
    path("", include("vigil.recommendations.routes.core")),
    path("", include("vigil.recommendations.routes.escalation")),
    path("", include("vigil.recommendations.routes.importing")),
    path("", include("vigil.recommendations.routes.portal")),
    path("", include("vigil.recommendations.routes.repeats")),
    path("", include("vigil.recommendations.routes.systemic")),
    path("", include("vigil.recommendations.routes.tallies")),
]
