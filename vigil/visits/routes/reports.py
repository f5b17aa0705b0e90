"""URL routes for reports."""

from django.urls import path

from ..views import reports as views

urlpatterns = [
    path("<uuid:public_id>/report/", views.report_detail, name="report"),
]
