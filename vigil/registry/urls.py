from django.urls import path

from . import views, views_io

app_name = "registry"

urlpatterns = [
    path("institutions/", views.institution_list, name="institution_list"),
    path("institutions/new/", views.institution_create_view, name="institution_create"),
    path("institutions/export.<str:fmt>", views_io.institution_export, name="institution_export"),
    path("institutions/<uuid:public_id>/", views.institution_detail, name="institution_detail"),
    path(
        "institutions/<uuid:public_id>/edit/", views.institution_edit_view, name="institution_edit"
    ),
    path("institution-options/", views.institution_options, name="institution_options"),
    path("import/", views_io.import_upload, name="import_upload"),
    path("import/template.<str:fmt>", views_io.import_template, name="import_template"),
    path("import/<uuid:public_id>/", views_io.import_preview, name="import_preview"),
]
