"""The OpenRosa server (mounted at `/openrosa/`: the server URL given to ODK Collect)."""

from django.urls import path

from ..views import openrosa as views

app_name = "openrosa"

urlpatterns = [
    path("formList", views.form_list, name="form_list"),
    path("forms/<str:form_id>/form.xml", views.form_download, name="form"),
    path("forms/<str:form_id>/manifest", views.form_manifest, name="manifest"),
    path("submission", views.submission, name="submission"),
]
