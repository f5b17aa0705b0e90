"""Routes of the historical import: upload, template, preview and confirmation."""

from django.urls import path

from ..views import importing as views

urlpatterns = [
    path("import/", views.import_upload, name="import_upload"),
    path("import/template.<str:fmt>", views.import_template_download, name="import_template"),
    path("import/<uuid:public_id>/", views.import_preview, name="import_preview"),
]
