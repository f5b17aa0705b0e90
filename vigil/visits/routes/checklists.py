"""URL routes for checklists."""

from django.urls import path

from ..views import checklists as views

urlpatterns = [
    path("<uuid:public_id>/checklists/", views.checklist_overview, name="checklists"),
]
