"""Staff pages of appeals, referrals, criminal cases, accountability, incidents and follow-ups,
mounted at /appeals/ (namespace "appeals"). Each area keeps its routes in `routes/<area>.py`;
route names are unique across modules."""

from django.urls import include, path

app_name = "appeals"

urlpatterns = [
    path("", include("vigil.appeals.routes.appeals")),
    path("", include("vigil.appeals.routes.cases")),
    path("", include("vigil.appeals.routes.incidents")),
]
