"""URL routes for checklists, and the import of submissions exported from KoBoToolbox or ODK
Central."""

from django.urls import include, path

from vigil.core.importing.views import import_urlpatterns

from ..views import checklists as views

urlpatterns = [
    path("<uuid:public_id>/checklists/", views.checklist_overview_view, name="checklists"),
    path(
        "<uuid:public_id>/checklists/start/",
        views.checklist_start_view,
        name="checklist_start",
    ),
    path(
        "<uuid:public_id>/checklists/xlsform/<uuid:institution_id>/",
        views.checklist_capture_xlsform,
        name="checklist_capture_xlsform",
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
    path(
        "submissions/",
        include(
            (import_urlpatterns("checklist_submissions"), "submission_import"),
            namespace="submission_import",
        ),
    ),
]
