"""URL routes for checklist templates: the list with XLSForm downloads, the XLSForm import."""

from django.urls import path

from ..views import checklist_templates as views

urlpatterns = [
    path(
        "checklist-templates/",
        views.checklist_template_list,
        name="checklist_template_list",
    ),
    path(
        "checklist-templates/import/",
        views.checklist_template_import,
        name="checklist_template_import",
    ),
    path(
        "checklist-templates/<str:code>/xlsform/",
        views.checklist_template_xlsform,
        name="checklist_template_xlsform",
    ),
]
