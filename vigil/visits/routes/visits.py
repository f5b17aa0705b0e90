"""URL routes for visits."""

from django.urls import path

from ..views import visits as views

urlpatterns = [
    path("<uuid:public_id>/", views.visit_detail, name="visit_detail"),
]
