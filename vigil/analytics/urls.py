"""Pages of the analysis, mounted at /analysis/ (namespace "analytics"). Each area keeps its
routes in `routes/<area>.py`; route names are unique across modules."""

from django.urls import include, path

app_name = "analytics"

urlpatterns = [
    path("", include("vigil.analytics.routes.dashboard")),
    path("reports/", include("vigil.analytics.routes.reports")),
]
