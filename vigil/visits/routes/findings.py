"""URL routes for findings."""

from django.urls import path

from ..views import findings as views

urlpatterns = [
    path("<uuid:public_id>/findings/", views.finding_list, name="findings"),
    path("<uuid:public_id>/notes/", views.note_list, name="notes"),
]
