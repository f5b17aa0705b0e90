"""Route of the systemic-issues page."""

from django.urls import path

from ..views import systemic as views

urlpatterns = [
    path("systemic/", views.systemic_issues, name="systemic"),
]
