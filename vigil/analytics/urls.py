from django.urls import include, path

app_name = "analytics"

urlpatterns = [
    path("reports/", include("vigil.analytics.routes.reports")),
]
