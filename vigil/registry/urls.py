from django.urls import path

from vigil.core.importing.views import import_urlpatterns

from . import views
from .importing import INSTITUTIONS

app_name = "registry"

urlpatterns = [
    path("institutions/", views.institution_list, name="institution_list"),
    path("institutions/new/", views.institution_create_view, name="institution_create"),
    path("institutions/<uuid:public_id>/", views.institution_detail, name="institution_detail"),
    path(
        "institutions/<uuid:public_id>/edit/", views.institution_edit_view, name="institution_edit"
    ),
    path("institution-options/", views.institution_options, name="institution_options"),
    *import_urlpatterns(INSTITUTIONS.name),  # import/, import/template.<fmt>, import/<id>/
]
