"""URL routes for checklists."""

from django.urls import path

from ..views import checklists as views

urlpatterns = [
    path("<uuid:public_id>/checklists/", views.checklist_overview_view, name="checklists"),
    path(
        "<uuid:public_id>/checklists/start/",
        views.checklist_start_view,
        name="checklist_start",
    ),
    path(
        "<uuid:public_id>/checklists/<uuid:response_id>/",
        views.checklist_fill,
        name="checklist_fill",
    ),
    path(
        "<uuid:public_id>/checklists/<uuid:response_id>/answers/<str:code>/",
        views.checklist_answer_view,
        name="checklist_answer",
    ),
]
