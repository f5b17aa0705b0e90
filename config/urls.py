from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("", include("vigil.site.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("accounts/", include("vigil.accounts.urls")),
    path("audit/", include("vigil.site.auditlog.urls")),
    path("registry/", include("vigil.registry.urls")),
    path("visits/", include("vigil.visits.urls")),
    path("openrosa/", include("vigil.visits.routes.openrosa")),
    path("people/", include("vigil.people.urls")),
    path("planning/", include("vigil.planning.urls")),
    path("recommendations/", include("vigil.recommendations.urls")),
    path("appeals/", include("vigil.appeals.urls")),
    path("international/", include("vigil.international.urls")),
    path("appeal/", include("vigil.appeals.public_urls")),
    path("open-data/", include("vigil.analytics.public_urls")),
    path("analysis/", include("vigil.analytics.urls")),
    path("api/v1/", include("vigil.site.api_urls")),
]

handler404 = "vigil.site.views.page_not_found"
handler500 = "vigil.site.views.server_error"
