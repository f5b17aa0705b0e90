"""URL routes for findings and internal notes."""

from django.urls import path

from ..views import findings as views

urlpatterns = [
    path("<uuid:public_id>/findings/", views.finding_list, name="findings"),
    path("<uuid:public_id>/findings/new/", views.finding_create_view, name="finding_create"),
    path("findings/<uuid:public_id>/", views.finding_detail, name="finding_detail"),
    path("findings/<uuid:public_id>/edit/", views.finding_edit, name="finding_edit"),
    path("findings/<uuid:public_id>/delete/", views.finding_delete_view, name="finding_delete"),
    path("<uuid:public_id>/notes/", views.note_list, name="notes"),
]
