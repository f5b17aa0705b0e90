"""URL routes of the consolidated annual report (under /analysis/reports/)."""

from django.urls import path

from ..views import reports as views

urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("<int:year>/", views.report_detail, name="report_detail"),
    path("<int:year>/narrative/", views.report_narrative, name="report_narrative"),
    path("<int:year>/settings/", views.report_settings, name="report_settings"),
    path("<int:year>/builds/", views.report_build, name="report_build"),
    path("<int:year>/freshness/", views.report_freshness, name="report_freshness"),
    path("<int:year>/builds/<uuid:build_id>/", views.build_status, name="report_build_status"),
    path(
        "<int:year>/builds/<uuid:build_id>/<str:kind>/",
        views.build_download,
        name="report_build_download",
    ),
]
