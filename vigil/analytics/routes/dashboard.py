"""Routes of the dashboard and the coverage list (namespace "analytics")."""

from django.urls import URLPattern, URLResolver, path

from ..views import dashboard

urlpatterns: list[URLPattern | URLResolver] = [
    path("", dashboard.dashboard, name="dashboard"),
    path("institutions/", dashboard.coverage_list, name="institutions"),
]
